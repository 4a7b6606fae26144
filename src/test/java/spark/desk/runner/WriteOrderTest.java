package spark.desk.runner;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.testing.ZendeskNotes;

/**
 * The thread that decides a Zendesk update sends it at once, claimed as it was stored, but never
 * ahead of an older update of the same ticket that still waits: a ticket's notes reach Zendesk in
 * the order they were decided (WriteApplier.sendDecided, WriteStore.claimFresh).
 */
class WriteOrderTest {
  Desk desk;

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  @Test
  void anUpdateDecidedWhileAnOlderOneWaitsIsSentAfterIt() {
    desk = Desk.start(Map.of(), Desk.START);
    CaseDriver driver = new CaseDriver(desk);
    long ticket = 5151;
    String url = "/api/v2/tickets/" + ticket + ".json";
    // Zendesk fails the first update (a 500: tried again later), then takes every update.
    desk.wire.stubFor(
        put(urlPathEqualTo(url))
            .inScenario("blip")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(500).withBody("{\"error\": \"oops\"}"))
            .willSetStateTo("up"));
    desk.wire.stubFor(
        put(urlPathEqualTo(url))
            .inScenario("blip")
            .whenScenarioStateIs("up")
            .willReturn(okJson("{\"ticket\": {}}").withTransformers(ZendeskNotes.NAME)));

    driver.openNotShipped(ticket);
    // The step-1.1 update failed and waits for its retry (in 5 s).
    Desk.await("the first update refused", () -> lastError(ticket) != null);
    // Meanwhile logistics answers: the step-3 update is decided while step 1.1's still waits.
    assertEquals(200, driver.logisticsResult(ticket, "successful").status());

    Desk.await("both updates taken", () -> desk.notes.notesOf(ticket).size() == 2);
    List<String> sent =
        desk.zendeskUpdates(ticket).stream()
            .map(u -> u.path("ticket").path("comment").path("body").asText())
            .map(WriteOrderTest::step)
            .toList();
    assertEquals(List.of("1.1", "1.1", "3.1"), sent, "refused, then in the order decided");
    List<String> taken = desk.notes.notesOf(ticket).stream().map(WriteOrderTest::step).toList();
    assertEquals(List.of("1.1", "3.1"), taken);
  }

  private String lastError(long ticketId) {
    return desk.one(
        String.class, "select max(last_error) from writes where ticket_id = ?", ticketId);
  }

  /** "1.1" of a note "Step 1.1: ...". */
  private static String step(String note) {
    assertTrue(note.startsWith("Step "), note);
    return note.substring(5, note.indexOf(':'));
  }
}
