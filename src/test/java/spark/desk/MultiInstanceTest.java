package spark.desk;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import spark.desk.testing.Desk;
import spark.desk.testing.Postgres;
import spark.desk.testing.TestDatabase;

/**
 * Two instances of the service sharing one PostgreSQL schema (and one Zendesk, order system and
 * tracking service), each with its own clock at the same time, as a team that outgrew one machine
 * runs it. Whatever is delivered, retried or run on both at once, every side effect happens once
 * per case (contract section 7). Skipped when no PostgreSQL answers, except on CI with
 * TEST_DATABASE_URL set (see {@link Postgres}).
 */
@ExtendWith(Postgres.Required.class)
class MultiInstanceTest {
  /** A Thursday; FOLLOWUP_TIME is 10:00 UTC, so the next-working-day check is Friday 10:00. */
  static final Instant START = Instant.parse("2026-11-26T09:13:00Z");

  static final Instant NEXT_FOLLOWUP = Instant.parse("2026-11-27T10:00:00Z");
  static final String CREATED = "2026-11-26T09:12:40Z";

  TestDatabase schema;
  Desk a;
  Desk b;
  ExecutorService pool;

  @BeforeEach
  void start() {
    Postgres.assumeAvailable();
    schema = Postgres.freshSchema();
    Map<String, String> env = schema.env();
    a = Desk.start(env, START);
    b = a.startAnother();
    pool = Executors.newFixedThreadPool(6);
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (pool != null) {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
      if (b != null) b.close();
    } finally {
      try {
        if (a != null) a.close();
      } finally {
        if (schema != null) schema.close();
      }
    }
  }

  /**
   * Every ticket delivered three times, concurrently, across both instances: once, again to the
   * other instance with the same invocation id (a redelivery), and once more with a new invocation
   * id (Zendesk re-firing its trigger). One note and one logistics request per ticket.
   */
  @Test
  void aBurstOfRedeliveredWebhooksAcrossInstancesGivesOneNoteAndOneRequestPerTicket()
      throws Exception {
    int tickets = 30;
    List<Long> ids = new ArrayList<>();
    for (long t = 301; t < 301 + tickets; t++) {
      ids.add(t);
      stubShippedOrder(t);
    }

    record Delivery(Desk to, long ticket, String invocation) {}
    Random random = new Random(7);
    List<Delivery> deliveries = new ArrayList<>();
    for (long t : ids) {
      Desk first = t % 2 == 0 ? a : b;
      Desk other = first == a ? b : a;
      List<Delivery> three =
          new ArrayList<>(
              List.of(
                  new Delivery(first, t, "inv-" + t),
                  new Delivery(other, t, "inv-" + t),
                  new Delivery(random.nextBoolean() ? a : b, t, "inv-" + t + "-refired")));
      // Each ticket's deliveries stay close together, so they race, in any order.
      Collections.shuffle(three, random);
      deliveries.addAll(three);
    }

    List<Desk.Reply> replies =
        concurrently(
            deliveries.stream()
                .<Callable<Desk.Reply>>map(
                    d -> () -> d.to().zendeskWebhook(trigger(d.ticket()), d.invocation()))
                .toList());

    Map<String, List<Desk.Reply>> byInvocation = new HashMap<>();
    for (int i = 0; i < deliveries.size(); i++)
      byInvocation
          .computeIfAbsent(deliveries.get(i).invocation(), k -> new ArrayList<>())
          .add(replies.get(i));
    for (long t : ids) {
      List<Desk.Reply> redelivered = byInvocation.get("inv-" + t);
      assertEquals(
          1,
          redelivered.stream().filter(r -> r.status() == 202).count(),
          "one of the two deliveries of inv-" + t + " is taken: " + redelivered);
      assertTrue(
          redelivered.stream()
              .anyMatch(r -> r.status() == 200 && r.json().path("duplicate").asBoolean()),
          "the other is answered 200 duplicate: " + redelivered);
      Desk.Reply refired = byInvocation.get("inv-" + t + "-refired").get(0);
      assertEquals(202, refired.status(), "a re-fire is a new delivery: " + refired);
      assertTrue(refired.json().path("accepted").asBoolean(), refired.body());
    }

    awaitInboxWorked();
    for (long t : ids)
      assertEquals(List.of("1.2"), decidedSteps(b, t), "ticket " + t + ": one write decided");
    JsonNode requests =
        b.get("/api/logistics/requests?status=all", Desk.LOGISTICS_TOKEN).json().path("requests");
    List<Long> requested = new ArrayList<>();
    requests.forEach(r -> requested.add(r.path("ticketId").asLong()));
    Collections.sort(requested);
    assertEquals(ids, requested, "one logistics request per ticket: " + requests);

    awaitWritesSent();
    for (long t : ids) {
      List<String> notes = a.notes.notesOf(t);
      assertEquals(1, notes.size(), "ticket " + t + " got one note: " + notes);
      assertTrue(notes.get(0).startsWith("Step 1.2"), notes.get(0));
      assertEquals(1, a.zendeskUpdates(t).size(), "ticket " + t + " got one update");
    }
  }

  /**
   * Both instances (and their background due checks) run the next-working-day check at the same
   * moment: each pending case gets one step 3 overdue note, not one per instance.
   */
  @Test
  void theNextWorkingDayCheckRunOnBothInstancesAtOnceWritesOneOverdueNotePerCase()
      throws Exception {
    List<Long> ids = fileShippedOrders(401, 12);

    a.clock.set(NEXT_FOLLOWUP);
    b.clock.set(NEXT_FOLLOWUP);
    concurrently(
        List.<Callable<Void>>of(
            () -> {
              a.runDue();
              return null;
            },
            () -> {
              b.runDue();
              return null;
            }));

    // Every due case was decided under its lock by one of the two runs (or a background check
    // that one of them waited for): the decisions are final now.
    for (long t : ids) assertEquals(List.of("1.2", "3"), decidedSteps(a, t), "ticket " + t);

    awaitWritesSent();
    for (long t : ids) {
      List<String> notes = a.notes.notesOf(t);
      assertEquals(2, notes.size(), "ticket " + t + ": step 1.2, then one step 3: " + notes);
      assertTrue(notes.get(1).startsWith("Step 3"), notes.get(1));
      JsonNode overdue = a.zendeskUpdates(t).get(1).path("ticket");
      assertTrue(
          overdue.path("tags").toString().contains("cxl_logistics_overdue"), overdue.toString());
    }
  }

  /**
   * The logistics team's result for one request posted to both instances at once: both answered 200
   * with the recorded result, one step 3.1 escalation per case.
   */
  @Test
  void oneResultPostedToBothInstancesAtOnceEscalatesEachCaseOnce() throws Exception {
    List<Long> ids = fileShippedOrders(501, 12);
    Map<Long, Long> requestOf = new HashMap<>();
    a.get("/api/logistics/requests?status=pending", Desk.LOGISTICS_TOKEN)
        .json()
        .path("requests")
        .forEach(r -> requestOf.put(r.path("ticketId").asLong(), r.path("id").asLong()));
    assertEquals(ids.size(), requestOf.size(), requestOf.toString());

    List<Callable<Desk.Reply>> posts = new ArrayList<>();
    for (long t : ids) {
      String path = "/api/logistics/requests/" + requestOf.get(t) + "/result";
      String body =
          "{\"result\": \"successful\", \"by\": \"Ana Logistics\", \"note\": \"Stopped "
              + t
              + "\"}";
      posts.add(() -> a.post(path, Desk.LOGISTICS_TOKEN, body));
      posts.add(() -> b.post(path, Desk.LOGISTICS_TOKEN, body));
    }
    List<Desk.Reply> replies = concurrently(posts);
    for (Desk.Reply r : replies) {
      assertEquals(200, r.status(), r.body());
      assertEquals("successful", r.json().path("result").asText(), r.body());
      assertEquals("Ana Logistics", r.json().path("resultBy").asText(), r.body());
    }

    // The result is acted on before the reply; anything left over is in the inbox.
    awaitInboxWorked();
    for (long t : ids) assertEquals(List.of("1.2", "3.1"), decidedSteps(b, t), "ticket " + t);

    awaitWritesSent();
    for (long t : ids) {
      List<String> notes = a.notes.notesOf(t);
      assertEquals(2, notes.size(), "ticket " + t + ": step 1.2, then one step 3.1: " + notes);
      assertTrue(notes.get(1).startsWith("Step 3.1"), notes.get(1));
      JsonNode escalation = a.zendeskUpdates(t).get(1).path("ticket");
      assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong(), escalation.toString());
      assertEquals("refund_escalated", a.caseOf(t).path("stage").asText());
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void stubShippedOrder(long ticket) {
    a.stubOrder(Desk.order("SP-" + ticket, "shipped", "1Z" + ticket, null));
    a.stubTracker(Desk.tracker("1Z" + ticket, "in_transit", "2026-11-25T08:00:00Z", "in_transit"));
  }

  private static String trigger(long ticket) {
    return Desk.triggerBody(ticket, CREATED, "cancellation_request", "Cancel", "SP-" + ticket);
  }

  /**
   * Steps 1.2 and 2 for {@code count} shipped orders, delivered to the two instances in turn;
   * returns once every case is settled with its one update.
   */
  private List<Long> fileShippedOrders(long first, int count) {
    List<Long> ids = new ArrayList<>();
    for (long t = first; t < first + count; t++) {
      ids.add(t);
      stubShippedOrder(t);
      Desk to = t % 2 == 0 ? a : b;
      Desk.Reply reply = to.zendeskWebhook(trigger(t), "inv-" + t);
      assertEquals(202, reply.status(), reply.body());
    }
    awaitInboxWorked();
    awaitWritesSent();
    for (long t : ids) assertEquals(1, a.notes.notesOf(t).size(), "ticket " + t);
    return ids;
  }

  /** Runs the calls at once (released together) on the pool; their results in the same order. */
  private <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> call : calls)
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return call.call();
              }));
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) results.add(f.get(20, TimeUnit.SECONDS));
    return results;
  }

  /** Waits until every input taken by either instance has been worked on. */
  private void awaitInboxWorked() {
    Desk.await("the inbox to be worked", () -> gauge("desk_inbox_pending") == 0);
  }

  /** Waits until every decided Zendesk write has been sent (or refused for good). */
  private void awaitWritesSent() {
    Desk.await("the Zendesk writes to be sent", () -> gauge("desk_writes_pending") == 0);
  }

  private long gauge(String name) {
    for (String line : a.get("/metrics", null).body().split("\n")) {
      if (line.startsWith(name + " "))
        return (long) Double.parseDouble(line.substring(name.length() + 1));
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  /** The steps of every write decided for the ticket, in order (applied or not). */
  private static List<String> decidedSteps(Desk desk, long ticket) {
    List<String> steps = new ArrayList<>();
    desk.caseOf(ticket).path("writes").forEach(w -> steps.add(w.path("step").asText()));
    return steps;
  }
}
