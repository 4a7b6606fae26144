package spark.desk.runner;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.desk.testing.Desk;
import spark.desk.testing.ServiceProcess;
import spark.desk.testing.ZendeskNotes;

/**
 * The runner through a real process (issue 8, parts 1, 4 and 5): a clean stop (SIGTERM) mid-burst,
 * a long pause (SIGSTOP, SIGCONT) mid-burst, an order system that blips, and one that answers
 * slowly under a burst of webhooks. Every ticket gets its note exactly once.
 */
class RunnerProcessTest {
  @TempDir Path dir;
  WireMockServer wire;
  ZendeskNotes notes;
  ServiceProcess service;

  @BeforeEach
  void stubs() throws IOException {
    notes = new ZendeskNotes();
    wire = ServiceProcess.startStandIns(notes, 120);
    service = new ServiceProcess(dir, wire.baseUrl());
  }

  @AfterEach
  void stop() {
    service.close();
    wire.stop();
  }

  void orderSystemAnswers(int delayMillis) {
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .willReturn(
                okJson(Desk.order("SP-1", "processing", null, null)).withFixedDelay(delayMillis)));
  }

  void assertEveryTicketNotedOnce(long first, int count) {
    for (long t = first; t < first + count; t++) {
      assertEquals(1, notes.notesOf(t).size(), "ticket " + t + " got exactly one note");
      assertTrue(notes.notesOf(t).get(0).startsWith("Step 1.1"), notes.notesOf(t).get(0));
      assertEquals(
          1,
          wire.findAll(putRequestedFor(urlPathEqualTo("/api/v2/tickets/" + t + ".json"))).size());
    }
  }

  void awaitEveryTicketNoted(long first, int count, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    Desk.await(
        "every ticket noted",
        () -> {
          for (long t = first; t < first + count; t++) {
            if (notes.notesOf(t).isEmpty()) {
              if (System.nanoTime() > deadline)
                throw new AssertionError("ticket " + t + " has no note after " + max);
              return false;
            }
          }
          return true;
        },
        max.plusSeconds(5));
  }

  @Test
  void aStopMidBurstFinishesOrLeavesWorkCleanlyAndARestartNotesEveryTicketOnce() throws Exception {
    // Slow enough that work is running when SIGTERM lands, quick enough to finish within the
    // grace time.
    orderSystemAnswers(1500);
    service.start();
    for (long t = 7001; t <= 7020; t++) assertEquals(202, service.webhook(t).statusCode());
    service.signal("TERM");
    // Once the stop has begun, while running work finishes, a webhook is refused with 503 and
    // Retry-After (or finds the port closed), never taken and never a 500.
    Desk.await("the stop begun", () -> service.output().contains("stopping: no more webhooks"));
    try {
      HttpResponse<String> late = service.webhook(7999);
      assertEquals(503, late.statusCode(), late.body());
      assertTrue(late.headers().firstValue("Retry-After").isPresent());
    } catch (IOException closedAlready) {
      // the server was already down: the sender retries later, as it would after a 503
    }
    int exit = service.awaitExit(Duration.ofSeconds(40));
    assertTrue(exit == 143 || exit == 0, "exit code " + exit + ": " + service.output());
    assertEquals(List.of(), service.errorLines(), "no error lines on a clean stop");
    assertTrue(service.output().contains("stopped"), service.output());

    orderSystemAnswers(0);
    service.start();
    awaitEveryTicketNoted(7001, 20, Duration.ofSeconds(30));
    Desk.await("the queue empty", service::idle);
    assertEveryTicketNotedOnce(7001, 20);
    assertEquals(List.of(), service.errorLines(), "no error lines after the restart");
  }

  @Test
  void aProcessPausedFor35SecondsMidBurstStillNotesEveryTicketOnce() throws Exception {
    orderSystemAnswers(200);
    // Zendesk answers slowly too, so sends are in flight when the pause lands.
    wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(okJson("{}").withFixedDelay(300).withTransformers(ZendeskNotes.NAME)));
    service.start();
    for (long t = 7101; t <= 7124; t++) assertEquals(202, service.webhook(t).statusCode());
    service.signal("STOP");
    Thread.sleep(35_000); // the pause under test: heartbeats and leases age meanwhile
    service.signal("CONT");
    awaitEveryTicketNoted(7101, 24, Duration.ofSeconds(60));
    Desk.await("the queue empty", service::idle);
    assertEveryTicketNotedOnce(7101, 24);
  }

  @Test
  void anOrderSystemBlipOfTwoFailuresDelaysTheDecisionBySecondsNotMinutes() throws Exception {
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .inScenario("blip")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(serverError())
            .willSetStateTo("failed once"));
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .inScenario("blip")
            .whenScenarioStateIs("failed once")
            .willReturn(serverError())
            .willSetStateTo("recovered"));
    wire.stubFor(
        get(urlPathMatching("/orders-system/orders/.*"))
            .inScenario("blip")
            .whenScenarioStateIs("recovered")
            .willReturn(okJson(Desk.order("SP-1", "processing", null, null))));
    service.start();
    long sent = System.nanoTime();
    assertEquals(202, service.webhook(7201).statusCode());
    awaitEveryTicketNoted(7201, 1, Duration.ofSeconds(30));
    assertTrue(Duration.ofNanos(System.nanoTime() - sent).compareTo(Duration.ofSeconds(30)) < 0);
    assertEquals(3, wire.findAll(getRequestedFor(urlPathMatching("/orders-system/.*"))).size());
    Desk.await("the queue empty", service::idle);
    assertEveryTicketNotedOnce(7201, 1);
  }

  /** The order system fails once for this order, then answers after {@code delayMillis}. */
  void failsOnceThenAnswers(String number, int delayMillis) {
    String path = "/orders-system/orders/" + number;
    wire.stubFor(
        get(urlPathEqualTo(path))
            .inScenario(number)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(serverError())
            .willSetStateTo("answers"));
    wire.stubFor(
        get(urlPathEqualTo(path))
            .inScenario(number)
            .whenScenarioStateIs("answers")
            .willReturn(
                okJson(Desk.order(number, "processing", null, null)).withFixedDelay(delayMillis)));
  }

  @Test
  void eachCaseHasItsOwnTimerSoASlowRetryDelaysOnlyItsOwnCase() throws Exception {
    failsOnceThenAnswers("SP-7401", 10_000);
    failsOnceThenAnswers("SP-7402", 0);
    service.start();
    long sent = System.nanoTime();
    assertEquals(202, service.webhook(7401, "SP-7401").statusCode());
    assertEquals(202, service.webhook(7402, "SP-7402").statusCode());
    // Both lookups fail and are retried within seconds; 7401's retry then waits 10 s on the order
    // system, 7402's answers at once and is decided while 7401's still waits.
    awaitEveryTicketNoted(7402, 1, Duration.ofSeconds(9));
    assertTrue(notes.notesOf(7401).isEmpty(), "7401 decided before its slow retry answered");
    assertTrue(Duration.ofNanos(System.nanoTime() - sent).compareTo(Duration.ofSeconds(9)) < 0);
    awaitEveryTicketNoted(7401, 1, Duration.ofSeconds(30));
    Desk.await("the queue empty", service::idle);
    assertEveryTicketNotedOnce(7401, 2);
  }

  @Test
  void aSlowOrderSystemDoesNotSlowIntakeAndEveryTicketIsClassifiedOnce() throws Exception {
    orderSystemAnswers(12_000);
    service.start();
    // One delivery first, as in a running service: the burst is not the process's first request.
    assertEquals(202, service.webhook(7300).statusCode());
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<long[]>> replies = new ArrayList<>();
      for (long t = 7301; t <= 7380; t++) {
        long ticket = t;
        replies.add(
            senders.submit(
                () -> {
                  long start = System.nanoTime();
                  int status = service.webhook(ticket).statusCode();
                  return new long[] {status, (System.nanoTime() - start) / 1_000_000};
                }));
      }
      for (Future<long[]> f : replies) {
        long[] r = f.get();
        assertEquals(202, r[0]);
        assertTrue(r[1] < 2000, "a webhook reply took " + r[1] + " ms");
      }
    } finally {
      senders.shutdownNow();
    }
    awaitEveryTicketNoted(7300, 81, Duration.ofSeconds(90));
    Desk.await("the queue empty", service::idle);
    assertEveryTicketNotedOnce(7300, 81);
  }
}
