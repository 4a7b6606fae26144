package spark.desk;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.desk.testing.Desk;
import spark.desk.testing.ServiceProcess;
import spark.desk.testing.WorkQueue;
import spark.desk.testing.ZendeskNotes;

/**
 * The real process, killed (SIGKILL) right after acknowledging a burst of webhooks, then restarted
 * on the same database: every ticket is handled, each exactly once.
 */
class CrashRecoveryTest {
  static final int TICKETS = 24;
  @TempDir Path dir;
  WireMockServer wire;
  ZendeskNotes notes;
  ServiceProcess service;

  @BeforeEach
  void zendesk() throws IOException {
    notes = new ZendeskNotes();
    // Threads for every hung call of the killed process, so they do not hold up the restarted one.
    wire = ServiceProcess.startStandIns(notes, 80);
    // An order system that hangs keeps every acknowledged ticket unworked when the process is
    // killed.
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .willReturn(
                okJson(Desk.order("SP-1", "processing", null, null)).withFixedDelay(60_000)));
    service = new ServiceProcess(dir, wire.baseUrl());
  }

  @AfterEach
  void stop() {
    if (service != null) service.close();
    wire.stop();
  }

  @Test
  void everyAcknowledgedTicketIsHandledExactlyOnceAfterAKillAndRestart() throws Exception {
    service.start();
    for (int i = 1; i <= TICKETS; i++) {
      assertEquals(202, service.webhook(5000 + i).statusCode());
    }
    service.signal("KILL");
    service.awaitExit(Duration.ofSeconds(30));
    // The order system answers again, at once, for the restarted process.
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .willReturn(okJson(Desk.order("SP-1", "processing", null, null))));
    int handledBeforeKill =
        (int) wire.findAll(putRequestedFor(urlPathMatching("/api/v2/tickets/\\d+\\.json"))).size();
    assertTrue(
        handledBeforeKill < TICKETS,
        "the kill must land while work is left (" + handledBeforeKill + " done)");

    service.start();
    Desk.await(
        "every ticket written",
        () -> {
          for (int i = 1; i <= TICKETS; i++) if (notes.notesOf(5000 + i).isEmpty()) return false;
          return true;
        });
    // Every inbox item worked and every update sent: a duplicate, if any, has been sent by now.
    WorkQueue.awaitEmpty(URI.create(service.base()));
    for (int i = 1; i <= TICKETS; i++) {
      assertEquals(
          1, notes.notesOf(5000 + i).size(), "ticket " + (5000 + i) + " got exactly one note");
      assertEquals(
          1,
          wire.findAll(putRequestedFor(urlPathEqualTo("/api/v2/tickets/" + (5000 + i) + ".json")))
              .size());
    }
  }
}
