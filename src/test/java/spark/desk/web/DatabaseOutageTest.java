package spark.desk.web;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import spark.desk.shared.Json;
import spark.desk.testing.Desk;
import spark.desk.testing.Postgres;
import spark.desk.testing.TcpProxy;
import spark.desk.testing.TestDatabase;
import spark.desk.webhook.Signatures;

/**
 * Contract 3: a webhook the database cannot take now is answered 503 with Retry-After, stores
 * nothing, and its sender's retry after the database returns is handled once. PostgreSQL sits
 * behind a local TCP proxy that the test cuts, under the real server.
 */
@ExtendWith(Postgres.Required.class)
class DatabaseOutageTest {
  static final int TICKETS = 4;
  final HttpClient http = HttpClient.newHttpClient();
  TestDatabase schema;
  TcpProxy proxy;
  Desk desk;

  @BeforeEach
  void start() throws Exception {
    Postgres.assumeAvailable();
    schema = Postgres.freshSchema();
    Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/").matcher(schema.url());
    assertTrue(m.find(), "a host:port URL: " + schema.url());
    proxy = new TcpProxy(m.group(1), Integer.parseInt(m.group(2)));
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", m.replaceFirst("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"));
    env.put("DATABASE_USER", schema.user());
    env.put("DATABASE_PASSWORD", schema.password());
    desk = Desk.start(env, Desk.START);
  }

  @AfterEach
  void stop() {
    try {
      if (desk != null) desk.close();
      if (proxy != null) proxy.close();
    } finally {
      if (schema != null) schema.close();
    }
  }

  HttpResponse<String> zendeskWebhook(long ticketId, String invocation) throws Exception {
    String body =
        Desk.triggerBody(
            ticketId,
            Desk.START.minusSeconds(60).toString(),
            "cancellation_request",
            "Cancel",
            "SP-" + ticketId);
    String ts = desk.clockView().instant().truncatedTo(ChronoUnit.SECONDS).toString();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/zendesk"))
            .header("Content-Type", "application/json")
            .header("X-Zendesk-Webhook-Signature", Signatures.sign(Desk.WEBHOOK_SECRET, ts, bytes))
            .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
            .header("X-Zendesk-Webhook-Invocation-Id", invocation)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> trackingPush(String number) throws Exception {
    byte[] bytes =
        Desk.tracker(number, "in_transit", "2026-11-25T08:00:00Z", "in_transit")
            .getBytes(StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/tracking"))
            .header("Content-Type", "application/json")
            .header("X-Tracking-Signature", Signatures.sign(Desk.TRACKING_SECRET, "", bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertUnavailable(HttpResponse<String> r) throws Exception {
    assertEquals(503, r.statusCode(), r.body());
    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 0, "Retry-After in seconds");
    JsonNode error = Json.mapper().readTree(r.body());
    assertEquals("unavailable", error.path("error").asText());
    assertFalse(error.path("detail").asText().isBlank());
  }

  long count(String sql) throws SQLException {
    try (Connection c = schema.connect();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void webhooksWhileTheDatabaseIsCutAre503AndTheirRetriesAreHandledOnce() throws Exception {
    for (int i = 1; i <= TICKETS; i++)
      desk.stubOrder(Desk.order("SP-" + (700 + i), "processing", null, null));
    // Before the outage: stored and acknowledged.
    assertEquals(202, zendeskWebhook(701, "inv-701").statusCode());

    proxy.cut();
    for (int i = 2; i <= TICKETS; i++) {
      long started = System.nanoTime();
      assertUnavailable(zendeskWebhook(700 + i, "inv-" + (700 + i)));
      assertTrue((System.nanoTime() - started) / 1_000_000 < 8_000, "intake does not wait long");
    }
    assertUnavailable(trackingPush("1Z700"));

    proxy.restore();
    // Nothing half-stored: neither the refused deliveries' ids nor their inputs.
    assertEquals(1, count("select count(*) from deliveries"));
    assertEquals(0, count("select count(*) from inbox where ticket_id <> 701"));

    // The senders retry: each is handled, and a repeat of a retry is a duplicate.
    for (int i = 2; i <= TICKETS; i++) {
      String inv = "inv-" + (700 + i);
      HttpResponse<String> retried = zendeskWebhook(700 + i, inv);
      for (int tries = 0; retried.statusCode() == 503 && tries < 20; tries++) {
        Thread.sleep(250); // the pool reconnects in the background
        retried = zendeskWebhook(700 + i, inv);
      }
      assertEquals(202, retried.statusCode(), retried.body());
      assertEquals(200, zendeskWebhook(700 + i, inv).statusCode(), "the same delivery again");
    }
    // An input whose work was cut mid-transaction is picked up again by the sweep once it is older
    // than the sweep age on the service's clock (here a settable one), as after a crash.
    desk.clock.advance(java.time.Duration.ofSeconds(15));
    desk.runDue();
    Desk.await(
        "a note on every ticket",
        () -> {
          for (int i = 1; i <= TICKETS; i++)
            if (desk.notes.notesOf(700 + i).isEmpty()) return false;
          return true;
        });
    for (int i = 1; i <= TICKETS; i++) {
      assertEquals(1, desk.notes.notesOf(700 + i).size(), "ticket " + (700 + i));
      assertEquals(1, count("select count(*) from inbox where ticket_id = " + (700 + i)));
    }
  }
}
