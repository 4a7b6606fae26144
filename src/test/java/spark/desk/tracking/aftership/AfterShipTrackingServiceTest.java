package spark.desk.tracking.aftership;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.http.JsonHttp;
import spark.desk.shared.UpstreamException;
import spark.desk.tracking.Tracker;

/** The AfterShip adapter's own failure mapping, against a WireMock AfterShip. */
class AfterShipTrackingServiceTest {
  static final String TRACKINGS = "/tracking/2026-07/trackings";
  WireMockServer aftership;
  List<Duration> slept = new ArrayList<>();
  AfterShipTrackingService service;

  @BeforeEach
  void start() {
    aftership = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    aftership.start();
    service =
        new AfterShipTrackingService(
            JsonHttp.newClient(), URI.create(aftership.baseUrl()), "key", slept::add);
  }

  @AfterEach
  void stop() {
    aftership.stop();
  }

  static String tracking(String number, String slug) {
    return "{\"tracking_number\": \""
        + number
        + "\", \"slug\": \""
        + slug
        + "\", \"tag\": \"Pending\", \"subtag\": \"Pending_001\", \"subtag_message\": \"Pending\","
        + " \"checkpoints\": [], \"return_to_sender\": false}";
  }

  @Test
  void aSlugAfterShipDoesNotKnowIsDroppedSoThatItDetectsTheCourier() {
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .willReturn(okJson("{\"meta\": {\"code\": 200}, \"data\": {\"trackings\": []}}")));
    aftership.stubFor(
        post(urlPathEqualTo(TRACKINGS))
            .withRequestBody(matchingJsonPath("$.slug"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"meta\": {\"code\": 4005, \"type\": \"BadRequest\", \"message\": \"The value of `slug` is invalid.\"}, \"data\": {}}")));
    aftership.stubFor(
        post(urlPathEqualTo(TRACKINGS))
            .withRequestBody(equalToJson("{\"tracking_number\": \"RM123\"}"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"meta\": {\"code\": 201}, \"data\": "
                            + tracking("RM123", "royal-mail")
                            + "}")));

    Tracker t = service.findTracker("RM123", "Royal Mail").orElseThrow();

    assertEquals("pre_transit", t.status());
    assertEquals("Pending", t.message(), "subtag_message when no checkpoint has words");
    aftership.verify(
        postRequestedFor(urlPathEqualTo(TRACKINGS))
            .withRequestBody(
                equalToJson("{\"tracking_number\": \"RM123\", \"slug\": \"royalmail\"}")));
  }

  @Test
  void aRateLimitResetFarAheadIsNotWaitedInsideTheLookup() {
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader(
                        "X-RateLimit-Reset", "" + Instant.now().plusSeconds(60).getEpochSecond())
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"meta\": {\"code\": 429, \"type\": \"TooManyRequests\", \"message\": \"slow down\"}, \"data\": {}}")));

    UpstreamException e =
        assertThrows(UpstreamException.class, () -> service.findTracker("1Z1", "UPS"));
    assertEquals(429, e.status());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("retry after"), e.getMessage());
    assertEquals(List.of(), slept);
    assertEquals(1, aftership.findAll(getRequestedFor(urlPathEqualTo(TRACKINGS))).size());
  }

  @Test
  void aRefusedKeyWaitsForAnOperatorAndSaysWhatAfterShipSaid() {
    aftership.stubFor(
        get(urlPathEqualTo(TRACKINGS))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"meta\": {\"code\": 401, \"type\": \"Unauthorized\", \"message\": \"Invalid API key.\"}, \"data\": {}}")));

    UpstreamException e =
        assertThrows(UpstreamException.class, () -> service.findTracker("1Z1", "UPS"));
    assertEquals(401, e.status());
    assertTrue(e.retryable(), "an operator can fix the key; the work waits for it");
    assertTrue(
        e.getMessage().contains("wait for an operator")
            && e.getMessage().contains("Invalid API key"),
        e.getMessage());
  }
}
