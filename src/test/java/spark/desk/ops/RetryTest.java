package spark.desk.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * {@code POST /api/cases/{ticketId}/retry} for an update Zendesk refused for good (issue 8, part
 * 7): the refusal is listed for ops, and a retry sends the update once Zendesk takes it.
 */
class RetryTest {
  Desk desk;
  CaseDriver cases;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    cases = new CaseDriver(desk);
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  @Test
  void anUpdateZendeskRefusedIsListedAndSentOnceWhenRetried() {
    // Zendesk refuses ticket 801's update as it does an invalid record (422): not retried alone.
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/801.json"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": \"RecordInvalid\", \"description\": \"Record validation errors\","
                            + " \"details\": {\"base\": [{\"description\": \"Group: is invalid\"}]}}")));
    desk.stubOrder(Desk.order(CaseDriver.order(801), "processing", null, null));
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(
                    801,
                    "2026-11-27T09:00:00Z",
                    "cancellation_request",
                    "Cancel my order",
                    CaseDriver.order(801)),
                "open-801")
            .status());
    Desk.await(
        "the refusal listed for ops",
        () -> desk.get("/api/ops/now", Desk.ADMIN_TOKEN).body().contains("write_refused"));
    assertEquals(1, cases.updateCount(801), "one PUT, refused; not sent again by itself");

    desk.wire.removeStub(
        desk.wire.getStubMappings().stream()
            .filter(m -> m.getPriority() != null && m.getPriority() == 1)
            .filter(m -> m.getRequest().getUrlPath() != null)
            .filter(m -> m.getRequest().getUrlPath().equals("/api/v2/tickets/801.json"))
            .findFirst()
            .orElseThrow());
    Desk.Reply retried = desk.post("/api/cases/801/retry", Desk.ADMIN_TOKEN, "");
    assertEquals(200, retried.status(), retried.body());

    JsonNode sent = cases.update(801, 2);
    assertTrue(CaseDriver.note(sent).startsWith("Step 1.1"), CaseDriver.note(sent));
    cases.awaitAllApplied(801);
    assertEquals(2, cases.updateCount(801), "the refused PUT, then the one Zendesk took");
    assertTrue(
        !desk.get("/api/ops/now", Desk.ADMIN_TOKEN).body().contains("write_refused"),
        "no longer listed");
  }
}
