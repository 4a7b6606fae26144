package spark.desk.tracking.easypost;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.parcel;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.testing.TrackingVendor;

/**
 * {@code TRACKING_PROVIDER=easypost} through the real server (contract 6b): a WireMock stands in
 * for EasyPost with the replies of {@code src/test/resources/easypost/} (see its README for their
 * sources), and pushes are EasyPost Events signed as EasyPost signs them.
 */
class EasyPostTrackingTest {
  static final Duration POLL = Duration.ofHours(4);
  static final String API_KEY = "EZAK_test_key";
  static final String SECRET = "easypost-webhook-secret";

  TrackingVendor vendor;
  WireMockServer easypost;
  Desk desk;
  CaseDriver cases;

  @BeforeEach
  void start() {
    vendor =
        TrackingVendor.start(
            "easypost",
            "X-Hmac-Signature",
            EasyPostSignature::sign,
            url ->
                Map.of(
                    "EASYPOST_URL",
                    url,
                    "EASYPOST_API_KEY",
                    API_KEY,
                    "EASYPOST_WEBHOOK_SECRET",
                    SECRET));
    easypost = vendor.server();
    desk = vendor.desk();
    cases = vendor.cases();
  }

  @AfterEach
  void stop() {
    if (vendor != null) vendor.close();
  }

  // ---- the stand-in ----------------------------------------------------------------------

  String fixture(String name, long ticketId) {
    return vendor.fixture(name, ticketId);
  }

  /** {@code GET /v2/trackers?tracking_code=...} answers this tracker fixture, or none. */
  void stubList(long ticketId, String trackerFixture) {
    String body =
        trackerFixture == null
            ? fixture("trackers-empty.json", ticketId)
            : "{\"trackers\": [" + fixture(trackerFixture, ticketId) + "], \"has_more\": false}";
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .withQueryParam("tracking_code", equalTo(parcel(ticketId)))
            .willReturn(okJson(body)));
  }

  void stubCreate(long ticketId, String trackerFixture) {
    easypost.stubFor(
        post(urlPathEqualTo("/v2/trackers"))
            .withRequestBody(matchingJsonPath("$.tracker.tracking_code", equalTo(parcel(ticketId))))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture(trackerFixture, ticketId))));
  }

  /** A shipped case whose tracker EasyPost already has (so no create). */
  JsonNode openWatched(long ticketId) {
    stubList(ticketId, "tracker-in-transit.json");
    return cases.openShipped(ticketId, true);
  }

  int lists(long ticketId) {
    return easypost
        .findAll(
            getRequestedFor(urlPathEqualTo("/v2/trackers"))
                .withQueryParam("tracking_code", equalTo(parcel(ticketId))))
        .size();
  }

  int creates() {
    return easypost.findAll(postRequestedFor(urlPathEqualTo("/v2/trackers"))).size();
  }

  /** An EasyPost Event carrying the tracker fixture, signed with {@code secret}. */
  Desk.Reply push(long ticketId, String eventId, String trackerFixture, String secret) {
    ObjectNode event =
        (ObjectNode)
            desk.readTree(
                fixture("event-tracker-updated.json", ticketId).replace("@@EVENT@@", eventId));
    event.set("result", desk.readTree(fixture(trackerFixture, ticketId)));
    return send(event.toString(), secret);
  }

  Desk.Reply send(String body, String secret) {
    return vendor.send(body, secret);
  }

  // ---- behaviour -------------------------------------------------------------------------

  @Test
  void stepOneReadsTheTrackerCreatingItOnceWhenEasyPostHasNone() {
    stubList(701, null);
    stubCreate(701, "tracker-in-transit.json");
    JsonNode first = cases.openShipped(701, false);

    assertTrue(note(first).startsWith("Step 1.2"), note(first));
    assertTrue(note(first).contains("Tracking status: in_transit"), note(first));
    assertTrue(
        note(first).contains("Arrived at Facility")
            && note(first).contains("https://track.easypost.com/djE6dHJrXzNmMmMwYTdk"),
        "the carrier's words and EasyPost's tracking page: " + note(first));
    assertTrue(tags(first).contains("cxl_shipped"));
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString((API_KEY + ":").getBytes(StandardCharsets.UTF_8));
    easypost.verify(
        getRequestedFor(urlPathEqualTo("/v2/trackers"))
            .withQueryParam("tracking_code", equalTo(parcel(701)))
            .withQueryParam("carrier", equalTo("UPS"))
            .withHeader("Authorization", equalTo(basic)));
    easypost.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v2/trackers"))
            .withHeader("Authorization", equalTo(basic))
            .withRequestBody(
                equalToJson(
                    "{\"tracker\": {\"tracking_code\": \""
                        + parcel(701)
                        + "\", \"carrier\": \"UPS\"}}")));

    JsonNode tracking = cases.view(701).path("tracking");
    assertEquals("in_transit", tracking.path("status").asText());
    assertEquals("Arrived at Facility", tracking.path("message").asText());
    assertEquals("https://track.easypost.com/djE6dHJrXzNmMmMwYTdk", tracking.path("url").asText());
  }

  @Test
  void pollsEasyPostWhenNoPushComesAndCreatesNothingMore() {
    stubList(702, null);
    stubCreate(702, "tracker-in-transit.json");
    cases.openShipped(702, true);
    assertEquals(1, creates());
    stubList(702, "tracker-in-transit.json");

    int reads = lists(702);
    cases.after(POLL);
    assertEquals(reads + 1, lists(702), "polled once the interval has passed");
    assertEquals(1, cases.writes(702).size(), "in transit changes nothing");

    stubList(702, "tracker-return-to-sender.json");
    cases.after(POLL);
    JsonNode escalation = cases.update(702, 2);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertTrue(
        tags(escalation).containsAll(List.of("cxl_return_to_sender", "cxl_refund_escalated")));
    assertEquals(1, creates(), "the tracker is created once per parcel");
  }

  @Test
  void pushedReturnToSenderEscalatesOnceAndARepeatedEventIsADuplicate() {
    openWatched(703);
    int reads = lists(703);

    Desk.Reply accepted = push(703, "703a", "tracker-return-to-sender.json", SECRET);
    assertEquals(202, accepted.status(), accepted.body());
    JsonNode escalation = cases.update(703, 2);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertTrue(
        note(escalation).contains("The receiver refused the delivery"),
        "the carrier's own words: " + note(escalation));
    assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong());

    Desk.Reply again = push(703, "703a", "tracker-return-to-sender.json", SECRET);
    assertEquals(200, again.status(), again.body());
    assertTrue(again.json().path("duplicate").asBoolean(), again.body());
    assertEquals(2, cases.awaitAllApplied(703));
    assertEquals(
        1, desk.zendeskUpdates(703).stream().filter(u -> u.path("ticket").has("group_id")).count());
    assertEquals(reads, lists(703), "acted on the pushed tracker, not a poll");
  }

  @Test
  void pushedDeliveryAsksTheCustomerToKeepOrReturn() {
    openWatched(704);
    assertEquals(202, push(704, "704a", "tracker-delivered.json", SECRET).status());

    JsonNode update = cases.update(704, 2);
    assertTrue(note(update).startsWith("Step 4.2"), note(update));
    assertTrue(tags(update).contains("cxl_delivered_after_refusal"), tags(update).toString());
    assertTrue(note(update).contains("Delivered: Front Door"), note(update));
    assertEquals("delivered", cases.view(704).path("logistics").path("trackingOutcome").asText());
  }

  @Test
  void deliveredAfterAReturnToSenderScanCountsAsReturned() {
    openWatched(705);
    assertEquals(202, push(705, "705a", "tracker-delivered-after-return.json", SECRET).status());

    JsonNode update = cases.update(705, 2);
    assertTrue(note(update).startsWith("Step 4.1"), note(update));
    assertTrue(tags(update).contains("cxl_return_to_sender"));
    assertFalse(tags(update).contains("cxl_delivered_after_refusal"), "delivered to the shipper");
    assertEquals(
        "return_to_sender", cases.view(705).path("logistics").path("trackingOutcome").asText());
  }

  @Test
  void badSignatureIsRefusedAndNothingIsStored() {
    openWatched(706);
    Desk.Reply wrong = push(706, "706a", "tracker-return-to-sender.json", "not-the-secret");
    CaseDriver.assertError(wrong, 401);
    CaseDriver.assertError(push(706, "706a", "tracker-return-to-sender.json", null), 401);

    cases.awaitInboxWorked();
    assertEquals("watching_tracking", cases.view(706).path("stage").asText());
    assertEquals(1, cases.writes(706).size());
    // The refused delivery's id was not remembered: EasyPost's retry, signed, is taken.
    assertEquals(202, push(706, "706a", "tracker-return-to-sender.json", SECRET).status());
    assertTrue(note(cases.update(706, 2)).startsWith("Step 4.1"));
  }

  @Test
  void otherEventsAndUnwatchedParcelsAreIgnored() {
    openWatched(707);
    ObjectNode batch = (ObjectNode) desk.readTree(fixture("event-tracker-updated.json", 707));
    batch.put("description", "batch.created").put("id", "evt_batch");
    Desk.Reply other = send(batch.toString(), SECRET);
    assertEquals(200, other.status(), other.body());
    assertTrue(other.json().path("ignored").asBoolean());

    ObjectNode created =
        (ObjectNode)
            desk.readTree(
                fixture("event-tracker-updated.json", 707).replace("@@EVENT@@", "707created"));
    created.put("description", "tracker.created");
    created.set("result", desk.readTree(fixture("tracker-return-to-sender.json", 707)));
    Desk.Reply createdReply = send(created.toString(), SECRET);
    assertTrue(
        createdReply.json().path("ignored").asBoolean(), "contract 6b: only tracker.updated");

    Desk.Reply stranger = push(799, "799a", "tracker-return-to-sender.json", SECRET);
    assertEquals(200, stranger.status(), stranger.body());
    assertTrue(stranger.json().path("ignored").asBoolean(), "no case watches parcel 1Z799");
    assertEquals(0, desk.storedTrackers("1Z799"), "and nothing of it is stored");

    CaseDriver.assertError(send("{\"id\": \"evt_x\", \"description\": ", SECRET), 400);
    cases.awaitInboxWorked();
    assertEquals(1, cases.writes(707).size());
  }

  @Test
  void rateLimitedLookupWaitsAndThenReadsTheTracker() {
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .withQueryParam("tracking_code", equalTo(parcel(708)))
            .inScenario("rate limit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture("error-rate-limited.json", 708)))
            .willSetStateTo("served"));
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .withQueryParam("tracking_code", equalTo(parcel(708)))
            .inScenario("rate limit")
            .whenScenarioStateIs("served")
            .willReturn(
                okJson(
                    "{\"trackers\": ["
                        + fixture("tracker-in-transit.json", 708)
                        + "], \"has_more\": false}")));
    JsonNode first = cases.openShipped(708, false);

    assertTrue(note(first).contains("Tracking status: in_transit"), note(first));
    assertEquals(2, lists(708), "one 429, then the read");
    assertEquals(0, creates());
  }

  @Test
  void refusedApiKeyIsReportedAndTheWatchGoesOnOnceItWorks() {
    openWatched(709);
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture("error-unauthorized.json", 709))));
    cases.after(POLL);
    JsonNode view = cases.view(709);
    assertEquals("watching_tracking", view.path("stage").asText());
    assertTrue(
        view.path("timeline").toString().contains("wait for an operator"),
        view.path("timeline").toString());

    easypost.resetMappings();
    stubList(709, "tracker-return-to-sender.json");
    cases.after(POLL);
    assertTrue(note(cases.update(709, 2)).startsWith("Step 4.1"));
  }
}
