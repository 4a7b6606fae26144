package spark.desk.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import spark.desk.App;
import spark.desk.config.Config;
import spark.desk.http.JsonHttp;
import spark.desk.shared.Json;
import spark.desk.webhook.Signatures;

/**
 * The whole service for a test: the real server on a random port, a fresh database, and one
 * WireMock standing in for Zendesk ({@code /api/v2}), the order system ({@code /orders-system}) and
 * the tracking service ({@code /tracking-system}). Time is a {@link MutableClock}.
 *
 * <p>Usage: {@code try (Desk desk = Desk.start(Map.of())) { ... }}; extra environment variables
 * override the defaults (e.g. {@code MODE=shadow}, {@code DATABASE_URL=...} for PostgreSQL).
 */
public final class Desk implements AutoCloseable {
  public static final String WEBHOOK_SECRET = "test-webhook-secret";
  public static final String TRACKING_SECRET = "test-tracking-secret";
  public static final String APP_TOKEN = "test-app-token-0123456789abcdef0123456789";
  public static final String LOGISTICS_TOKEN = "test-logistics-token-0123456789abcdef012345";
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123456789";
  public static final long REFUND_GROUP = 360000777L;
  public static final long ORDER_FIELD = 9001L;

  /** In an override's value, stands for the WireMock's base URL. */
  public static final String WIREMOCK = "{wiremock}";

  /**
   * Where the tests' clock usually starts: Thursday 26 November 2026, 09:13 UTC, 20 s after {@link
   * CaseDriver#CREATED}.
   */
  public static final Instant START = Instant.parse("2026-11-26T09:13:00Z");

  public final WireMockServer wire;
  public final ZendeskNotes notes;
  public final MutableClock clock;
  public final App app;
  public final Map<String, String> env;

  /** False for an instance from {@link #startAnother()}: the WireMock belongs to the first. */
  private final boolean ownsWire;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = Json.mapper();

  private Desk(
      WireMockServer wire,
      ZendeskNotes notes,
      MutableClock clock,
      App app,
      Map<String, String> env,
      boolean ownsWire) {
    this.wire = wire;
    this.notes = notes;
    this.clock = clock;
    this.app = app;
    this.env = env;
    this.ownsWire = ownsWire;
  }

  public static Desk start(Map<String, String> overrides) {
    return start(overrides, Instant.now());
  }

  public static Desk start(Map<String, String> overrides, Instant start) {
    ZendeskNotes notes = new ZendeskNotes();
    WireMockServer wire =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(notes));
    wire.start();
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("DATABASE_URL", "jdbc:h2:mem:desk-" + UUID.randomUUID());
    env.put("ZENDESK_URL", wire.baseUrl());
    env.put("ZENDESK_EMAIL", "bot@spark.example");
    env.put("ZENDESK_API_TOKEN", "zd-token");
    env.put("ZENDESK_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("ZENDESK_ORDER_FIELD_ID", String.valueOf(ORDER_FIELD));
    env.put("ORDERS_URL", wire.baseUrl() + "/orders-system");
    env.put("ORDERS_TOKEN", "orders-token");
    env.put("TRACKING_URL", wire.baseUrl() + "/tracking-system");
    env.put("TRACKING_TOKEN", "tracking-token");
    env.put("TRACKING_WEBHOOK_SECRET", TRACKING_SECRET);
    env.put("REFUND_GROUP_ID", String.valueOf(REFUND_GROUP));
    env.put("APP_TOKEN", APP_TOKEN);
    env.put("LOGISTICS_TOKEN", LOGISTICS_TOKEN);
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("ZENDESK_RATE_LIMIT_RPM", "6000");
    env.putAll(overrides);
    env.values().removeIf(v -> v == null || v.isEmpty());
    // An override may point at the stand-in: "{wiremock}/shop" (its port is known only now).
    env.replaceAll((k, v) -> v.replace(WIREMOCK, wire.baseUrl()));
    MutableClock clock = new MutableClock(start);
    App app;
    try {
      app = startApp(env, clock);
    } catch (RuntimeException e) {
      wire.stop();
      throw e;
    }
    Desk desk = new Desk(wire, notes, clock, app, env, true);
    desk.stubZendeskDefaults();
    return desk;
  }

  /**
   * One more instance of the service, as a second machine of a multi-instance deployment would run
   * it: the same environment (so the same database, which only PostgreSQL or an in-memory H2 in
   * this JVM can share), the same WireMock and notes, its own port and its own clock set to this
   * one's time. Closing it stops only its App.
   */
  public Desk startAnother() {
    MutableClock own = new MutableClock(clock.instant());
    return new Desk(wire, notes, own, startApp(env, own), env, false);
  }

  private static App startApp(Map<String, String> env, MutableClock clock) {
    Config config = Config.fromEnvironment(env);
    return App.create(
            config,
            db -> spark.desk.ports.Ports.production(config, JsonHttp.newClient(), db),
            clock,
            Duration.ofSeconds(1))
        .start();
  }

  public String baseUrl() {
    return "http://localhost:" + app.port();
  }

  // ---- stubs -----------------------------------------------------------------------------

  /**
   * Zendesk answers: any ticket read gives a ticket with no tags, any update succeeds, no macros.
   */
  public void stubZendeskDefaults() {
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .atPriority(10)
            .willReturn(
                okJson(
                    "{\"ticket\": {\"id\": 1, \"tags\": [], \"updated_at\": \"2026-11-26T09:00:00Z\", \"custom_fields\": []}}")));
    wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .atPriority(10)
            .willReturn(okJson("{\"ticket\": {}}").withTransformers(ZendeskNotes.NAME)));
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathMatching("/api/v2/tickets/\\d+/comments\\.json"))
            .atPriority(10)
            .willReturn(okJson("{\"comments\": []}").withTransformers(ZendeskNotes.NAME)));
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/api/v2/macros.json"))
            .atPriority(10)
            .willReturn(okJson("{\"macros\": [], \"next_page\": null}")));
  }

  public void stubMacro(long id, String title) {
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/api/v2/macros.json"))
            .atPriority(5)
            .willReturn(
                okJson(
                    "{\"macros\": [{\"id\": "
                        + id
                        + ", \"title\": \""
                        + title
                        + "\"}], \"next_page\": null}")));
    // The service reads macros in the background (at start, every 10 minutes): read them now.
    app.macroIds().refresh();
  }

  public void stubOrder(String orderJson) {
    String number = readTree(orderJson).path("orderNumber").asText();
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathEqualTo("/orders-system/orders/" + number))
            .willReturn(okJson(orderJson)));
  }

  public void stubOrderMissing(String number) {
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathEqualTo("/orders-system/orders/" + number))
            .willReturn(notFound()));
  }

  public void stubTracker(String trackerJson) {
    String number = readTree(trackerJson).path("trackingNumber").asText();
    wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathEqualTo("/tracking-system/trackers/" + number))
            .willReturn(okJson(trackerJson)));
  }

  public static String order(String number, String status, String tracking, String deliveredAt) {
    return "{\"orderNumber\": \""
        + number
        + "\", \"status\": \""
        + status
        + "\", \"trackingNumber\": "
        + (tracking == null ? "null" : "\"" + tracking + "\"")
        + ", \"carrier\": "
        + (tracking == null ? "null" : "\"UPS\"")
        + ", \"placedAt\": \"2026-11-20T10:15:00Z\", \"shippedAt\": null, \"deliveredAt\": "
        + (deliveredAt == null ? "null" : "\"" + deliveredAt + "\"")
        + ", \"customerEmail\": \"jane@example.com\", \"total\": {\"amount\": \"59.90\", \"currency\": \"USD\"}}";
  }

  public static String tracker(
      String number, String status, String updatedAt, String... eventStatuses) {
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < eventStatuses.length; i++) {
      if (i > 0) events.append(',');
      events
          .append("{\"status\": \"")
          .append(eventStatuses[i])
          .append("\", \"description\": \"e\", \"occurredAt\": \"")
          .append(updatedAt)
          .append("\"}");
    }
    return "{\"trackingNumber\": \""
        + number
        + "\", \"carrier\": \"UPS\", \"status\": \""
        + status
        + "\", \"updatedAt\": \""
        + updatedAt
        + "\", \"deliveredAt\": "
        + (status.equals("delivered") ? "\"" + updatedAt + "\"" : "null")
        + ", \"events\": ["
        + events
        + "]}";
  }

  /** A section 4a trigger body. */
  public static String triggerBody(
      long ticketId, String createdAt, String tags, String subject, String orderNumber) {
    return "{\"ticket_id\": \""
        + ticketId
        + "\", \"created_at\": \""
        + createdAt
        + "\", \"updated_at\": \""
        + createdAt
        + "\", \"status\": \"new\", \"tags\": \""
        + tags
        + "\", \"subject\": \""
        + subject
        + "\", \"description\": \"Please cancel\", \"requester_email\": \"jane@example.com\", \"order_number\": \""
        + (orderNumber == null ? "" : orderNumber)
        + "\"}";
  }

  // ---- calls -------------------------------------------------------------------------------

  public record Reply(int status, String body) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** Posts a Zendesk webhook signed as Zendesk would, timestamped by the test clock. */
  public Reply zendeskWebhook(String body, String invocationId) {
    String ts = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/webhooks/zendesk"))
            .header("Content-Type", "application/json")
            .header("X-Zendesk-Webhook-Signature", Signatures.sign(WEBHOOK_SECRET, ts, bytes))
            .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (invocationId != null) b.header("X-Zendesk-Webhook-Invocation-Id", invocationId);
    return send(b.build());
  }

  public Reply trackingPush(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/webhooks/tracking"))
            .header("Content-Type", "application/json")
            .header("X-Tracking-Signature", Signatures.sign(TRACKING_SECRET, "", bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build());
  }

  public Reply get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b.build());
  }

  public Reply post(String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b.build());
  }

  public Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  /** How many trackers the service stored for the tracking number. */
  public long storedTrackers(String trackingNumber) {
    return one(
        Long.class, "select count(*) from trackers where tracking_number = ?", trackingNumber);
  }

  /** The one value a query of the service's database gives ({@code ?} bound to {@code args}). */
  public <T> T one(Class<T> type, String sql, Object... args) {
    return app.database()
        .jdbi()
        .withHandle(
            h -> {
              var query = h.createQuery(sql);
              for (int i = 0; i < args.length; i++) query.bind(i, args[i]);
              return query.mapTo(type).one();
            });
  }

  /** The admin view of a ticket's case (with writes), or null when it has none. */
  public JsonNode caseOf(long ticketId) {
    Reply r = get("/api/cases/" + ticketId, ADMIN_TOKEN);
    return r.status() == 404 ? null : r.json();
  }

  /** Every ticket update Zendesk received for the ticket (the PUT bodies), oldest first. */
  public List<JsonNode> zendeskUpdates(long ticketId) {
    List<LoggedRequest> puts =
        wire.findAll(putRequestedFor(urlPathEqualTo("/api/v2/tickets/" + ticketId + ".json")));
    return puts.stream().map(r -> readTree(r.getBodyAsString())).toList();
  }

  /** Waits (polling, bounded) for asynchronous work such as the worker's queue to reach a state. */
  public static void await(String what, BooleanSupplier condition) {
    await(what, condition, Duration.ofSeconds(20));
  }

  /** Waits (polling, bounded by {@code max}) for a condition. */
  public static void await(String what, BooleanSupplier condition, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Runs due timers now, as the worker's tick would after the clock moved. */
  public void runDue() {
    app.worker().runDueAndSweep();
  }

  public JsonNode readTree(String s) {
    try {
      return json.readTree(s);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  public Clock clockView() {
    return clock;
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      if (ownsWire) wire.stop();
    }
  }
}
