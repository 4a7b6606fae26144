package spark.desk.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.CREATED;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.Desk;
import spark.desk.testing.WorkQueue;

/**
 * Intake through the real server: signatures, bad input, duplicates, and Zendesk's failure modes.
 */
class ZendeskWebhookTest {
  Desk desk;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    desk.stubOrder(Desk.order("SP-10001", "processing", null, null));
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  String body(long ticket) {
    return Desk.triggerBody(ticket, CREATED, "cancellation_request", "Cancel", "SP-10001");
  }

  Desk.Reply raw(byte[] body, String signature, String timestamp, String invocation) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/zendesk"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) b.header("X-Zendesk-Webhook-Signature", signature);
    if (timestamp != null) b.header("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
    if (invocation != null) b.header("X-Zendesk-Webhook-Invocation-Id", invocation);
    return desk.send(b.build());
  }

  void assertNothingStored(long ticket) {
    WorkQueue.awaitEmpty(desk); // would-be asynchronous work is done, not merely given time
    assertNull(desk.caseOf(ticket), "no case");
    assertTrue(
        desk.get("/metrics", null).body().contains("desk_inbox_pending 0"),
        "nothing waiting in the inbox");
    desk.wire.verify(0, putRequestedFor(urlMatching("/api/v2/tickets/.*")));
  }

  static void assertError(Desk.Reply r, int status) {
    assertEquals(status, r.status(), r.body());
    JsonNode j = r.json();
    assertTrue(j.hasNonNull("error") && j.has("detail"), "error body has both keys: " + r.body());
  }

  @Test
  void badSignatureIsRefusedAndChangesNothing() throws Exception {
    String ts = desk.clock.instant().toString();
    assertError(
        raw(
            body(201).getBytes(StandardCharsets.UTF_8),
            Signatures.sign("wrong-secret", ts, body(201).getBytes(StandardCharsets.UTF_8)),
            ts,
            "x1"),
        401);
    assertNothingStored(201);
  }

  @Test
  void unsignedDeliveryIsRefused() throws Exception {
    assertError(raw(body(202).getBytes(StandardCharsets.UTF_8), null, null, null), 401);
    assertNothingStored(202);
  }

  @Test
  void staleTimestampIsRefusedEvenWithAValidSignature() throws Exception {
    String ts = desk.clock.instant().minus(Duration.ofMinutes(6)).toString();
    byte[] b = body(203).getBytes(StandardCharsets.UTF_8);
    assertError(raw(b, Signatures.sign(Desk.WEBHOOK_SECRET, ts, b), ts, "x3"), 401);
    assertNothingStored(203);
  }

  @Test
  void timestampThatDoesNotParseIsRefused() throws Exception {
    byte[] b = body(204).getBytes(StandardCharsets.UTF_8);
    assertError(
        raw(b, Signatures.sign(Desk.WEBHOOK_SECRET, "yesterday", b), "yesterday", "x4"), 401);
    assertNothingStored(204);
  }

  @Test
  void malformedJsonIsA400AndChangesNothing() throws Exception {
    assertError(desk.zendeskWebhook("{\"ticket_id\": ", "x5"), 400);
    assertError(
        desk.zendeskWebhook("{\"ticket_id\": \"abc\", \"tags\": \"cancellation_request\"}", "x5b"),
        400);
    assertError(desk.zendeskWebhook("[1, 2]", "x5c"), 400);
    assertNothingStored(205);
  }

  @Test
  void bodyOver256KiBIsA413() throws Exception {
    String big =
        "{\"ticket_id\": \"206\", \"tags\": \"cancellation_request\", \"description\": \""
            + "x".repeat(300 * 1024)
            + "\"}";
    assertError(desk.zendeskWebhook(big, "x6"), 413);
    assertNothingStored(206);
  }

  @Test
  void aRefusedDeliverysInvocationIdIsNotRemembered() {
    String ts = desk.clock.instant().toString();
    byte[] b = body(207).getBytes(StandardCharsets.UTF_8);
    assertEquals(401, raw(b, "bogus", ts, "same-id").status());
    assertEquals(202, desk.zendeskWebhook(body(207), "same-id").status());
  }

  @Test
  void theSameDeliveryThreeTimesMakesOneNote() {
    assertEquals(202, desk.zendeskWebhook(body(208), "dup").status());
    for (int i = 0; i < 2; i++) {
      Desk.Reply again = desk.zendeskWebhook(body(208), "dup");
      assertEquals(200, again.status());
      assertTrue(again.json().path("duplicate").asBoolean());
    }
    Desk.await("the update", () -> desk.zendeskUpdates(208).size() == 1);
    desk.runDue();
    assertEquals(1, desk.zendeskUpdates(208).size());
    assertEquals(1, desk.caseOf(208).path("writes").size());
  }

  @Test
  void zendeskRefiringTheSameTicketDataWritesNothingNew() throws Exception {
    desk.zendeskWebhook(body(209), "r1");
    Desk.await("the update", () -> desk.zendeskUpdates(209).size() == 1);
    // Our own update fires the trigger again, with our tags on the ticket.
    String after =
        Desk.triggerBody(
            209,
            CREATED,
            "cancellation_request cxl_not_shipped cxl_logistics_requested",
            "Cancel",
            "SP-10001");
    assertEquals(202, desk.zendeskWebhook(after, "r2").status());
    assertEquals(202, desk.zendeskWebhook(body(209), "r3").status());
    WorkQueue.awaitEmpty(desk);
    desk.runDue();
    WorkQueue.awaitEmpty(desk);
    assertEquals(1, desk.zendeskUpdates(209).size());
    assertEquals(1, desk.caseOf(209).path("writes").size());
  }

  @Test
  void anAgentsTagAddedBetweenTheWebhookAndOurWriteSurvives() {
    String first =
        "{\"ticket\": {\"id\": 210, \"tags\": [\"cancellation_request\"], \"updated_at\": \"2026-11-26T09:12:41Z\"}}";
    String second =
        "{\"ticket\": {\"id\": 210, \"tags\": [\"cancellation_request\", \"vip_customer\"], \"updated_at\": \"2026-11-26T09:13:30Z\"}}";
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/tickets/210.json"))
            .inScenario("race")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson(first)));
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/210.json"))
            .inScenario("race")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(409).withBody("{\"error\": \"UpdateConflict\"}"))
            .willSetStateTo("agent-edited"));
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/tickets/210.json"))
            .inScenario("race")
            .whenScenarioStateIs("agent-edited")
            .willReturn(okJson(second)));
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/210.json"))
            .inScenario("race")
            .whenScenarioStateIs("agent-edited")
            .willReturn(okJson("{\"ticket\": {}}")));

    desk.zendeskWebhook(body(210), "race-1");
    Desk.await("the retried update", () -> desk.zendeskUpdates(210).size() == 2);
    JsonNode retried = desk.zendeskUpdates(210).get(1).path("ticket");
    List<String> tags = new ArrayList<>();
    retried.path("tags").forEach(n -> tags.add(n.asText()));
    assertTrue(
        tags.containsAll(
            List.of(
                "vip_customer",
                "cancellation_request",
                "cxl_not_shipped",
                "cxl_logistics_requested")),
        tags.toString());
    assertEquals(
        "2026-11-26T09:13:30Z",
        retried.path("updated_stamp").asText(),
        "the re-read ticket's stamp");
    Desk.await("applied", () -> desk.caseOf(210).path("writes").get(0).path("applied").asBoolean());
  }

  @Test
  void a429WaitsAndThenSucceeds() {
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/211.json"))
            .inScenario("limit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
            .willSetStateTo("ok"));
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/211.json"))
            .inScenario("limit")
            .whenScenarioStateIs("ok")
            .willReturn(okJson("{\"ticket\": {}}")));
    desk.zendeskWebhook(body(211), "limit-1");
    Desk.await(
        "applied after the 429",
        () ->
            desk.caseOf(211) != null
                && desk.caseOf(211).path("writes").size() == 1
                && desk.caseOf(211).path("writes").get(0).path("applied").asBoolean());
    assertEquals(2, desk.zendeskUpdates(211).size(), "one refused, one accepted");
    long notes =
        desk.zendeskUpdates(211).stream().filter(u -> u.path("ticket").has("comment")).count();
    assertEquals(2, notes, "the same update was sent again, not a second decision");
    assertEquals(1, desk.caseOf(211).path("writes").size());
  }

  @Test
  void anUpdateWhoseReplyWasLostIsNotSentTwice() {
    // Zendesk takes the update, but the connection drops before its reply reaches us.
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/214.json"))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                okJson("{}")
                    .withTransformers(spark.desk.testing.ZendeskNotes.NAME)
                    .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("taken"));
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/214.json"))
            .inScenario("lost")
            .whenScenarioStateIs("taken")
            .willReturn(okJson("{}").withTransformers(spark.desk.testing.ZendeskNotes.NAME)));
    desk.zendeskWebhook(body(214), "lost-1");
    Desk.await(
        "the write marked applied after the retry",
        () ->
            desk.caseOf(214) != null
                && desk.caseOf(214).path("writes").size() == 1
                && desk.caseOf(214).path("writes").get(0).path("applied").asBoolean());
    assertEquals(1, desk.notes.notesOf(214).size(), "Zendesk has the note once");
    assertEquals(
        1, desk.zendeskUpdates(214).size(), "the retry found the note and did not send it again");
    desk.wire.verify(getRequestedFor(urlPathEqualTo("/api/v2/tickets/214/comments.json")));
  }

  @Test
  void writesWaitOutARefusedTokenInsteadOfBeingDropped() {
    // An admin rotated the API token: Zendesk answers 401 until the service is given the new one.
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/215.json"))
            .inScenario("token")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse().withStatus(401).withBody("{\"error\": \"Couldn't authenticate you\"}"))
            .willSetStateTo("fixed"));
    desk.wire.stubFor(
        put(urlPathEqualTo("/api/v2/tickets/215.json"))
            .inScenario("token")
            .whenScenarioStateIs("fixed")
            .willReturn(okJson("{}").withTransformers(spark.desk.testing.ZendeskNotes.NAME)));
    desk.zendeskWebhook(body(215), "token-1");
    Desk.await(
        "the write applied on the retry",
        () ->
            desk.caseOf(215) != null
                && desk.caseOf(215).path("writes").size() == 1
                && desk.caseOf(215).path("writes").get(0).path("applied").asBoolean());
    assertEquals(2, desk.zendeskUpdates(215).size());
    assertEquals(1, desk.notes.notesOf(215).size());
  }

  @Test
  void orderSystemFailingIsRetriedWithBackoffAndTheCaseRecovers() {
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-77"))
            .inScenario("orders")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("down-2"));
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-77"))
            .inScenario("orders")
            .whenScenarioStateIs("down-2")
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("up"));
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-77"))
            .inScenario("orders")
            .whenScenarioStateIs("up")
            .willReturn(okJson(Desk.order("SP-77", "processing", null, null))));
    desk.zendeskWebhook(
        Desk.triggerBody(212, CREATED, "cancellation_request", "Cancel", "SP-77"), "o-1");
    Desk.await("first failure recorded", () -> desk.caseOf(212) != null);
    assertEquals("lookup_failed", desk.caseOf(212).path("stage").asText());
    assertEquals(0, desk.zendeskUpdates(212).size(), "no note while retrying");
    desk.clock.advance(Duration.ofSeconds(31));
    desk.runDue();
    assertEquals(0, desk.zendeskUpdates(212).size());
    desk.clock.advance(Duration.ofSeconds(61));
    desk.runDue();
    Desk.await("the step 1.1 update", () -> desk.zendeskUpdates(212).size() == 1);
    assertTrue(
        desk.zendeskUpdates(212)
            .get(0)
            .path("ticket")
            .path("comment")
            .path("body")
            .asText()
            .startsWith("Step 1.1"));
    desk.wire.verify(3, getRequestedFor(urlPathEqualTo("/orders-system/orders/SP-77")));
  }

  @Test
  void orderSystemThatKeepsFailingEndsInLookupFailedWithANote() {
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-88")).willReturn(aResponse().withStatus(502)));
    desk.zendeskWebhook(
        Desk.triggerBody(213, CREATED, "cancellation_request", "Cancel", "SP-88"), "f-1");
    Desk.await("case", () -> desk.caseOf(213) != null);
    for (int i = 0; i < 6; i++) {
      desk.clock.advance(Duration.ofMinutes(10));
      desk.runDue();
    }
    Desk.await("the lookup-failed note", () -> desk.zendeskUpdates(213).size() == 1);
    JsonNode t = desk.zendeskUpdates(213).get(0).path("ticket");
    assertTrue(t.path("tags").toString().contains("cxl_lookup_failed"));
    assertTrue(t.path("comment").path("body").asText().startsWith("Step 1"));
    assertEquals("lookup_failed", desk.caseOf(213).path("stage").asText());
  }

  @Test
  void unsignedTrackingPushIsRefused() {
    Desk.Reply r =
        desk.send(
            HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/tracking"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Desk.tracker("1Z", "delivered", "2026-11-26T10:00:00Z")))
                .build());
    assertError(r, 401);
  }

  @Test
  void apiRoutesNeedTheirTokenBeforeAnythingElse() {
    assertError(desk.get("/api/app/tickets/999999", null), 401);
    assertError(desk.get("/api/app/tickets/999999", Desk.LOGISTICS_TOKEN), 401);
    assertError(desk.get("/api/app/tickets/999999", Desk.APP_TOKEN), 404);
    assertError(desk.get("/api/cases/1", Desk.APP_TOKEN), 401);
    assertError(desk.get("/api/logistics/requests", Desk.ADMIN_TOKEN), 401);
    assertError(desk.get("/api/app/tickets/abc", Desk.APP_TOKEN), 400);
  }
}
