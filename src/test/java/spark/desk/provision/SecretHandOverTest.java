package spark.desk.provision;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.App;
import spark.desk.config.Config;
import spark.desk.http.JsonHttp;
import spark.desk.testing.Desk;
import spark.desk.testing.MutableClock;
import spark.desk.webhook.Signatures;

/**
 * Contract section 8: the webhook's signing secret reaches a service started without {@code
 * ZENDESK_WEBHOOK_SECRET} by itself: stored by {@code provision} in the same database, and read
 * from Zendesk (live mode) after a rotation, at most once a minute.
 */
class SecretHandOverTest {
  private static final String EMAIL = "admin@spark.example";
  private static final String TOKEN = "api-token-123";

  private final String database = "jdbc:h2:mem:handover-" + UUID.randomUUID();
  private final MutableClock clock = new MutableClock(Desk.START);
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeZendesk zendesk;
  private WireMockServer wm;
  private App app;

  @BeforeEach
  void start() {
    zendesk = new FakeZendesk(EMAIL, TOKEN);
    wm = new WireMockServer(options().dynamicPort().extensions(zendesk));
    wm.start();
    wm.stubFor(any(anyUrl()).willReturn(ok()));
  }

  @AfterEach
  void stop() {
    if (app != null) app.stop();
    wm.stop();
  }

  @Test
  void aLiveServiceAcceptsDeliveriesOnceProvisionRanAndAfterTheSecretWasRotated() {
    app = startService(Map.of());
    assertEquals(401, deliverAsZendesk("not-yet-known"), "no secret anywhere yet");

    assertEquals(0, ProvisionTest.provision(env(Map.of()), List.of("--skip-app")).exit());
    String webhookId = zendesk.webhooks.keySet().iterator().next();
    assertEquals(202, deliver(zendesk.secrets.get(webhookId)));

    zendesk.secrets.put(webhookId, "rotated-in-admin-center");
    // The first refused delivery asked Zendesk (no webhook yet); a minute on, it may ask again.
    clock.advance(Duration.ofSeconds(61));
    int readsBefore = secretReads();
    // The first try finds the old secret and asks Zendesk in the background (503, Retry-After);
    // Zendesk's retry finds the new one.
    assertEquals(503, deliver("rotated-in-admin-center"), "Zendesk is asked in the background");
    assertEquals(202, deliverAsZendesk("rotated-in-admin-center"), "read again from Zendesk");
    assertEquals(readsBefore + 1, secretReads());

    assertEquals(401, deliver("forged"));
    assertEquals(401, deliver("forged-again"));
    assertEquals(readsBefore + 1, secretReads(), "Zendesk is asked at most once a minute");
    clock.advance(Duration.ofSeconds(61));
    assertEquals(401, deliverAsZendesk("forged"));
    assertEquals(readsBefore + 2, secretReads());
  }

  @Test
  void aShadowServiceTakesTheSecretProvisionStoredWithoutRestarting() {
    app = startService(Map.of("MODE", "shadow"));
    assertEquals(401, deliver("unknown"));

    assertEquals(0, ProvisionTest.provision(env(Map.of()), List.of("--skip-app")).exit());

    assertEquals(202, deliver(zendesk.secrets.values().iterator().next()));
    assertEquals(1, secretReads(), "only provision read it: shadow mode never asks Zendesk");
  }

  private int secretReads() {
    return wm.findAll(getRequestedFor(urlPathMatching("/api/v2/webhooks/[^/]+/signing_secret")))
        .size();
  }

  /**
   * Delivers as Zendesk does: a 503 with Retry-After (the secret is being read from Zendesk in the
   * background) is retried; the final status.
   */
  private int deliverAsZendesk(String secret) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status = deliver(secret);
    while (status == 503 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      status = deliver(secret);
    }
    return status;
  }

  private int deliver(String secret) {
    String ts = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    byte[] body =
        Desk.triggerBody(
                7001, "2026-11-26T09:12:40Z", "cancellation_request", "Cancel my order", "SP-7001")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/webhooks/zendesk"))
            .header("Content-Type", "application/json")
            .header("X-Zendesk-Webhook-Signature", Signatures.sign(secret, ts, body))
            .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
            .header("X-Zendesk-Webhook-Invocation-Id", UUID.randomUUID().toString())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private App startService(Map<String, String> extra) {
    Config config = Config.fromEnvironment(env(Map.of("PORT", "0")), extra);
    return App.create(
            config,
            db -> spark.desk.ports.Ports.production(config, JsonHttp.newClient(), db),
            clock,
            Duration.ofSeconds(1))
        .start();
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("ZENDESK_URL", wm.baseUrl());
    env.put("ZENDESK_EMAIL", EMAIL);
    env.put("ZENDESK_API_TOKEN", TOKEN);
    env.put("PUBLIC_URL", "https://desk.spark.example");
    env.put("DATABASE_URL", database);
    env.putAll(extra);
    return env;
  }
}
