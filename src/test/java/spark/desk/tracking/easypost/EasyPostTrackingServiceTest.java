package spark.desk.tracking.easypost;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.http.JsonHttp;
import spark.desk.shared.UpstreamException;

/** The EasyPost adapter's own failure mapping, against a WireMock EasyPost. */
class EasyPostTrackingServiceTest {
  WireMockServer easypost;
  List<Duration> slept = new ArrayList<>();
  EasyPostTrackingService service;

  @BeforeEach
  void start() {
    easypost = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    easypost.start();
    service =
        new EasyPostTrackingService(
            JsonHttp.newClient(), URI.create(easypost.baseUrl()), "key", slept::add);
  }

  @AfterEach
  void stop() {
    easypost.stop();
  }

  @Test
  void aRateLimitWithoutAWaitHeaderBacksOffASecondAndTriesOnceMore() {
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .inScenario("429")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"code\": \"RATE_LIMITED\", \"message\": \"slow down\", \"errors\": []}}"))
            .willSetStateTo("again"));
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .inScenario("429")
            .whenScenarioStateIs("again")
            .willReturn(
                okJson(
                    "{\"trackers\": [{\"tracking_code\": \"1Z1\", \"carrier\": \"UPS\", \"status\": \"in_transit\", \"tracking_details\": []}], \"has_more\": false}")));

    assertEquals("in_transit", service.findTracker("1Z1", "UPS").orElseThrow().status());
    assertEquals(List.of(Duration.ofSeconds(1)), slept);
  }

  @Test
  void aSecond429InARowFailsAsRetryable() {
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "2")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"code\": \"RATE_LIMITED\", \"message\": \"slow down\", \"errors\": []}}")));

    UpstreamException e =
        assertThrows(UpstreamException.class, () -> service.findTracker("1Z1", "UPS"));
    assertTrue(e.retryable());
    assertEquals(429, e.status());
    assertEquals(List.of(Duration.ofSeconds(2)), slept, "waited once, as Retry-After asked");
    assertEquals(0, easypost.findAll(postRequestedFor(urlPathEqualTo("/v2/trackers"))).size());
  }

  @Test
  void aTrackerEasyPostRefusesToCreateIsALastingFailureNamingItsReason() {
    easypost.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .willReturn(okJson("{\"trackers\": [], \"has_more\": false}")));
    easypost.stubFor(
        post(urlPathEqualTo("/v2/trackers"))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\": {\"code\": \"TRACKER.INVALID_TRACKING_CODE\", \"message\": \"Invalid tracking code.\", \"errors\": []}}")));

    UpstreamException e =
        assertThrows(UpstreamException.class, () -> service.findTracker("XX", "UPS"));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("Invalid tracking code"), e.getMessage());
  }

  @Test
  void anOutageIsRetryable() {
    easypost.stubFor(get(urlPathEqualTo("/v2/trackers")).willReturn(serverError()));
    UpstreamException e =
        assertThrows(UpstreamException.class, () -> service.findTracker("1Z1", "UPS"));
    assertTrue(e.retryable());
    assertEquals(500, e.status());
  }
}
