package spark.desk;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.desk.testing.Desk;
import spark.desk.testing.WorkQueue;
import spark.desk.testing.ZendeskNotes;
import spark.desk.webhook.Signatures;

/**
 * The real process, killed (SIGKILL) right after acknowledging a burst of webhooks, then restarted
 * on the same database: every ticket is handled, each exactly once.
 */
class CrashRecoveryTest {
  static final int TICKETS = 24;
  @TempDir Path dir;
  WireMockServer wire;
  ZendeskNotes notes;
  Process process;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void zendesk() {
    notes = new ZendeskNotes();
    // Threads for every hung call of the killed process, so they do not hold up the restarted one.
    wire =
        new WireMockServer(
            WireMockConfiguration.options().dynamicPort().containerThreads(80).extensions(notes));
    wire.start();
    wire.stubFor(
        get(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(
                okJson(
                    "{\"ticket\": {\"tags\": [\"cancellation_request\"], \"updated_at\": \"2026-11-26T09:00:00Z\"}}")));
    wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(okJson("{}").withTransformers(ZendeskNotes.NAME)));
    wire.stubFor(
        get(urlPathMatching("/api/v2/tickets/\\d+/comments\\.json"))
            .willReturn(okJson("{}").withTransformers(ZendeskNotes.NAME)));
    wire.stubFor(get(urlPathEqualTo("/api/v2/macros.json")).willReturn(okJson("{\"macros\": []}")));
    // An order system that hangs keeps every acknowledged ticket unworked when the process is
    // killed.
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .willReturn(
                okJson(Desk.order("SP-1", "processing", null, null)).withFixedDelay(60_000)));
  }

  @AfterEach
  void stop() {
    if (process != null) process.destroyForcibly();
    wire.stop();
  }

  @Test
  void everyAcknowledgedTicketIsHandledExactlyOnceAfterAKillAndRestart() throws Exception {
    int port = freePort();
    process = launch(port);
    awaitReady(port);
    for (int i = 1; i <= TICKETS; i++) {
      assertEquals(202, webhook(port, 5000 + i).statusCode());
    }
    process.destroyForcibly().waitFor();
    // The order system answers again, at once, for the restarted process.
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .willReturn(okJson(Desk.order("SP-1", "processing", null, null))));
    int handledBeforeKill =
        (int) wire.findAll(putRequestedFor(urlPathMatching("/api/v2/tickets/\\d+\\.json"))).size();
    assertTrue(
        handledBeforeKill < TICKETS,
        "the kill must land while work is left (" + handledBeforeKill + " done)");

    process = launch(port);
    awaitReady(port);
    Desk.await(
        "every ticket written",
        () -> {
          for (int i = 1; i <= TICKETS; i++) if (notes.notesOf(5000 + i).isEmpty()) return false;
          return true;
        });
    // Every inbox item worked and every update sent: a duplicate, if any, has been sent by now.
    WorkQueue.awaitEmpty(URI.create("http://localhost:" + port));
    for (int i = 1; i <= TICKETS; i++) {
      assertEquals(
          1, notes.notesOf(5000 + i).size(), "ticket " + (5000 + i) + " got exactly one note");
      assertEquals(
          1,
          wire.findAll(putRequestedFor(urlPathEqualTo("/api/v2/tickets/" + (5000 + i) + ".json")))
              .size());
    }
  }

  Process launch(int port) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", String.valueOf(port));
    env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    env.put("ZENDESK_URL", wire.baseUrl());
    env.put("ZENDESK_EMAIL", "bot@spark.example");
    env.put("ZENDESK_API_TOKEN", "t");
    env.put("ZENDESK_WEBHOOK_SECRET", Desk.WEBHOOK_SECRET);
    env.put("ORDERS_URL", wire.baseUrl() + "/orders-system");
    env.put("TRACKING_URL", wire.baseUrl() + "/tracking-system");
    env.put("ZENDESK_RATE_LIMIT_RPM", "6000");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), "spark.desk.Main", "serve")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log()));
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  static File log() {
    File f = new File("target/crash-recovery-server.log");
    f.getParentFile().mkdirs();
    return f;
  }

  void awaitReady(int port) {
    Desk.await(
        "the server on port " + port,
        () -> {
          try {
            return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ready"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode()
                == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        },
        // a loaded machine may take long to start a JVM; nothing here is timed
        java.time.Duration.ofSeconds(90));
  }

  HttpResponse<String> webhook(int port, long ticket) throws Exception {
    String body =
        Desk.triggerBody(ticket, "2026-11-26T09:12:40Z", "cancellation_request", "Cancel", "SP-1");
    String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/zendesk"))
            .header("X-Zendesk-Webhook-Signature", Signatures.sign(Desk.WEBHOOK_SECRET, ts, bytes))
            .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
            .header("X-Zendesk-Webhook-Invocation-Id", "burst-" + ticket)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
