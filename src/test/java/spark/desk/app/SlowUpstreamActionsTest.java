package spark.desk.app;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * Agent actions are queued and worked off the request thread (issue 8, part 1): while the order
 * system takes 6 s, 25 re-checks at once hold no pooled connection for that long, each is answered
 * within its bounded wait, and a webhook arriving meanwhile is taken at once.
 */
class SlowUpstreamActionsTest {
  static final int ACTIONS = 25;
  Desk desk;
  CaseDriver cases;
  // The order system on a stand-in of its own, with threads for every waiting call (a shared one
  // would also hold up Zendesk's answers).
  WireMockServer orders =
      new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(80));

  @BeforeEach
  void start() {
    orders.start();
    desk = Desk.start(Map.of("ORDERS_URL", orders.baseUrl() + "/orders-system"), Desk.START);
    cases = new CaseDriver(desk);
  }

  @AfterEach
  void stop() {
    desk.close();
    orders.stop();
  }

  void orderAnswers(long ticket, int delayMillis) {
    String number = CaseDriver.order(ticket);
    orders.stubFor(
        get(urlPathEqualTo("/orders-system/orders/" + number))
            .willReturn(
                okJson(Desk.order(number, "processing", null, null)).withFixedDelay(delayMillis)));
  }

  @Test
  void slowRechecksHoldNoConnectionAndAWebhookIsTakenMeanwhile() throws Exception {
    for (int i = 0; i < ACTIONS; i++) {
      orderAnswers(8001 + i, 0);
      cases.openNotShipped(8001 + i);
    }
    for (int i = 0; i < ACTIONS; i++) orderAnswers(8001 + i, 6000);
    HikariDataSource pool = (HikariDataSource) desk.app.database().dataSource();
    AtomicInteger mostInUse = new AtomicInteger();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                mostInUse.accumulateAndGet(
                    pool.getHikariPoolMXBean().getActiveConnections(), Math::max);
                Thread.onSpinWait();
              }
            });
    sampler.start();
    ExecutorService agents = Executors.newFixedThreadPool(ACTIONS);
    List<long[]> answers = new ArrayList<>();
    Desk.Reply intake;
    long intakeMillis;
    try {
      List<Future<long[]>> replies = new ArrayList<>();
      for (int i = 0; i < ACTIONS; i++) {
        long ticket = 8001 + i;
        replies.add(
            agents.submit(
                () -> {
                  long start = System.nanoTime();
                  int status = cases.agentAction(ticket, "recheck").status();
                  return new long[] {status, (System.nanoTime() - start) / 1_000_000};
                }));
      }
      // Every re-check is now waiting on the order system: its read is in the order system's
      // journal (WireMock records a request before its delayed answer), after each case's first.
      Desk.await(
          "every re-check waiting on the order system",
          () -> orders.getAllServeEvents().size() >= 2 * ACTIONS);
      long start = System.nanoTime();
      intake =
          desk.zendeskWebhook(
              Desk.triggerBody(8100, CaseDriver.CREATED, "cancellation_request", "Cancel", "SP-9"),
              "slow-upstream-8100");
      intakeMillis = (System.nanoTime() - start) / 1_000_000;
      for (Future<long[]> f : replies) answers.add(f.get());
    } finally {
      agents.shutdownNow();
      sampling.set(false);
      sampler.join();
    }
    assertTrue(
        mostInUse.get() < 10,
        "at most " + mostInUse.get() + " pooled connections were in use at once");
    assertEquals(202, intake.status(), intake.body());
    assertTrue(intakeMillis < 2000, "the webhook waited " + intakeMillis + " ms");
    for (long[] a : answers) assertEquals(200, a[0]);
    List<Long> took = answers.stream().map(a -> a[1]).toList();
    assertTrue(
        took.stream().allMatch(ms -> ms < 5500),
        "every action is answered within its bounded wait: " + took);
    // The re-checks went on after their answers: each case read its order again.
    Desk.await(
        "every re-check worked",
        () -> {
          for (int i = 0; i < ACTIONS; i++) {
            String path = "/orders-system/orders/" + CaseDriver.order(8001 + i);
            if (orders.findAll(getRequestedFor(urlPathEqualTo(path))).size() < 2) return false;
          }
          return true;
        });
  }
}
