package spark.desk.runner;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.Desk;

/**
 * A round works the inputs it read and stops (CaseWork.process): an input stored while the round
 * looks the order up is worked by the run its own offer starts (InboxQueue runs a ticket offered
 * while it runs once more), not left waiting for the sweep. The service's clock stands still here,
 * so the sweep, which takes inputs older than 10 s, would never pick it up.
 */
class InputDuringRoundTest {
  Desk desk;

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  @Test
  void aWebhookStoredWhileItsTicketsRoundRunsIsWorkedWithoutTheSweep() {
    desk = Desk.start(Map.of(), Desk.START);
    long ticket = 6161;
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-6161"))
            .willReturn(
                okJson(Desk.order("SP-6161", "processing", null, null)).withFixedDelay(1500)));
    String created = Desk.START.minusSeconds(60).toString();
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(ticket, created, "cancellation_request", "Cancel", "SP-6161"),
                "inv-round-1")
            .status());
    Desk.await(
        "the round looking the order up",
        () ->
            !desk.wire
                .findAll(getRequestedFor(urlPathEqualTo("/orders-system/orders/SP-6161")))
                .isEmpty());
    // The agent tags the ticket meanwhile: a second input, stored while the first is worked.
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(ticket, created, "cancellation_request vip", "Cancel", "SP-6161"),
                "inv-round-2")
            .status());
    assertEquals(2, inputs(ticket, false), "both stored");

    Desk.await("both inputs worked", () -> inputs(ticket, true) == 0);
    assertEquals(2, inputs(ticket, false));
    assertEquals(1, desk.notes.notesOf(ticket).size(), "one step-1 note");
  }

  /** The ticket's inbox rows: all, or only those not worked yet. */
  private long inputs(long ticketId, boolean waitingOnly) {
    return desk.one(
        Long.class,
        "select count(*) from inbox where ticket_id = ?"
            + (waitingOnly ? " and processed_at is null" : ""),
        ticketId);
  }
}
