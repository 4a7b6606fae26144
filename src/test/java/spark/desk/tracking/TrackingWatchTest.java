package spark.desk.tracking;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.assertError;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.webhook.Signatures;

/**
 * SOP steps 3.2 and 4 through the real server: the refusal request starts the tracking watch, the
 * tracker is polled every TRACKING_POLL_INTERVAL or pushed, a return to sender escalates the refund
 * (4.1), and the watch limit hands the case back to an agent. Time moves by the settable clock.
 */
class TrackingWatchTest {
  static final Duration POLL = Duration.ofHours(4);
  Desk desk;
  CaseDriver cases;

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  void start(Map<String, String> env) {
    desk = Desk.start(env, Desk.START);
    cases = new CaseDriver(desk);
  }

  static long groupUpdates(List<JsonNode> updates) {
    return updates.stream().filter(u -> u.path("ticket").has("group_id")).count();
  }

  @Test
  void unsuccessfulResultBeforeTheRefusalIsAskedSuggestsTheShippedMacroAndWatchesNothingYet() {
    start(Map.of());
    cases.openShipped(401, false);
    assertEquals(200, cases.logisticsResult(401, "unsuccessful").status());

    JsonNode update = cases.update(401, 2);
    assertTrue(tags(update).contains("cxl_logistics_unsuccessful"), tags(update).toString());
    assertTrue(note(update).startsWith("Step 3.2"), note(update));
    assertTrue(note(update).contains(CaseDriver.MACRO_SHIPPED), note(update));
    assertEquals(
        CaseDriver.MACRO_SHIPPED, cases.view(401).path("suggestedMacro").path("title").asText());

    int reads = cases.trackerReads(401);
    cases.after(POLL.multipliedBy(2));
    assertEquals(
        reads,
        cases.trackerReads(401),
        "no tracking check before the customer is asked to refuse the parcel");
  }

  @Test
  void refusalTagStartsTheWatchThatPollsTheTrackerAndEscalatesOnReturnToSender() {
    start(Map.of());
    cases.openShipped(402, false);
    assertEquals(200, cases.logisticsResult(402, "unsuccessful").status());
    cases.update(402, 2);

    cases.ticketUpdatedWithTags(402, "cxl_refusal_requested");
    JsonNode view = cases.view(402);
    assertTrue(view.path("refusalRequested").asBoolean());
    assertEquals("watching_tracking", view.path("stage").asText());
    assertTrue(view.path("suggestedMacro").isNull(), "the Shipped macro is no longer due");

    int reads = cases.trackerReads(402);
    cases.after(POLL.minusSeconds(1));
    assertEquals(reads, cases.trackerReads(402), "not polled before the interval");
    cases.after(Duration.ofSeconds(1));
    assertEquals(reads + 1, cases.trackerReads(402), "polled once the interval has passed");
    assertEquals(2, cases.writes(402).size(), "in transit changes nothing");

    cases.stubParcel(
        402, "return_to_sender", "2026-11-26T15:00:00Z", "in_transit", "return_to_sender");
    cases.after(POLL);
    JsonNode escalation = cases.update(402, 3);
    assertTrue(
        tags(escalation).containsAll(List.of("cxl_return_to_sender", "cxl_refund_escalated")),
        tags(escalation).toString());
    assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong());
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertTrue(
        note(escalation).contains("SP-402") && note(escalation).contains("59.90 USD"),
        note(escalation));

    int after = cases.trackerReads(402);
    cases.after(POLL.multipliedBy(3));
    assertEquals(after, cases.trackerReads(402), "the watch has ended");
  }

  @Test
  void logisticsResultAfterAReturnToSenderIsRecordedAndEscalatesNothing() {
    start(Map.of());
    cases.openShipped(403, true);
    cases.stubParcel(
        403, "return_to_sender", "2026-11-26T12:00:00Z", "in_transit", "return_to_sender");
    cases.after(POLL);
    assertTrue(note(cases.update(403, 2)).startsWith("Step 4.1"));

    Desk.Reply late = cases.logisticsResult(403, "successful");
    assertEquals(200, late.status(), late.body());
    assertEquals("successful", late.json().path("result").asText());
    assertEquals("return_to_sender", late.json().path("trackingOutcome").asText());

    JsonNode recorded = cases.update(403, 3);
    assertTrue(tags(recorded).contains("cxl_logistics_successful"));
    assertFalse(tags(recorded).contains("cxl_refund_escalated"), "no second escalation");
    assertFalse(recorded.has("group_id"), "no second group change");
    assertEquals(3, cases.awaitAllApplied(403));
    assertEquals(1, groupUpdates(desk.zendeskUpdates(403)));
    assertEquals("refund_escalated", cases.view(403).path("stage").asText());
  }

  @Test
  void pushedReturnToSenderIsActedOnAtOnceWithoutWaitingForThePoll() {
    start(Map.of());
    cases.openShipped(404, true);
    int reads = cases.trackerReads(404);

    JsonNode accepted =
        cases
            .push(404, "return_to_sender", "2026-11-26T09:12:50Z", "in_transit", "return_to_sender")
            .json();
    assertEquals(1, accepted.path("cases").asInt(), "the push concerns one watched case");

    JsonNode escalation = cases.update(404, 2);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertTrue(
        tags(escalation).containsAll(List.of("cxl_return_to_sender", "cxl_refund_escalated")));
    assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong());
    assertEquals(reads, cases.trackerReads(404), "acted on the pushed state, not a poll");
  }

  @Test
  void pushedDeliveryAfterAReturnToSenderEventCountsAsReturned() {
    start(Map.of());
    cases.openShipped(405, true);
    cases.push(
        405, "delivered", "2026-11-26T09:12:50Z", "in_transit", "return_to_sender", "delivered");

    JsonNode update = cases.update(405, 2);
    assertTrue(note(update).startsWith("Step 4.1"), note(update));
    assertTrue(tags(update).contains("cxl_return_to_sender"));
    assertFalse(
        tags(update).contains("cxl_delivered_after_refusal"),
        "delivered back to the sender, not to the customer");
    assertEquals(
        "return_to_sender", cases.view(405).path("logistics").path("trackingOutcome").asText());
  }

  @Test
  void pushWithABadSignatureIsRefusedAndChangesNothing() {
    start(Map.of());
    cases.openShipped(406, true);
    byte[] body =
        Desk.tracker(
                CaseDriver.parcel(406),
                "return_to_sender",
                "2026-11-26T09:12:50Z",
                "return_to_sender")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/tracking"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    assertError(
        desk.send(
            request
                .copy()
                .header("X-Tracking-Signature", Signatures.sign("wrong-secret", "", body))
                .build()),
        401);
    assertError(desk.send(request.copy().build()), 401);

    cases.awaitInboxWorked();
    JsonNode view = cases.view(406);
    assertEquals("watching_tracking", view.path("stage").asText());
    assertEquals("in_transit", view.path("tracking").path("status").asText());
    assertEquals(1, cases.writes(406).size());
    // Nor was the refused state kept: the next poll sees the tracker as the tracking service shows
    // it.
    cases.after(POLL);
    assertEquals("watching_tracking", cases.view(406).path("stage").asText());
    assertEquals(1, cases.writes(406).size());
  }

  @Test
  void watchLimitPassingInTransitMarksTheTrackingStalledOnce() {
    start(Map.of("TRACKING_WATCH_LIMIT", "P2D", "TRACKING_POLL_INTERVAL", "PT4H"));
    cases.openShipped(407, true);
    assertEquals(200, cases.logisticsResult(407, "unsuccessful").status());

    for (int i = 1; i < 12; i++) cases.after(POLL);
    assertTrue(cases.writes(407, "4").isEmpty(), "not before two days");
    cases.after(POLL);
    List<JsonNode> stalled = cases.writes(407, "4");
    assertEquals(1, stalled.size(), "stalled once the two days have passed");
    assertTrue(stalled.get(0).path("tags").toString().contains("cxl_tracking_stalled"));
    assertTrue(stalled.get(0).path("note").asText().startsWith("Step 4"));

    int reads = cases.trackerReads(407);
    for (int i = 0; i < 3; i++) cases.after(POLL);
    assertEquals(1, cases.writes(407, "4").size(), "said once");
    assertEquals(reads + 3, cases.trackerReads(407), "the watch goes on");
    int updates = cases.awaitAllApplied(407);
    JsonNode last = cases.update(407, updates);
    assertTrue(tags(last).contains("cxl_tracking_stalled"), tags(last).toString());
    assertEquals("watching_tracking", cases.view(407).path("stage").asText());
  }

  @Test
  void returnToSenderAfterAStalledWatchRemovesTheStalledTag() {
    start(Map.of("TRACKING_WATCH_LIMIT", "P2D", "TRACKING_POLL_INTERVAL", "PT4H"));
    cases.zendeskKeepsTags();
    cases.openShipped(409, true);
    assertEquals(200, cases.logisticsResult(409, "unsuccessful").status());
    cases.update(409, 2);
    for (int i = 0; i < 12; i++) cases.after(POLL);
    assertTrue(tags(cases.update(409, 3)).contains("cxl_tracking_stalled"));

    cases.push(409, "return_to_sender", "2026-11-28T12:00:00Z", "in_transit", "return_to_sender");
    JsonNode escalation = cases.update(409, 4);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertFalse(
        tags(escalation).contains("cxl_tracking_stalled"),
        "resolved by the return to sender: " + tags(escalation));
    assertTrue(
        tags(escalation)
            .containsAll(
                List.of(
                    "cxl_shipped",
                    "cxl_logistics_unsuccessful",
                    "cxl_return_to_sender",
                    "cxl_refund_escalated")),
        tags(escalation).toString());
  }

  @Test
  void unsuccessfulResultForAnOrderThatShippedSinceStep1LearnsItsParcelAndWatchesIt() {
    start(Map.of());
    cases.openNotShipped(410);
    desk.stubOrder(Desk.order(CaseDriver.order(410), "shipped", CaseDriver.parcel(410), null));
    cases.stubParcel(410, "in_transit", "2026-11-26T09:00:00Z", "in_transit");
    assertEquals(200, cases.logisticsResult(410, "unsuccessful").status());

    JsonNode update = cases.update(410, 2);
    assertTrue(note(update).startsWith("Step 3.2"), note(update));
    assertTrue(
        note(update).contains(CaseDriver.parcel(410)),
        "the note shows the parcel: " + note(update));
    assertTrue(note(update).contains(CaseDriver.MACRO_SHIPPED), note(update));
    assertEquals(
        CaseDriver.parcel(410), cases.view(410).path("order").path("trackingNumber").asText());

    assertEquals(200, cases.agentAction(410, "refusal_requested").status());
    cases.push(410, "return_to_sender", "2026-11-26T09:12:59Z", "in_transit", "return_to_sender");
    JsonNode escalation = cases.update(410, 3);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong());
  }

  @Test
  void trackingServiceDownDelaysTheWatchButNeverEndsIt() {
    start(Map.of());
    cases.openShipped(408, true);
    assertEquals(200, cases.logisticsResult(408, "unsuccessful").status());
    cases.update(408, 2);
    cases.stubParcelDown(408);

    int reads = cases.trackerReads(408);
    for (int i = 0; i < 3; i++) cases.after(POLL);
    assertEquals(reads + 3, cases.trackerReads(408), "tried again at every interval");
    assertEquals(2, cases.writes(408).size(), "no Zendesk update about a failing tracking service");
    JsonNode view = cases.view(408);
    assertEquals("watching_tracking", view.path("stage").asText());
    assertFalse(view.path("refundEscalated").asBoolean());

    cases.stubParcel(
        408, "return_to_sender", "2026-11-26T20:00:00Z", "in_transit", "return_to_sender");
    cases.after(POLL);
    JsonNode escalation = cases.update(408, 3);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
  }
}
