package spark.desk;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * Contract section 3: no request waits on an outside system. Zendesk answers its macro listing and
 * the webhook's signing secret only after 5 s; the sidebar's view and a Zendesk delivery answer at
 * once all the same, with what is known, and are right once the background read has answered.
 */
class NoRequestWaitsOnZendeskTest {
  private static final int ZENDESK_DELAY_MS = 5_000;
  Desk desk;

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  @Test
  void theCaseViewAnswersWithoutWaitingForZendesksMacrosAndShowsTheIdOnceRead() {
    desk = Desk.start(Map.of(), Desk.START);
    CaseDriver cases = new CaseDriver(desk);
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/macros.json"))
            .atPriority(1)
            .willReturn(
                okJson(
                        "{\"macros\": [{\"id\": 360001, \"title\": \""
                            + CaseDriver.MACRO_NOT_SHIPPED
                            + "\"}], \"next_page\": null}")
                    .withFixedDelay(ZENDESK_DELAY_MS)));
    cases.openNotShipped(801);
    int listingsBefore = macroListings();

    long started = System.nanoTime();
    JsonNode view = cases.view(801);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs < ZENDESK_DELAY_MS, "the view waited " + tookMs + " ms");
    assertEquals(CaseDriver.MACRO_NOT_SHIPPED, view.path("suggestedMacro").path("title").asText());
    assertTrue(
        view.path("suggestedMacro").path("id").isNull(), "not read yet: null, as for no macro");

    // The miss asked for a read in the background; once Zendesk answered, the view has the id.
    Desk.await(
        "the macro's id in the view",
        () -> cases.view(801).path("suggestedMacro").path("id").asLong() == 360001,
        Duration.ofSeconds(30));
    assertTrue(
        macroListings() <= listingsBefore + 1,
        "at most one background listing a minute, whatever the views asked");
  }

  @Test
  void aDeliveryBeforeTheSecretIsReadIsAnswered503AtOnceAndTakenOnceZendeskAnswered() {
    Map<String, String> env = new HashMap<>();
    env.put("ZENDESK_WEBHOOK_SECRET", ""); // none configured: read from Zendesk (contract 8)
    desk = Desk.start(env, Desk.START);
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/webhooks"))
            .willReturn(
                okJson(
                    "{\"webhooks\": [{\"id\": \"01WH\", \"name\": \"Cancellation Desk\","
                        + " \"status\": \"active\"}]}")));
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/webhooks/01WH/signing_secret"))
            .willReturn(
                okJson(
                        "{\"signing_secret\": {\"algorithm\": \"SHA256\", \"secret\": \""
                            + Desk.WEBHOOK_SECRET
                            + "\"}}")
                    .withFixedDelay(ZENDESK_DELAY_MS)));
    // The read at start-up found no webhook (nothing was stubbed yet); a minute on, a delivery
    // that cannot be verified may ask again.
    desk.clock.advance(Duration.ofSeconds(61));
    String body =
        Desk.triggerBody(
            802, "2026-11-26T09:12:40Z", "cancellation_request", "Cancel my order", "SP-802");

    long started = System.nanoTime();
    Desk.Reply first = desk.zendeskWebhook(body, "inv-802-1");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs < ZENDESK_DELAY_MS, "the delivery waited " + tookMs + " ms");
    assertEquals(503, first.status(), first.body());
    assertEquals("unavailable", first.json().path("error").asText());

    // Zendesk retries a 503 with Retry-After; once the secret is read, the retry is taken.
    Desk.await(
        "the delivery taken",
        () -> desk.zendeskWebhook(body, "inv-802-2").status() == 202,
        Duration.ofSeconds(30));
    assertEquals(
        1,
        desk.wire
            .findAll(getRequestedFor(urlPathEqualTo("/api/v2/webhooks/01WH/signing_secret")))
            .size(),
        "one read of the secret, in the background");
  }

  private int macroListings() {
    return desk.wire.findAll(getRequestedFor(urlPathEqualTo("/api/v2/macros.json"))).size();
  }
}
