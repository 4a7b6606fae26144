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
 * The real process, killed (SIGKILL) right after acknowledging a burst of webhooks, or while it
 * sends their notes, then restarted on the same database: every ticket is handled, each exactly
 * once. The embedded H2 file is written in the background between the moments {@link
 * spark.desk.store.Durability} makes it durable (a reply, an outgoing update): these are what a
 * kill at any instant must find in the file.
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
    awaitNotes(5001, TICKETS, Duration.ofSeconds(20));
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

  @Test
  void aKillWhileNotesAreSentLeavesEveryTicketWithExactlyOneNote() throws Exception {
    int tickets = 60;
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .willReturn(okJson(Desk.order("SP-1", "processing", null, null))));
    // A slow Zendesk: the updates go out in waves of as many as the queue has threads, so the kill
    // below lands just after the second wave was counted as sent and left, long after the last
    // reply made the file durable. Only the outgoing update's own sync has put it there.
    wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(okJson("{}").withTransformers(ZendeskNotes.NAME).withFixedDelay(1_500)));
    service.start();
    for (int i = 1; i <= tickets; i++) assertEquals(202, service.webhook(7000 + i).statusCode());
    Desk.await("a second wave of updates on its way", () -> puts() > 34);
    service.signal("KILL");
    service.awaitExit(Duration.ofSeconds(30));
    int sentBeforeKill = puts();
    assertTrue(
        sentBeforeKill < tickets, "the kill must land while work is left (" + sentBeforeKill + ")");
    wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(okJson("{}").withTransformers(ZendeskNotes.NAME)));

    service.start();
    // An update counted as sent when the process died keeps its send lease (20 s); then it is
    // looked for in Zendesk and, found or not, sent at most once in all.
    awaitNotes(7001, tickets, Duration.ofSeconds(90));
    WorkQueue.awaitEmpty(URI.create(service.base()), Duration.ofSeconds(60));
    for (int i = 1; i <= tickets; i++) {
      long id = 7000 + i;
      assertEquals(1, notes.notesOf(id).size(), "ticket " + id + " got exactly one note");
      assertEquals(
          1,
          wire.findAll(putRequestedFor(urlPathEqualTo("/api/v2/tickets/" + id + ".json"))).size());
    }
  }

  /** Waits until each of {@code count} tickets from {@code first} on has a note. */
  private void awaitNotes(long first, int count, Duration max) {
    Desk.await(
        "every ticket written",
        () -> {
          for (long id = first; id < first + count; id++)
            if (notes.notesOf(id).isEmpty()) return false;
          return true;
        },
        max);
  }

  private int puts() {
    return wire.findAll(putRequestedFor(urlPathMatching("/api/v2/tickets/\\d+\\.json"))).size();
  }
}
