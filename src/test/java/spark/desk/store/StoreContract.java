package spark.desk.store;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.sop.Case;
import spark.desk.sop.OrderSnapshot;
import spark.desk.sop.Parcel;
import spark.desk.sop.Stage;
import spark.desk.sop.Write;
import spark.desk.testing.TestDatabase;

/**
 * What the store promises, written once and run on every database the service supports (one
 * subclass per database, as Jdbi and db-scheduler do). Each test gets an empty database migrated by
 * {@link Database#open}, the way the service starts.
 *
 * <p>The concurrency tests never time how fast something happens: a bounded wait only ever checks
 * that something has <em>not</em> happened yet (a transaction still waiting for a lock), which a
 * correct store passes however slow the machine is.
 */
abstract class StoreContract {
  /** Microseconds: what both databases' {@code timestamp with time zone} keep. */
  static final Instant T0 = Instant.parse("2026-11-26T09:13:00.123456Z");

  static final Duration LONG_WAIT = Duration.ofSeconds(20);

  /** How long a transaction that should be waiting is watched for not finishing. */
  static final Duration STILL_WAITING = Duration.ofMillis(300);

  final CaseStore cases = new CaseStore();
  final InboxStore inbox = new InboxStore();
  final WriteStore writeStore = new WriteStore();
  final TrackerStore trackers = new TrackerStore();
  final LogisticsStore logistics = new LogisticsStore();
  TestDatabase target;
  Database db;
  ExecutorService threads;

  /** An empty database of this kind, removed when closed. */
  abstract TestDatabase freshDatabase();

  @BeforeEach
  void openDatabase() {
    target = freshDatabase();
    db = target.open();
    threads = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void removeDatabase() {
    if (threads != null) threads.shutdownNow();
    if (db != null) db.close();
    if (target != null) target.close();
  }

  // ---- migrations --------------------------------------------------------------------------

  @Test
  void migrationsCreateEveryTableOnAnEmptyDatabaseAndASecondOpenAppliesNothing() {
    List<String> applied = appliedMigrations(db);
    assertFalse(applied.isEmpty(), "migrations ran");
    for (String table :
        List.of(
            "deliveries",
            "inbox",
            "cases",
            "case_history",
            "writes",
            "logistics_requests",
            "trackers",
            "settings",
            "scheduled_tasks")) {
      assertEquals(0, count(db, "select count(*) from " + table), table + " exists and is empty");
    }
    tx(
        h -> {
          cases.saveCase(h, caseOf(101, Stage.AWAITING_LOGISTICS, "1Z1", null), T0);
          return null;
        });

    try (Database again = target.open()) {
      assertEquals(applied, appliedMigrations(again), "the second open applies nothing");
      assertTrue(
          again.jdbi().withHandle(h -> cases.findCase(h, 101)).isPresent(), "and keeps the data");
    }
  }

  // ---- cases ---------------------------------------------------------------------------------

  @Test
  void savedCaseReadsBackWithEveryFieldIncludingItsOrderAndTracker() throws Exception {
    Case full = fullCase(201);
    assertNoNullComponent(full);
    assertNoNullComponent(full.order());
    assertNoNullComponent(full.order().total());
    assertNoNullComponent(full.parcel());
    assertNoNullComponent(full.parcel().events().get(0));
    assertNoNullComponent(full.lookup());
    assertNoNullComponent(full.logistics());
    assertNoNullComponent(full.watch());
    assertNoNullComponent(full.customer());

    tx(
        h -> {
          cases.saveCase(h, full, T0);
          return null;
        });

    assertEquals(Optional.of(full), read(h -> cases.findCase(h, 201)));
    assertEquals(Optional.of(full), read(h -> cases.findCase(h, 201)));
    assertEquals(true, read(h -> cases.exists(h, 201)));
    assertEquals(false, read(h -> cases.exists(h, 202)));
    assertEquals(Optional.empty(), read(h -> cases.findCase(h, 202)));
    assertEquals(Optional.empty(), read(h -> cases.findCase(h, 202)));
  }

  /**
   * The state column's JSON as the releases before the case was split into parts wrote it (one flat
   * object, lower-case words): such rows read back into the same case, so no migration is needed.
   */
  @Test
  void aCaseStoredInTheFlatShapeOfEarlierReleasesReadsBack() {
    String earlier =
        """
        {"ticketId":241,"ticketCreatedAt":"2026-11-26T09:12:40Z","orderNumber":"SP-241",
         "stage":"WATCHING_TRACKING","sopStep":"3.2",
         "order":{"orderNumber":"SP-241","status":"shipped","trackingNumber":"1Z241",
           "carrier":"UPS","placedAt":"2026-11-20T10:15:00Z","shippedAt":"2026-11-21T08:00:00Z",
           "deliveredAt":null,"customerEmail":"jane@example.com",
           "total":{"amount":"59.90","currency":"USD"}},
         "tracker":{"trackingNumber":"1Z241","carrier":"UPS","status":"in_transit",
           "updatedAt":"2026-11-27T10:00:00Z","deliveredAt":null,
           "events":[{"status":"in_transit","description":"Departed","occurredAt":"2026-11-27T10:00:00Z"}]},
         "refusalRequested":true,"logisticsResult":"unsuccessful",
         "logisticsResultAt":"2026-11-26T15:00:00Z","logisticsResultBy":"Lee",
         "logisticsNote":"already with UPS","refundEscalated":false,"trackingOutcome":null,
         "customerOutcome":null,"pendingCustomerAnswer":"return",
         "problemTags":["cxl_tracking_stalled"],"suggestedMacro":null,
         "nextAction":"Nothing to send now.","lookupAttempts":0,"nextLookupAt":null,
         "followupAt":null,"watchStartedAt":"2026-11-26T15:00:00Z",
         "nextTrackingCheckAt":"2026-11-27T19:00:00Z","trackingStalled":true}
        """;
    tx(
        h ->
            h.createUpdate(
                    "insert into cases (ticket_id, stage, order_number, tracking_number, next_due_at, state, created_at, updated_at) "
                        + "values (241, 'watching_tracking', 'SP-241', '1Z241', :due, :state, :now, :now)")
                .bind("due", Instant.parse("2026-11-27T19:00:00Z"))
                .bind("state", earlier)
                .bind("now", T0)
                .execute());

    Case c = read(h -> cases.findCase(h, 241)).orElseThrow();
    assertEquals(Stage.WATCHING_TRACKING, c.stage());
    assertEquals("1Z241", c.trackingNumber());
    assertEquals("59.90 USD", c.order().total().toString());
    assertEquals("in_transit", c.parcel().status());
    assertEquals(
        new Case.Logistics(
            Case.LogisticsResult.UNSUCCESSFUL,
            Instant.parse("2026-11-26T15:00:00Z"),
            "Lee",
            "already with UPS",
            null),
        c.logistics());
    assertEquals(
        new Case.Watch(
            true,
            Instant.parse("2026-11-26T15:00:00Z"),
            Instant.parse("2026-11-27T19:00:00Z"),
            true,
            null),
        c.watch());
    assertEquals(new Case.CustomerDecision(Case.CustomerAnswer.RETURN, null), c.customer());
    assertEquals(Set.of("cxl_tracking_stalled"), c.problemTags());
  }

  @Test
  void savingAgainReplacesTheCaseAndItsQueryColumns() {
    tx(
        h -> {
          cases.saveCase(h, caseOf(211, Stage.AWAITING_LOGISTICS, "1Z211", T0.plusSeconds(60)), T0);
          return null;
        });
    Case kept = caseOf(211, Stage.ORDER_KEPT, "1Z211", null);
    tx(
        h -> {
          cases.saveCase(h, kept, T0.plusSeconds(1));
          return null;
        });

    assertEquals(Optional.of(kept), read(h -> cases.findCase(h, 211)));
    assertEquals(List.of(kept), listed(Optional.of(Stage.ORDER_KEPT), 0, 10));
    assertEquals(List.of(), listed(Optional.of(Stage.AWAITING_LOGISTICS), 0, 10));
    assertEquals(List.of(), read(h -> cases.dueTickets(h, T0.plusSeconds(3600))), "no timer left");
    assertEquals(
        List.of(), read(h -> cases.ticketsTracking(h, "1Z211")), "an ended case watches nothing");
  }

  @Test
  void listsOpenCasesByTicketInPagesWithTheirLogisticsRequests() {
    tx(
        h -> {
          cases.saveCase(h, caseOf(222, Stage.WATCHING_TRACKING, null, null), T0.plusSeconds(3));
          cases.saveCase(h, caseOf(221, Stage.WATCHING_TRACKING, null, null), T0.plusSeconds(2));
          cases.saveCase(h, caseOf(224, Stage.REFUND_ESCALATED, null, null), T0.plusSeconds(4));
          cases.saveCase(h, caseOf(223, Stage.AWAITING_LOGISTICS, null, null), T0.plusSeconds(1));
          logistics.file(h, caseOf(223, Stage.AWAITING_LOGISTICS, null, null), T0);
          return null;
        });
    assertEquals(
        List.of(221L, 222L, 223L),
        ids(listed(Optional.empty(), 0, 10)),
        "ended cases are left out");
    assertEquals(List.of(221L, 222L), ids(listed(Optional.empty(), 0, 2)));
    assertEquals(List.of(223L), ids(listed(Optional.empty(), 222, 2)), "after a ticket");
    assertEquals(List.of(), ids(listed(Optional.empty(), 223, 2)));
    assertEquals(List.of(224L), ids(listed(Optional.of(Stage.REFUND_ESCALATED), 0, 10)));
    assertEquals(List.of(222L), ids(listed(Optional.of(Stage.WATCHING_TRACKING), 221, 10)));

    List<CaseStore.Listed> page = read(h -> cases.listPage(h, Optional.empty(), 0, 10));
    assertEquals(
        List.of(false, false, true), page.stream().map(l -> l.request().isPresent()).toList());
    LogisticsRequest filed = page.get(2).request().orElseThrow();
    assertEquals(223L, filed.ticketId());
    assertEquals("pending", filed.result());
  }

  @Test
  void historiesOfSeveralTicketsInOneRead() {
    tx(
        h -> {
          cases.addHistory(h, 411, T0.plusSeconds(5), "1.2", "Step 1.2 shipped");
          cases.addHistory(h, 412, T0, "1.1", "Step 1.1 other ticket");
          cases.addHistory(h, 411, T0, null, "Re-check asked by Ana.");
          cases.addHistory(h, 413, T0, "1.1", "not asked for");
          return null;
        });
    var byTicket = read(h -> cases.histories(h, List.of(411L, 412L, 414L)));
    assertEquals(
        List.of(
            new HistoryEntry(T0.plusSeconds(5), "1.2", "Step 1.2 shipped"),
            new HistoryEntry(T0, null, "Re-check asked by Ana.")),
        byTicket.get(411L));
    assertEquals(List.of(new HistoryEntry(T0, "1.1", "Step 1.1 other ticket")), byTicket.get(412L));
    assertEquals(2, byTicket.size(), "only the tickets asked for that have a timeline");
    assertEquals(java.util.Map.of(), read(h -> cases.histories(h, List.of())));
  }

  List<Case> listed(Optional<Stage> stage, long after, int limit) {
    return read(h -> cases.listPage(h, stage, after, limit)).stream()
        .map(CaseStore.Listed::c)
        .toList();
  }

  @Test
  void lockVersionMakesASecondTransactionWaitUntilTheFirstCommits() throws Exception {
    tx(
        h -> {
          cases.saveCase(h, caseOf(231, Stage.AWAITING_LOGISTICS, "1Z231", null), T0);
          return null;
        });
    Case decided = caseOf(231, Stage.WATCHING_TRACKING, "1Z231", null);
    CountDownLatch firstHoldsLock = new CountDownLatch(1);
    CountDownLatch secondAsks = new CountDownLatch(1);
    CountDownLatch secondGotLock = new CountDownLatch(1);

    Future<Boolean> first =
        threads.submit(
            () ->
                tx(
                    h -> {
                      assertEquals(1L, cases.lockVersion(h, 231).orElseThrow());
                      firstHoldsLock.countDown();
                      await(secondAsks);
                      boolean secondGotInEarly =
                          secondGotLock.await(STILL_WAITING.toMillis(), TimeUnit.MILLISECONDS);
                      cases.saveCase(h, decided, T0.plusSeconds(1));
                      return secondGotInEarly;
                    }));
    await(firstHoldsLock);
    Future<Long> second =
        threads.submit(
            () ->
                tx(
                    h -> {
                      secondAsks.countDown();
                      long seen = cases.lockVersion(h, 231).orElseThrow();
                      secondGotLock.countDown();
                      return seen;
                    }));

    assertFalse(get(first), "the second transaction got the case while the first held its lock");
    assertEquals(2L, get(second), "the second transaction sees the version the first committed");
    assertEquals(decided, read(h -> cases.findCase(h, 231)).orElseThrow());
  }

  // ---- deliveries and inbox ------------------------------------------------------------

  @Test
  void rememberDeliveryIsTrueTheFirstTimeOnly() {
    assertEquals(true, tx(h -> inbox.rememberDelivery(h, "inv-1", T0)));
    assertEquals(false, tx(h -> inbox.rememberDelivery(h, "inv-1", T0.plusSeconds(1))), "a repeat");
    assertEquals(true, tx(h -> inbox.rememberDelivery(h, "inv-2", T0)));
  }

  @Test
  void rememberDeliveryFromTwoConcurrentTransactionsHasExactlyOneWinner() throws Exception {
    CountDownLatch firstInserted = new CountDownLatch(1);
    CountDownLatch secondAsks = new CountDownLatch(1);
    CountDownLatch secondAnswered = new CountDownLatch(1);

    Future<Boolean> first =
        threads.submit(
            () ->
                tx(
                    h -> {
                      boolean won = inbox.rememberDelivery(h, "inv-race", T0);
                      firstInserted.countDown();
                      await(secondAsks);
                      secondAnswered.await(STILL_WAITING.toMillis(), TimeUnit.MILLISECONDS);
                      return won;
                    }));
    await(firstInserted);
    Future<Boolean> second =
        threads.submit(
            () ->
                tx(
                    h -> {
                      secondAsks.countDown();
                      boolean won = inbox.rememberDelivery(h, "inv-race", T0);
                      secondAnswered.countDown();
                      return won;
                    }));

    assertTrue(get(first), "the first delivery is taken");
    assertFalse(get(second), "the concurrent repeat is a duplicate, not an error");
    assertEquals(1, count(db, "select count(*) from deliveries"));
  }

  @Test
  void inboxKeepsItemsUntilProcessedAndNamesTicketsWithStaleItems() {
    String big = "{\"note\": \"" + "x".repeat(200_000) + "\"}";
    long[] ids =
        tx(
            h ->
                new long[] {
                  inbox.addToInbox(h, 301, "ticket", big, T0),
                  inbox.addToInbox(h, 301, "tracker", "{\"b\": 2}", T0.plusSeconds(5)),
                  inbox.addToInbox(h, 302, "logistics_result", "{}", T0.plusSeconds(20))
                });

    InboxItem a = new InboxItem(ids[0], 301, "ticket", big, T0);
    InboxItem b = new InboxItem(ids[1], 301, "tracker", "{\"b\": 2}", T0.plusSeconds(5));
    assertEquals(List.of(a, b), read(h -> cases.waiting(h, 301).items()));
    assertEquals(List.of(301L), read(h -> inbox.ticketsWithStaleInbox(h, T0.plusSeconds(10))));
    assertEquals(
        List.of(301L, 302L), sorted(read(h -> inbox.ticketsWithStaleInbox(h, T0.plusSeconds(30)))));

    tx(
        h -> {
          inbox.take(h, List.of(a.id()), T0.plusSeconds(40));
          return null;
        });
    assertEquals(List.of(b), read(h -> cases.waiting(h, 301).items()));
    assertEquals(2, read(inbox::pendingInboxCount));

    tx(
        h -> {
          inbox.take(h, List.of(b.id()), T0.plusSeconds(41));
          return null;
        });
    assertEquals(List.of(), read(h -> cases.waiting(h, 301).items()));
    assertEquals(List.of(302L), read(h -> inbox.ticketsWithStaleInbox(h, T0.plusSeconds(30))));
    assertEquals(1, read(inbox::pendingInboxCount));
  }

  @Test
  void takingInputsMakesASecondWorkerWaitThenFindNothingLeft() throws Exception {
    tx(
        h -> {
          inbox.addToInbox(h, 311, "ticket", "{}", T0);
          inbox.addToInbox(h, 311, "tracker", "{}", T0);
          return null;
        });
    CountDownLatch firstHoldsItems = new CountDownLatch(1);
    CountDownLatch secondAsks = new CountDownLatch(1);
    CountDownLatch secondGotItems = new CountDownLatch(1);

    Future<Boolean> first =
        threads.submit(
            () ->
                tx(
                    h -> {
                      List<InboxItem> items = cases.waiting(h, 311).items();
                      List<Long> ids = items.stream().map(InboxItem::id).toList();
                      assertEquals(2, items.size());
                      assertEquals(2, inbox.take(h, ids, T0.plusSeconds(1)));
                      firstHoldsItems.countDown();
                      await(secondAsks);
                      return secondGotItems.await(STILL_WAITING.toMillis(), TimeUnit.MILLISECONDS);
                    }));
    await(firstHoldsItems);
    List<Long> read = read(h -> cases.waiting(h, 311).items()).stream().map(InboxItem::id).toList();
    assertEquals(2, read.size(), "the first worker's marks are not visible before it commits");
    Future<Integer> second =
        threads.submit(
            () ->
                tx(
                    h -> {
                      secondAsks.countDown();
                      int taken = inbox.take(h, read, T0.plusSeconds(2));
                      secondGotItems.countDown();
                      return taken;
                    }));

    assertFalse(get(first), "the second worker got the inputs while the first held them");
    assertEquals(0, get(second), "the second worker finds the inputs worked");
    assertEquals(List.of(), read(h -> cases.waiting(h, 311).items()));
  }

  @Test
  void theWaitingInputsComeWithTheCaseAsItStands() {
    assertEquals(
        new CaseStore.Waiting(List.of(), Optional.empty()), read(h -> cases.waiting(h, 321)));
    tx(
        h -> {
          inbox.addToInbox(h, 321, "ticket", "{\"a\": 1}", T0);
          inbox.addToInbox(h, 321, "tracker", "{\"b\": 2}", T0.plusSeconds(1));
          inbox.addToInbox(h, 322, "ticket", "{}", T0);
          return null;
        });
    CaseStore.Waiting before = read(h -> cases.waiting(h, 321));
    assertEquals(
        List.of("ticket", "tracker"), before.items().stream().map(InboxItem::kind).toList());
    assertEquals("{\"b\": 2}", before.items().get(1).payload());
    assertEquals(T0.plusSeconds(1), before.items().get(1).receivedAt());
    assertEquals(Optional.empty(), before.current(), "no case yet");

    Case c = caseOf(321, Stage.AWAITING_LOGISTICS, "1Z321", null);
    tx(
        h -> {
          cases.saveCase(h, c, T0);
          cases.saveCase(h, c, T0.plusSeconds(2));
          inbox.take(h, List.of(before.items().get(0).id()), T0.plusSeconds(2));
          return null;
        });
    CaseStore.Waiting after = read(h -> cases.waiting(h, 321));
    assertEquals(List.of(before.items().get(1)), after.items(), "the one not taken");
    assertEquals(Optional.of(new CaseStore.Versioned(c, 2)), after.current(), "saved twice");
    assertEquals(
        read(h -> cases.findVersioned(h, 321)), after.current(), "as findVersioned reads it");
  }

  @Test
  void inputsPutBackWaitAgain() {
    tx(
        h -> {
          inbox.addToInbox(h, 312, "ticket", "{}", T0);
          inbox.addToInbox(h, 312, "tracker", "{}", T0);
          return null;
        });
    List<Long> ids = read(h -> cases.waiting(h, 312).items()).stream().map(InboxItem::id).toList();
    tx(
        h -> {
          assertEquals(2, inbox.take(h, ids, T0.plusSeconds(1)));
          inbox.putBack(h, ids.subList(1, 2));
          return null;
        });
    assertEquals(
        ids.subList(1, 2),
        read(h -> cases.waiting(h, 312).items()).stream().map(InboxItem::id).toList(),
        "the one put back waits; the other stays worked");
  }

  // ---- history and writes ----------------------------------------------------------------

  @Test
  void aSendLeaseIsHeldByOneSenderUntilItRunsOutAndALostLeaseIsNotRenewed() {
    long id =
        tx(
            h ->
                writeStore.addWrite(
                    h,
                    511,
                    T0,
                    new Write(
                        "1", tags("cxl_lookup_failed"), tags(), "Step 1: a note", null, null, null),
                    false));
    Instant t = T0;
    assertEquals(
        1, tx(h -> writeStore.claim(h, id, "a", t, t.plusSeconds(20))).orElseThrow().attempts());
    assertTrue(
        tx(h -> writeStore.claim(h, id, "b", t.plusSeconds(5), t.plusSeconds(25))).isEmpty(),
        "a second sender waits while the lease holds");
    assertEquals(true, tx(h -> writeStore.renew(h, id, "a", t.plusSeconds(10), t.plusSeconds(30))));
    assertEquals(
        false, tx(h -> writeStore.renew(h, id, "b", t.plusSeconds(10), t.plusSeconds(30))));
    // The holder froze past its lease: another takes over (the attempt counted), and the first,
    // when it wakes, cannot renew (so it does not send).
    assertEquals(
        2,
        tx(h -> writeStore.claim(h, id, "b", t.plusSeconds(31), t.plusSeconds(51)))
            .orElseThrow()
            .attempts());
    assertEquals(
        false, tx(h -> writeStore.renew(h, id, "a", t.plusSeconds(32), t.plusSeconds(52))));
    tx(
        h -> {
          writeStore.markApplied(h, id, t.plusSeconds(33));
          return null;
        });
    assertTrue(
        tx(h -> writeStore.claim(h, id, "c", t.plusSeconds(99), t.plusSeconds(120))).isEmpty(),
        "an applied write is never claimed again");
  }

  @Test
  void historyKeepsEntriesInTheOrderTheyWereAdded() {
    tx(
        h -> {
          cases.addHistory(h, 401, T0.plusSeconds(5), "1.2", "Step 1.2 shipped");
          cases.addHistory(h, 401, T0, null, "Re-check asked by Ana.");
          cases.addHistory(h, 402, T0, "1.1", "Step 1.1 other ticket");
          return null;
        });
    assertEquals(
        List.of(
            new HistoryEntry(T0.plusSeconds(5), "1.2", "Step 1.2 shipped"),
            new HistoryEntry(T0, null, "Re-check asked by Ana.")),
        read(h -> cases.history(h, 401)));
  }

  @Test
  void writesArePendingUntilAppliedOrGivenUpAndShadowWritesNeverAre() {
    Write shipped =
        new Write(
            "1.2",
            tags("cxl_shipped", "cxl_logistics_requested"),
            tags("cxl_needs_order_number"),
            "Step 1.2: the order has shipped.\nTracking 1Z999 (UPS), in_transit — ünïcödé",
            "Spark Cancellation (Shipped)",
            null,
            null);
    Write escalation =
        new Write(
            "3.1",
            tags("cxl_logistics_successful"),
            tags(),
            "Step 3.1: escalated to refunds.",
            null,
            360000777L,
            "open");
    Write shadowed =
        new Write(
            "1.1", tags("cxl_not_shipped"), tags(), "Step 1.1: not shipped.", null, null, null);
    long[] ids =
        tx(
            h ->
                new long[] {
                  writeStore.addWrite(h, 501, T0, shipped, false),
                  writeStore.addWrite(h, 501, T0.plusSeconds(1), escalation, false),
                  writeStore.addWrite(h, 501, T0.plusSeconds(2), shadowed, true),
                  writeStore.addWrite(h, 502, T0.plusSeconds(3), shipped, false)
                });

    assertEquals(
        List.of(
            new StoredWrite(ids[0], 501, T0, shipped, false, null, 0),
            new StoredWrite(ids[1], 501, T0.plusSeconds(1), escalation, false, null, 0),
            new StoredWrite(ids[2], 501, T0.plusSeconds(2), shadowed, true, null, 0)),
        read(h -> writeStore.writes(h, 501)));
    assertEquals(List.of(ids[0], ids[1]), writeIds(read(h -> writeStore.pendingWrites(h, 501))));
    assertEquals(
        List.of(501L, 502L),
        sorted(read(h -> writeStore.ticketsWithPendingWrites(h, T0.plusSeconds(10)))));
    assertEquals(
        List.of(501L), read(h -> writeStore.ticketsWithPendingWrites(h, T0.plusSeconds(2))));

    tx(
        h -> {
          // Two sends, each counted before its call (a lease that ends at once, for the second).
          assertTrue(writeStore.claim(h, ids[0], "first", T0, T0).isPresent());
          assertTrue(writeStore.claim(h, ids[0], "second", T0, T0).isPresent());
          writeStore.recordError(h, ids[0], "Zendesk answered 503");
          writeStore.giveUp(h, ids[1], "Zendesk refused the update: " + "e".repeat(5000));
          return null;
        });
    assertEquals(List.of(ids[0]), writeIds(read(h -> writeStore.pendingWrites(h, 501))));
    assertEquals(2, read(h -> writeStore.writes(h, 501)).get(0).attempts());
    assertEquals(
        false, read(h -> writeStore.stillPending(h, ids[1])), "a refused write is not tried again");

    Instant applied = T0.plusSeconds(30);
    tx(
        h -> {
          writeStore.markApplied(h, ids[0], applied);
          return null;
        });
    assertEquals(List.of(), read(h -> writeStore.pendingWrites(h, 501)));
    assertEquals(false, read(h -> writeStore.stillPending(h, ids[0])));
    assertEquals(applied, read(h -> writeStore.writes(h, 501)).get(0).appliedAt());
    assertEquals(
        List.of(502L), read(h -> writeStore.ticketsWithPendingWrites(h, T0.plusSeconds(10))));
  }

  // ---- logistics requests ------------------------------------------------------------------

  @Test
  void aTicketIsFiledWithLogisticsAtMostOnce() {
    Case c = caseOf(601, Stage.AWAITING_LOGISTICS, "1Z601", null);
    long id = tx(h -> logistics.file(h, c, T0));
    long again = tx(h -> logistics.file(h, c, T0.plusSeconds(60)));
    assertEquals(id, again);

    LogisticsRequest r = read(h -> logistics.find(h, id)).orElseThrow();
    assertEquals(
        new LogisticsRequest(
            id, 601, "SP-601", "1Z601", "UPS", true, T0, "pending", null, null, null, null, null),
        r);
    assertEquals(Optional.of(r), read(h -> logistics.findByTicket(h, 601)));
    assertEquals(Optional.of(r), tx(h -> logistics.lock(h, id)));
    assertEquals(1, count(db, "select count(*) from logistics_requests"));
  }

  @Test
  void twoConcurrentFilingsOfOneTicketLeaveOneRequest() throws Exception {
    Case c = caseOf(611, Stage.AWAITING_LOGISTICS, null, null);
    CountDownLatch firstFiled = new CountDownLatch(1);
    CountDownLatch secondAsks = new CountDownLatch(1);
    CountDownLatch secondAnswered = new CountDownLatch(1);

    Future<Long> first =
        threads.submit(
            () ->
                tx(
                    h -> {
                      long id = logistics.file(h, c, T0);
                      firstFiled.countDown();
                      await(secondAsks);
                      secondAnswered.await(STILL_WAITING.toMillis(), TimeUnit.MILLISECONDS);
                      return id;
                    }));
    await(firstFiled);
    Future<Long> second =
        threads.submit(
            () ->
                tx(
                    h -> {
                      secondAsks.countDown();
                      long id = logistics.file(h, c, T0);
                      secondAnswered.countDown();
                      return id;
                    }));

    assertEquals(get(first), get(second), "both name the one request");
    assertEquals(1, count(db, "select count(*) from logistics_requests"));
  }

  @Test
  void listsPendingRequestsOldestFirstThenAnsweredOnesNewestAnswerFirst() {
    long[] ids =
        tx(
            h ->
                new long[] {
                  logistics.file(
                      h,
                      caseOf(621, Stage.AWAITING_LOGISTICS, "1Z621", null),
                      T0.plusSeconds(7200)),
                  logistics.file(h, caseOf(622, Stage.AWAITING_LOGISTICS, null, null), T0),
                  logistics.file(
                      h, caseOf(623, Stage.AWAITING_LOGISTICS, null, null), T0.plusSeconds(3600)),
                  logistics.file(
                      h,
                      caseOf(624, Stage.AWAITING_LOGISTICS, "1Z624", null),
                      T0.plusSeconds(10800))
                });
    tx(
        h -> {
          logistics.recordResult(
              h, ids[2], "successful", "Ana", "Stopped at the depot", T0.plusSeconds(5 * 3600));
          logistics.recordResult(h, ids[3], "unsuccessful", "Sam", null, T0.plusSeconds(4 * 3600));
          return null;
        });

    assertEquals(List.of(622L, 621L, 623L, 624L), tickets(read(h -> logistics.list(h, false))));
    assertEquals(List.of(622L, 621L), tickets(read(h -> logistics.list(h, true))));
    LogisticsRequest answered = read(h -> logistics.find(h, ids[2])).orElseThrow();
    assertEquals("successful", answered.result());
    assertEquals("Ana", answered.resultBy());
    assertEquals("Stopped at the depot", answered.note());
    assertEquals(T0.plusSeconds(5 * 3600), answered.resultAt());
    assertFalse(answered.shipped());
  }

  @Test
  void savedOutcomesAreCopiedToTheCasesLogisticsRequest() {
    Case c = caseOf(631, Stage.AWAITING_LOGISTICS, "1Z631", null);
    long id =
        tx(
            h -> {
              cases.saveCase(h, c, T0);
              return logistics.file(h, c, T0);
            });
    Case full = fullCase(631);
    tx(
        h -> {
          cases.saveCase(h, full, T0.plusSeconds(1));
          logistics.saveOutcomes(h, full);
          return null;
        });
    LogisticsRequest r = read(h -> logistics.find(h, id)).orElseThrow();
    assertEquals("return_to_sender", r.trackingOutcome());
    assertEquals("sales_return", r.customerOutcome());
  }

  // ---- trackers, settings ----------------------------------------------------------------

  @Test
  void aPushedTrackerIsKeptAndReplacedByTheNextPush() {
    tx(
        h -> {
          trackers.saveTracker(h, "1Z701", "{\"status\": \"in_transit\"}", T0);
          trackers.saveTracker(h, "1Z702", "{\"status\": \"pre_transit\"}", T0);
          return null;
        });
    tx(
        h -> {
          trackers.saveTracker(h, "1Z701", "{\"status\": \"delivered\"}", T0.plusSeconds(60));
          return null;
        });
    assertEquals(
        Optional.of("{\"status\": \"delivered\"}"), read(h -> trackers.findTracker(h, "1Z701")));
    assertEquals(
        Optional.of("{\"status\": \"pre_transit\"}"), read(h -> trackers.findTracker(h, "1Z702")));
    assertEquals(Optional.empty(), read(h -> trackers.findTracker(h, "1Z703")));
    assertEquals(2, count(db, "select count(*) from trackers"));
  }

  @Test
  void aGeneratedTokenStaysTheSameAcrossCallsAndInstances() throws Exception {
    Settings settings = new Settings(db.jdbi());
    String token = settings.getOrGenerateToken("app_token");
    assertTrue(token.length() >= 32, token);
    assertEquals(token, settings.getOrGenerateToken("app_token"));
    assertNotEquals(token, settings.getOrGenerateToken("logistics_token"));
    try (Database other = target.open()) {
      assertEquals(token, new Settings(other.jdbi()).getOrGenerateToken("app_token"));
    }
  }

  @Test
  void twoInstancesGeneratingATokenAtOnceAgreeOnOne() throws Exception {
    try (Database other = target.open()) {
      CyclicBarrier together = new CyclicBarrier(2);
      Callable<String> fromDb =
          () -> {
            together.await(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            return new Settings(db.jdbi()).getOrGenerateToken("admin_token");
          };
      Callable<String> fromOther =
          () -> {
            together.await(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            return new Settings(other.jdbi()).getOrGenerateToken("admin_token");
          };
      Future<String> a = threads.submit(fromDb);
      Future<String> b = threads.submit(fromOther);
      assertEquals(get(a), get(b));
    }
  }

  // ---- queries -------------------------------------------------------------------------------

  @Test
  void dueTicketsAreThoseWhoseEarliestTimerHasComeEarliestFirst() {
    Instant now = Instant.parse("2026-11-27T12:00:00Z");
    tx(
        h -> {
          cases.saveCase(h, caseOf(801, Stage.WATCHING_TRACKING, null, now.minusSeconds(60)), T0);
          cases.saveCase(h, caseOf(802, Stage.WATCHING_TRACKING, null, now.minusSeconds(3600)), T0);
          cases.saveCase(h, caseOf(803, Stage.WATCHING_TRACKING, null, now), T0);
          cases.saveCase(h, caseOf(804, Stage.WATCHING_TRACKING, null, now.plusSeconds(1)), T0);
          cases.saveCase(h, caseOf(805, Stage.ORDER_KEPT, null, null), T0);
          // Its follow-up is later, but its lookup retry is the earliest timer of all.
          cases.saveCase(
              h,
              withLookupAt(
                  caseOf(806, Stage.LOOKUP_FAILED, null, now.plusSeconds(86400)),
                  now.minusSeconds(7200)),
              T0);
          return null;
        });
    assertEquals(List.of(806L, 802L, 801L, 803L), read(h -> cases.dueTickets(h, now)));

    tx(
        h -> {
          cases.saveCase(
              h,
              caseOf(802, Stage.WATCHING_TRACKING, null, now.plusSeconds(600)),
              T0.plusSeconds(1));
          return null;
        });
    assertEquals(
        List.of(806L, 801L, 803L),
        read(h -> cases.dueTickets(h, now)),
        "a moved timer moves its ticket");
    assertEquals(
        List.of(806L, 801L, 803L, 804L, 802L),
        read(h -> cases.dueTickets(h, now.plusSeconds(600))));
  }

  @Test
  void ticketsTrackingAParcelAreTheOpenCasesWaitingOnIt() {
    tx(
        h -> {
          cases.saveCase(h, caseOf(901, Stage.AWAITING_LOGISTICS, "1Z900", null), T0);
          cases.saveCase(h, caseOf(902, Stage.WATCHING_TRACKING, "1Z900", null), T0);
          cases.saveCase(h, caseOf(903, Stage.REFUND_ESCALATED, "1Z900", null), T0);
          cases.saveCase(h, caseOf(904, Stage.WATCHING_TRACKING, "1Z999", null), T0);
          cases.saveCase(h, caseOf(905, Stage.AWAITING_LOGISTICS, null, null), T0);
          return null;
        });
    assertEquals(List.of(901L, 902L), sorted(read(h -> cases.ticketsTracking(h, "1Z900"))));
    assertEquals(List.of(), read(h -> cases.ticketsTracking(h, "1Z000")));
  }

  // ---- helpers -------------------------------------------------------------------------------

  <T, X extends Exception> T tx(HandleCallback<T, X> work) throws X {
    return db.jdbi().inTransaction(work);
  }

  <T, X extends Exception> T read(HandleCallback<T, X> work) throws X {
    return db.jdbi().withHandle(work);
  }

  static int count(Database on, String sql) {
    return on.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  /** Flyway's history (its names are quoted: H2 keeps them in lower case). */
  static List<String> appliedMigrations(Database on) {
    return on.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select \"version\" from \"flyway_schema_history\" where \"success\" = true and \"version\" is not null "
                            + "order by \"installed_rank\"")
                    .mapTo(String.class)
                    .list());
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(LONG_WAIT.toMillis(), TimeUnit.MILLISECONDS))
      throw new AssertionError("the other transaction never got there");
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.get(LONG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static TreeSet<String> tags(String... tags) {
    return new TreeSet<>(List.of(tags));
  }

  static List<Long> ids(List<Case> list) {
    return list.stream().map(Case::ticketId).toList();
  }

  static List<Long> tickets(List<LogisticsRequest> list) {
    return list.stream().map(LogisticsRequest::ticketId).toList();
  }

  static List<Long> writeIds(List<StoredWrite> list) {
    return list.stream().map(StoredWrite::id).toList();
  }

  static List<Long> sorted(List<Long> list) {
    List<Long> copy = new ArrayList<>(list);
    copy.sort(null);
    return copy;
  }

  static void assertNoNullComponent(Record r) throws Exception {
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      assertNotNull(
          rc.getAccessor().invoke(r),
          r.getClass().getSimpleName() + "." + rc.getName() + " is set in the fixture");
    }
  }

  /**
   * A case with a value in every field, nanoseconds in its instants and nested order and parcel.
   */
  static Case fullCase(long ticketId) {
    OrderSnapshot order =
        new OrderSnapshot(
            "SP-10002",
            "shipped",
            "1Z999AA10123456784",
            "UPS",
            Instant.parse("2026-11-28T16:45:12.000000001Z"),
            "jane@example.com",
            new OrderSnapshot.Money("59.90", "USD"),
            "https://spark-store.myshopify.com/admin/orders/5500000010002");
    Parcel parcel =
        new Parcel(
            "1Z999AA10123456784",
            "UPS",
            "delivered",
            Instant.parse("2026-11-28T16:45:12.123456789Z"),
            Instant.parse("2026-11-28T16:45:12Z"),
            List.of(
                new Parcel.Scan(
                    "return_to_sender",
                    "Returned: refused by the receiver",
                    Instant.parse("2026-11-26T11:00:00Z")),
                new Parcel.Scan(
                    "delivered", "Delivered to the sender", Instant.parse("2026-11-28T16:45:12Z"))),
            "Delivered to the sender",
            "https://tracking.example/1Z999AA10123456784");
    return new Case(
        ticketId,
        Instant.parse("2026-11-26T09:12:40.987654321Z"),
        "SP-10002",
        Stage.WATCHING_TRACKING,
        "4.1",
        order,
        parcel,
        new Case.Lookup(
            2, Instant.parse("2026-11-27T09:00:00Z"), Instant.parse("2026-11-27T08:59:00Z")),
        new Case.Logistics(
            Case.LogisticsResult.UNSUCCESSFUL,
            Instant.parse("2026-11-26T15:00:00Z"),
            "Ana Logistics",
            "Parcel already left, \"quoted\"",
            Instant.parse("2026-11-30T09:00:00Z")),
        new Case.Watch(
            true,
            Instant.parse("2026-11-26T15:00:01Z"),
            Instant.parse("2026-11-27T15:00:00Z"),
            true,
            Case.TrackingOutcome.RETURN_TO_SENDER),
        new Case.CustomerDecision(Case.CustomerAnswer.KEEP, Case.CustomerOutcome.SALES_RETURN),
        true,
        Set.of("cxl_lookup_failed", "cxl_tracking_stalled"),
        "Spark Cancellation (Shipped)",
        "Wait for the refund team");
  }

  /** A plain case; with a tracking number its order has shipped with UPS. */
  static Case caseOf(long ticketId, Stage stage, String trackingNumber, Instant followupAt) {
    OrderSnapshot order =
        new OrderSnapshot(
            "SP-" + ticketId,
            trackingNumber == null ? "processing" : "shipped",
            trackingNumber,
            trackingNumber == null ? null : "UPS",
            null,
            "jane@example.com",
            null,
            null);
    return new Case(
        ticketId,
        T0,
        "SP-" + ticketId,
        stage,
        null,
        order,
        null,
        Case.Lookup.NONE,
        new Case.Logistics(Case.LogisticsResult.PENDING, null, null, null, followupAt),
        Case.Watch.NONE,
        Case.CustomerDecision.NONE,
        false,
        Set.of(),
        null,
        null);
  }

  static Case withLookupAt(Case c, Instant nextLookupAt) {
    return new Case(
        c.ticketId(),
        c.ticketCreatedAt(),
        c.orderNumber(),
        c.stage(),
        c.sopStep(),
        c.order(),
        c.parcel(),
        new Case.Lookup(c.lookup().attempts(), nextLookupAt, c.lookup().failingSince()),
        c.logistics(),
        c.watch(),
        c.customer(),
        c.refundEscalated(),
        c.problemTags(),
        c.suggestedMacro(),
        c.nextAction());
  }
}
