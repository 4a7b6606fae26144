package spark.desk.tracking.aftership;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.parcel;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.testing.TrackingVendor;

/**
 * {@code TRACKING_PROVIDER=aftership} through the real server (contract 6b, API 2026-07): a
 * WireMock stands in for AfterShip with the replies of {@code src/test/resources/aftership/} (see
 * its README for their sources), and pushes are signed as AfterShip signs them.
 */
class AfterShipTrackingTest {
  static final Duration POLL = Duration.ofHours(4);
  static final String API_KEY = "asat_test_key";
  static final String SECRET = "aftership-webhook-secret";
  static final String TRACKINGS = "/tracking/2026-07/trackings";

  TrackingVendor vendor;
  WireMockServer aftership;
  Desk desk;
  CaseDriver cases;

  @BeforeEach
  void start() {
    vendor =
        TrackingVendor.start(
            "aftership",
            "aftership-hmac-sha256",
            AfterShipSignature::sign,
            url ->
                Map.of(
                    "AFTERSHIP_URL",
                    url,
                    "AFTERSHIP_API_KEY",
                    API_KEY,
                    "AFTERSHIP_WEBHOOK_SECRET",
                    SECRET));
    aftership = vendor.server();
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

  String listOf(long ticketId, String trackingFixture) {
    return "{\"meta\": {\"code\": 200}, \"data\": {\"pagination\": {\"total\": 1, \"next_cursor\": null, \"has_next_page\": false}, \"trackings\": ["
        + fixture(trackingFixture, ticketId)
        + "]}}";
  }

  /** {@code GET /trackings?tracking_numbers=N} answers this tracking fixture, or none. */
  void stubList(long ticketId, String trackingFixture) {
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .withQueryParam("tracking_numbers", equalTo(parcel(ticketId)))
            .willReturn(
                okJson(
                    trackingFixture == null
                        ? fixture("trackings-empty.json", ticketId)
                        : listOf(ticketId, trackingFixture))));
  }

  void stubCreate(long ticketId, String trackingFixture) {
    aftership.stubFor(
        post(urlPathEqualTo(TRACKINGS))
            .withRequestBody(matchingJsonPath("$.tracking_number", equalTo(parcel(ticketId))))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"meta\": {\"code\": 201}, \"data\": "
                            + fixture(trackingFixture, ticketId)
                            + "}")));
  }

  JsonNode openWatched(long ticketId) {
    stubList(ticketId, "tracking-in-transit.json");
    return cases.openShipped(ticketId, true);
  }

  int lists(long ticketId) {
    return aftership
        .findAll(
            getRequestedFor(urlPathEqualTo(TRACKINGS))
                .withQueryParam("tracking_numbers", equalTo(parcel(ticketId))))
        .size();
  }

  int creates() {
    return aftership.findAll(postRequestedFor(urlPathEqualTo(TRACKINGS))).size();
  }

  Desk.Reply push(long ticketId, String eventId, String trackingFixture, String secret) {
    ObjectNode event =
        (ObjectNode)
            desk.readTree(
                fixture("webhook-tracking-update.json", ticketId).replace("@@EVENT@@", eventId));
    event.set("msg", desk.readTree(fixture(trackingFixture, ticketId)));
    return send(event.toString(), secret);
  }

  Desk.Reply send(String body, String secret) {
    return vendor.send(body, secret);
  }

  // ---- behaviour -------------------------------------------------------------------------

  @Test
  void stepOneReadsTheTrackingCreatingItOnceWhenAfterShipHasNone() {
    stubList(801, null);
    stubCreate(801, "tracking-in-transit.json");
    JsonNode first = cases.openShipped(801, false);

    assertTrue(note(first).startsWith("Step 1.2"), note(first));
    assertTrue(note(first).contains("Tracking status: in_transit"), note(first));
    assertTrue(
        note(first).contains("Arrived at Facility")
            && note(first).contains("https://www.ups.com/track?loc=en_US&tracknum=1Z801"),
        "the carrier's words and its tracking page: " + note(first));
    aftership.verify(
        getRequestedFor(urlPathEqualTo(TRACKINGS))
            .withQueryParam("tracking_numbers", equalTo(parcel(801)))
            .withQueryParam("slug", equalTo("ups"))
            .withHeader("as-api-key", equalTo(API_KEY)));
    aftership.verify(
        1,
        postRequestedFor(urlPathEqualTo(TRACKINGS))
            .withHeader("as-api-key", equalTo(API_KEY))
            .withRequestBody(
                equalToJson("{\"tracking_number\": \"" + parcel(801) + "\", \"slug\": \"ups\"}")));

    JsonNode tracking = cases.view(801).path("tracking");
    assertEquals("in_transit", tracking.path("status").asText());
    assertEquals("Arrived at Facility", tracking.path("message").asText());
    assertEquals(
        "https://www.ups.com/track?loc=en_US&tracknum=1Z801", tracking.path("url").asText());
  }

  @Test
  void pollsAfterShipWhenNoPushComesAndCreatesNothingMore() {
    stubList(802, null);
    stubCreate(802, "tracking-in-transit.json");
    cases.openShipped(802, true);
    assertEquals(1, creates());
    stubList(802, "tracking-in-transit.json");

    int reads = lists(802);
    cases.after(POLL);
    assertEquals(reads + 1, lists(802), "polled once the interval has passed");
    assertEquals(1, cases.writes(802).size(), "in transit changes nothing");

    stubList(802, "tracking-returned.json");
    cases.after(POLL);
    JsonNode escalation = cases.update(802, 2);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertTrue(
        tags(escalation).containsAll(List.of("cxl_return_to_sender", "cxl_refund_escalated")));
    assertEquals(1, creates(), "the tracking is created once per parcel");
  }

  @Test
  void pushedReturnToSenderEscalatesOnceAndARepeatedEventIsADuplicate() {
    openWatched(803);
    int reads = lists(803);

    Desk.Reply accepted =
        push(803, "0b6f1c2e-803a-4c1d-9e2f-3a4b5c6d7e8f", "tracking-returned.json", SECRET);
    assertEquals(202, accepted.status(), accepted.body());
    JsonNode escalation = cases.update(803, 2);
    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertTrue(note(escalation).contains("Package returned to shipper"), note(escalation));
    assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong());

    Desk.Reply again =
        push(803, "0b6f1c2e-803a-4c1d-9e2f-3a4b5c6d7e8f", "tracking-returned.json", SECRET);
    assertEquals(200, again.status(), again.body());
    assertTrue(again.json().path("duplicate").asBoolean(), again.body());
    assertEquals(2, cases.awaitAllApplied(803));
    assertEquals(
        1, desk.zendeskUpdates(803).stream().filter(u -> u.path("ticket").has("group_id")).count());
    assertEquals(reads, lists(803), "acted on the pushed tracking, not a poll");
  }

  @Test
  void pushedDeliveryAsksTheCustomerToKeepOrReturn() {
    openWatched(804);
    assertEquals(202, push(804, "e-804", "tracking-delivered.json", SECRET).status());

    JsonNode update = cases.update(804, 2);
    assertTrue(note(update).startsWith("Step 4.2"), note(update));
    assertTrue(tags(update).contains("cxl_delivered_after_refusal"), tags(update).toString());
    assertTrue(note(update).contains("Delivered: Front Door"), note(update));
    assertEquals("delivered", cases.view(804).path("logistics").path("trackingOutcome").asText());
  }

  @Test
  void deliveredAfterAReturningToSenderCheckpointCountsAsReturned() {
    openWatched(805);
    assertEquals(202, push(805, "e-805", "tracking-delivered-after-return.json", SECRET).status());

    JsonNode update = cases.update(805, 2);
    assertTrue(note(update).startsWith("Step 4.1"), note(update));
    assertTrue(tags(update).contains("cxl_return_to_sender"));
    assertFalse(tags(update).contains("cxl_delivered_after_refusal"), "delivered to the shipper");
  }

  @Test
  void badSignatureIsRefusedAndNothingIsStored() {
    openWatched(806);
    CaseDriver.assertError(push(806, "e-806", "tracking-returned.json", "not-the-secret"), 401);
    CaseDriver.assertError(push(806, "e-806", "tracking-returned.json", null), 401);

    cases.awaitInboxWorked();
    assertEquals("watching_tracking", cases.view(806).path("stage").asText());
    assertEquals(1, cases.writes(806).size());
    // The refused delivery's event_id was not remembered: AfterShip's retry, signed, is taken.
    assertEquals(202, push(806, "e-806", "tracking-returned.json", SECRET).status());
    assertTrue(note(cases.update(806, 2)).startsWith("Step 4.1"));
  }

  @Test
  void unwatchedParcelsAreIgnored() {
    openWatched(807);
    Desk.Reply stranger = push(899, "e-899", "tracking-returned.json", SECRET);
    assertEquals(200, stranger.status(), stranger.body());
    assertTrue(stranger.json().path("ignored").asBoolean(), "no case watches parcel 1Z899");
    long stored = desk.storedTrackers("1Z899");
    assertEquals(0, stored, "and nothing of it is stored");
    CaseDriver.assertError(send("{\"event\": \"tracking_update\", \"msg\": {}}", SECRET), 400);
    cases.awaitInboxWorked();
    assertEquals(1, cases.writes(807).size());
  }

  @Test
  void rateLimitedLookupWaitsForTheResetAndThenReadsTheTracking() {
    long reset = Instant.now().plusSeconds(1).getEpochSecond();
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .withQueryParam("tracking_numbers", equalTo(parcel(808)))
            .inScenario("rate limit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-RateLimit-Reset", String.valueOf(reset))
                    .withHeader("X-RateLimit-Limit", "6")
                    .withHeader("X-RateLimit-Remaining", "0")
                    .withBody(fixture("error-too-many-requests.json", 808)))
            .willSetStateTo("served"));
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .withQueryParam("tracking_numbers", equalTo(parcel(808)))
            .inScenario("rate limit")
            .whenScenarioStateIs("served")
            .willReturn(okJson(listOf(808, "tracking-in-transit.json"))));
    JsonNode first = cases.openShipped(808, false);

    assertTrue(note(first).contains("Tracking status: in_transit"), note(first));
    assertEquals(2, lists(808), "one 429, then the read");
    assertEquals(0, creates());
  }

  @Test
  void refusedApiKeyIsReportedAndTheWatchGoesOnOnceItWorks() {
    openWatched(809);
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture("error-unauthorized.json", 809))));
    cases.after(POLL);
    JsonNode view = cases.view(809);
    assertEquals("watching_tracking", view.path("stage").asText());
    assertTrue(
        view.path("timeline").toString().contains("wait for an operator"),
        view.path("timeline").toString());

    aftership.resetMappings();
    stubList(809, "tracking-returned.json");
    cases.after(POLL);
    assertTrue(note(cases.update(809, 2)).startsWith("Step 4.1"));
  }
}
