package spark.desk.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.Desk;

/**
 * Contract 7, "Economy": a decision costs one Zendesk request when the ticket has not changed since
 * the webhook; a 409 costs one read and keeps what the agent changed. Counted on WireMock's journal
 * through the real server.
 */
class OneRequestPerDecisionTest {
  Desk desk;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  /** What deciding costs: ticket reads and updates, comment reads, macro lookups. */
  private static final String DECISION_CALLS = "/api/v2/(tickets|macros)[/.].*";

  private int zendeskRequests() {
    return desk.wire.findAll(anyRequestedFor(urlPathMatching(DECISION_CALLS))).size();
  }

  @Test
  void aBacklogOfFiftyStepOneDecisionsCostsAboutOneRequestEach() {
    int cases = 50;
    for (int i = 0; i < cases; i++) {
      String number = "SP-" + (20000 + i);
      desk.stubOrder(Desk.order(number, "processing", null, null));
      var reply =
          desk.zendeskWebhook(
              Desk.triggerBody(
                  1000 + i,
                  Desk.START.minusSeconds(60).toString(),
                  "cancellation_request",
                  "Cancel",
                  number),
              "inv-backlog-" + i);
      assertEquals(202, reply.status());
    }
    Desk.await(
        "a note on every ticket",
        () -> {
          for (int i = 0; i < cases; i++) if (desk.zendeskUpdates(1000 + i).isEmpty()) return false;
          return true;
        });
    for (int i = 0; i < cases; i++) {
      List<JsonNode> puts = desk.zendeskUpdates(1000 + i);
      assertEquals(1, puts.size(), "ticket " + (1000 + i));
      JsonNode t = puts.get(0).path("ticket");
      assertTrue(t.path("safe_update").asBoolean(), "a safe update");
      assertEquals(
          Desk.START.minusSeconds(60).toString(),
          t.path("updated_stamp").asText(),
          "the webhook's updated_at is the stamp");
    }
    double perDecision = zendeskRequests() / (double) cases;
    assertTrue(
        perDecision <= 1.05,
        "Zendesk requests per decision: "
            + perDecision
            + " "
            + desk.wire.findAll(anyRequestedFor(urlPathMatching(DECISION_CALLS))).stream()
                .filter(r -> !r.getMethod().getName().equals("PUT"))
                .map(r -> r.getMethod() + " " + r.getUrl())
                .toList());
    assertEquals(
        0,
        desk.wire.findAll(getRequestedFor(urlPathMatching("/api/v2/tickets/\\d+\\.json"))).size(),
        "no ticket was read");
  }

  @Test
  void aTicketChangedMeanwhileIsReadOnceAndTheAgentsTagKept() {
    long ticket = 4242;
    String url = "/api/v2/tickets/" + ticket + ".json";
    // The agent added a tag after the webhook: Zendesk refuses the stale stamp once.
    desk.wire.stubFor(
        put(urlPathEqualTo(url))
            .inScenario("agent edit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\": \"UpdateConflict\"}"))
            .willSetStateTo("read"));
    desk.wire.stubFor(
        put(urlPathEqualTo(url))
            .inScenario("agent edit")
            .whenScenarioStateIs("read")
            .willReturn(
                okJson(
                        "{\"ticket\": {\"id\": 4242, \"updated_at\": \"2026-11-26T09:20:00Z\","
                            + " \"tags\": [\"cancellation_request\", \"vip\", \"cxl_not_shipped\"]}}")
                    .withTransformers(spark.desk.testing.ZendeskNotes.NAME)));
    desk.wire.stubFor(
        get(urlPathEqualTo(url))
            .willReturn(
                okJson(
                    "{\"ticket\": {\"id\": 4242, \"updated_at\": \"2026-11-26T09:15:00Z\","
                        + " \"tags\": [\"cancellation_request\", \"vip\"], \"custom_fields\": []}}")));
    desk.stubOrder(Desk.order("SP-30001", "processing", null, null));
    desk.zendeskWebhook(
        Desk.triggerBody(
            ticket,
            Desk.START.minusSeconds(60).toString(),
            "cancellation_request",
            "Cancel",
            "SP-30001"),
        "inv-409");

    Desk.await("the update after the conflict", () -> desk.zendeskUpdates(ticket).size() >= 2);
    List<JsonNode> puts = desk.zendeskUpdates(ticket);
    assertEquals(2, puts.size(), "the refused update, then one more");
    assertEquals(
        Desk.START.minusSeconds(60).toString(),
        puts.get(0).path("ticket").path("updated_stamp").asText());
    JsonNode second = puts.get(1).path("ticket");
    assertEquals("2026-11-26T09:15:00Z", second.path("updated_stamp").asText());
    Set<String> tags = new HashSet<>();
    second.path("tags").forEach(n -> tags.add(n.asText()));
    assertTrue(
        tags.containsAll(Set.of("vip", "cancellation_request", "cxl_not_shipped")), "" + tags);
    assertEquals(1, desk.wire.findAll(getRequestedFor(urlPathEqualTo(url))).size(), "one read");
    assertEquals(1, desk.notes.notesOf(ticket).size(), "one note");
  }
}
