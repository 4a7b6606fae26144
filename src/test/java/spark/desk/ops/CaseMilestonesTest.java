package spark.desk.ops;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.sop.Case;
import spark.desk.sop.Result;
import spark.desk.store.Database;
import spark.desk.store.Stores;
import spark.desk.testing.TestDatabase;

/**
 * {@code case_milestones} (migration V41): a case decided before it existed is counted from the
 * history the service kept (backfilled by the migration, once), the same as the old queries counted
 * it; and "refusal asked" of a new decision comes from the engine's typed fact, not from the
 * wording of its timeline. On H2 here, on PostgreSQL in {@link CaseMilestonesPostgresTest}. The
 * calendar is the default one (UTC, Monday to Friday); T0 is Thursday 26 November 2026, 09:13 UTC.
 */
class CaseMilestonesTest {
  static final Instant T0 = Instant.parse("2026-11-26T09:13:00Z");
  static final LocalDate FROM = LocalDate.parse("2026-11-26");
  static final LocalDate TO = LocalDate.parse("2026-11-30");

  TestDatabase db;
  Database database;

  /** A fresh, empty database. */
  TestDatabase freshDatabase() {
    return TestDatabase.h2();
  }

  @AfterEach
  void close() {
    if (database != null) database.close();
    if (db != null) db.close();
  }

  @Test
  void aCaseDecidedBeforeTheMigrationIsCountedAsItsHistorySays() {
    db = freshDatabase();
    boolean h2 = db.url().startsWith("jdbc:h2:");
    Flyway.configure()
        .dataSource(h2 ? db.url() + ";DB_CLOSE_DELAY=-1" : db.url(), db.user(), db.password())
        .locations(
            "classpath:db/migration/common", "classpath:db/migration/" + (h2 ? "h2" : "postgresql"))
        .target("30") // the schema as it was before V41
        .load()
        .migrate();
    Jdbi before = Jdbi.create(db::connect);
    before.useTransaction(CaseMilestonesTest::oldHistory);

    database = db.open(); // migrates on: V41 backfills case_milestones
    OpsStore store = new OpsStore();
    OpsService service = new OpsService(database.jdbi(), store, calendar());
    Stats stats = service.stats(FROM, TO);

    Map<String, Long> funnel = new LinkedHashMap<>();
    long[] counts = {6, 2, 3, 0, 1, 1, 1, 1, 1, 0, 2};
    String[] keys = {
      "requests", "1.1", "1.2", "1.3", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "refundEscalated"
    };
    for (int i = 0; i < keys.length; i++) funnel.put(keys[i], counts[i]);
    assertEquals(funnel, stats.funnel());
    assertEquals(
        List.of(
            new Stats.Carrier("UPS", 1, 0, 1),
            new Stats.Carrier("DHL", 1, 1, 0),
            new Stats.Carrier("GLS", 1, 0, 0)),
        stats.carriers());
    // Webhook → step-1 note: 2, 2, 3, 5 and 11 s (302's webhook is gone: retention).
    assertEquals(new Stats.Spread(3.0, 8.6, 5), stats.timings().webhookToNoteSeconds());
    assertEquals(3, stats.needsAttention());

    Map<Long, Milestones> rows = new LinkedHashMap<>();
    for (Milestones m : service.cases(FROM, TO)) rows.put(m.ticketId(), m);
    assertEquals(
        List.of(301L, 302L, 303L, 305L, 304L, 306L), List.copyOf(rows.keySet()), "oldest first");
    // Asked before the request arrived (1.2's note): at the first webhook.
    assertEquals(T0, rows.get(301L).refusalAskedAt());
    assertEquals(T0.plusSeconds(3), rows.get(301L).stepOneNoteAt());
    assertEquals("4.1", rows.get(301L).sopStep());
    assertEquals("DHL", rows.get(301L).carrier());
    assertEquals("return_to_sender", rows.get(301L).trackingOutcome());
    // A shadow note counts when decided; without a webhook the request is the case's creation.
    assertEquals(T0.plusSeconds(60), rows.get(302L).stepOneNoteAt());
    assertNull(rows.get(302L).firstInputAt());
    assertEquals(T0.plus(Duration.ofDays(4)).plus(Duration.ofHours(1)), rows.get(302L).refundAt());
    // Asked by an agent (the timeline's line).
    assertEquals(T0.plus(Duration.ofHours(1)), rows.get(303L).refusalAskedAt());
    assertEquals("5.1", rows.get(303L).sopStep());

    List<Attention> attention = service.needsAttention();
    assertEquals(List.of(304L, 306L, 305L), attention.stream().map(Attention::ticketId).toList());
    assertEquals(T0.plus(Duration.ofMinutes(10)), attention.get(0).since());
    assertEquals("logistics_overdue", attention.get(1).reason());
    assertEquals(T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)), attention.get(1).since());
    assertEquals("tracking_stalled", attention.get(2).reason());

    // Every number the same as the queries before V41 count them from the history.
    Stats old =
        database.jdbi().inTransaction(h -> OpsBenchBefore.stats(h, service, store, FROM, TO));
    assertEquals(old, stats);
  }

  @Test
  void refusalAskedComesFromTheDecisionNotFromItsWording() {
    db = freshDatabase();
    database = db.open();
    Stores stores = Stores.create();
    Case c201 = Case.open(201, T0, "SP-201");
    Case c202 = Case.open(202, T0, "SP-202");
    database
        .jdbi()
        .useTransaction(
            h -> {
              // The timeline's wording alone is no longer read: no fact, no refusal asked.
              decide(
                  h,
                  stores,
                  c201,
                  T0,
                  T0.minusSeconds(5),
                  null,
                  "The customer was asked to refuse the parcel (Ann).");
              decide(h, stores, c202, T0, T0.minusSeconds(7), null, "Opened.");
              // The engine's fact, whatever the line says; a later one keeps the first time.
              decide(h, stores, c201, T0.plusSeconds(60), null, Result.RefusalAsked.NOW, "Noted.");
              decide(h, stores, c201, T0.plusSeconds(90), null, Result.RefusalAsked.NOW, "Again.");
              // Found asked when 1.2 decided: asked by the time the request arrived.
              decide(
                  h,
                  stores,
                  c202,
                  T0.plusSeconds(30),
                  null,
                  Result.RefusalAsked.BY_REQUEST,
                  "1.2.");
            });
    Map<Long, Instant> asked = new LinkedHashMap<>();
    OpsStore store = new OpsStore();
    database
        .jdbi()
        .useHandle(
            h -> {
              for (Milestones m : store.milestones(h, T0, T0.plus(Duration.ofDays(1))))
                asked.put(m.ticketId(), m.refusalAskedAt());
            });
    assertEquals(T0.plusSeconds(60), asked.get(201L));
    assertEquals(T0.minusSeconds(7), asked.get(202L));
  }

  /**
   * The decisions of one input are recorded in one statement (CaseWork): every sequence of up to
   * three of these decisions, recorded together, leaves the row as recorded one after the other
   * did, for a case opened by the first of them and for one that existed before.
   */
  @Test
  void decisionsRecordedTogetherLeaveTheRowAsRecordedOneByOne() {
    db = freshDatabase();
    database = db.open();
    Stores stores = Stores.create();
    List<java.util.function.LongFunction<Result>> pool =
        List.of(
            t -> result(t, "1", null, false, null, write("1")),
            t -> result(t, "1.1", Case.LogisticsResult.PENDING, true, null, write("1.1")),
            t -> result(t, "1.2", null, false, Result.RefusalAsked.BY_REQUEST),
            t -> result(t, "4", Case.LogisticsResult.SUCCESSFUL, false, Result.RefusalAsked.NOW),
            t -> result(t, null, null, false, null),
            t ->
                result(
                    t,
                    "3.1",
                    Case.LogisticsResult.UNSUCCESSFUL,
                    false,
                    null,
                    write("3.1", spark.desk.sop.Tags.REFUND_ESCALATED)));
    List<List<Integer>> sequences = new java.util.ArrayList<>();
    for (int a = 0; a < pool.size(); a++) {
      sequences.add(List.of(a));
      for (int b = 0; b < pool.size(); b++) {
        sequences.add(List.of(a, b));
        for (int c = 0; c < pool.size(); c++) sequences.add(List.of(a, b, c));
      }
    }
    long ticket = 1000;
    int compared = 0;
    for (boolean opened : List.of(true, false)) {
      for (List<Integer> seq : sequences) {
        long together = ++ticket;
        long oneByOne = ++ticket;
        Instant now = T0.plusSeconds(ticket);
        Instant received = now.minusSeconds(3);
        database
            .jdbi()
            .useTransaction(
                h -> {
                  for (long t : List.of(together, oneByOne)) {
                    stores.cases().saveCase(h, Case.open(t, T0, "SP-" + t), T0);
                    // An existing case has its row from an earlier decision.
                    if (!opened)
                      stores
                          .milestones()
                          .record(h, pool.get(1).apply(t), T0, false, T0.minusSeconds(9), true);
                  }
                  List<Result> decisions =
                      seq.stream().map(i -> pool.get(i).apply(together)).toList();
                  stores.milestones().record(h, decisions, now, false, received, opened);
                  boolean first = opened;
                  for (int i : seq) {
                    stores
                        .milestones()
                        .record(h, pool.get(i).apply(oneByOne), now, false, received, first);
                    first = false;
                  }
                });
        assertEquals(milestoneRow(oneByOne), milestoneRow(together), opened + " " + seq);
        compared++;
      }
    }
    assertEquals(2 * (6 + 36 + 216), compared);
  }

  /** A case_milestones row, without its key (null: none). */
  private Map<String, Object> milestoneRow(long ticketId) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("select * from case_milestones where ticket_id = :t")
                    .bind("t", ticketId)
                    .mapToMap()
                    .findOne()
                    .map(
                        m -> {
                          Map<String, Object> row = new java.util.TreeMap<>(m);
                          row.remove("ticket_id");
                          return row;
                        })
                    .orElse(null));
  }

  private static spark.desk.sop.Write write(String step, String... tags) {
    return new spark.desk.sop.Write(
        step,
        new java.util.TreeSet<>(List.of(tags)),
        new java.util.TreeSet<>(),
        "Step " + step + ": noted.",
        null,
        null,
        null);
  }

  /** A decision leaving ticket {@code t} at {@code sopStep}, its logistics request at {@code l}. */
  private static Result result(
      long t,
      String sopStep,
      Case.LogisticsResult l,
      boolean file,
      Result.RefusalAsked fact,
      spark.desk.sop.Write... writes) {
    Case o = Case.open(t, T0, "SP-" + t);
    Case c =
        new Case(
            t,
            T0,
            o.orderNumber(),
            o.stage(),
            sopStep,
            null,
            null,
            null,
            l == null
                ? null
                : new Case.Logistics(
                    l, l == Case.LogisticsResult.PENDING ? null : T0, null, null, null),
            null,
            null,
            false,
            null,
            null,
            null);
    return new Result(c, List.of(writes), file, false, List.of("A line."), fact);
  }

  /** One decision stored as CaseWork stores it: the case, its timeline line, its milestones. */
  private static void decide(
      Handle h,
      Stores stores,
      Case c,
      Instant now,
      Instant receivedAt,
      Result.RefusalAsked fact,
      String line) {
    Result r = new Result(c, List.of(), false, false, List.of(line), fact);
    boolean opened = stores.cases().saveCase(h, c, now);
    stores.cases().addHistory(h, c.ticketId(), now, null, line);
    stores.milestones().record(h, r, now, false, receivedAt, opened);
  }

  /** The default calendar: UTC, Monday to Friday, no holidays. */
  private static WorkingCalendar calendar() {
    return new WorkingCalendar(
        java.time.ZoneOffset.UTC,
        java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY),
        java.util.Set.of(),
        java.time.LocalTime.of(10, 0));
  }

  // ---- the history as the service wrote it before V41 ---------------------------------------

  private static final String ASKED_BEFORE =
      "Step 1.2: shipped.\nNext: Nothing to send: the customer was already asked to refuse the"
          + " parcel. The tracking is watched.";

  /**
   * Six cases of Thursday 26 November: 301 shipped (DHL) with the refusal asked before the request,
   * 3.2, then returned to sender (4.1, refund); 302 not shipped, shadow mode, its webhook purged,
   * 3.1 (refund) on Monday; 303 shipped (UPS), refusal asked by an agent an hour in, delivered
   * anyway (4.2), kept (5.1); 304 order not found (two step-1 notes); 305 shipped (GLS), refusal
   * asked, watch stalled (step 4); 306 not shipped, logistics overdue (step 3) twice.
   */
  static void oldHistory(Handle h) {
    Instant day = T0.plus(Duration.ofDays(1));
    Instant monday = T0.plus(Duration.ofDays(4)).plus(Duration.ofHours(1));
    // 301
    input(h, 301, T0);
    openCase(h, 301, "refund_escalated", T0.plusSeconds(1));
    write(h, 301, T0.plusSeconds(1), "1.2", "cxl_shipped", ASKED_BEFORE, T0.plusSeconds(3), false);
    write(h, 301, day, "3.2", "cxl_logistics_unsuccessful", "Step 3.2: no.", day, false);
    Instant back = T0.plus(Duration.ofDays(2));
    write(
        h,
        301,
        back,
        "4.1",
        "cxl_refund_escalated cxl_return_to_sender",
        "Step 4.1: back.",
        back,
        false);
    logistics(h, 301, "DHL", T0.plusSeconds(1), "unsuccessful", day, "return_to_sender", null);
    // 302
    openCase(h, 302, "refund_escalated", T0.plusSeconds(60));
    write(
        h, 302, T0.plusSeconds(60), "1.1", "cxl_not_shipped", "Step 1.1: not shipped.", null, true);
    write(
        h,
        302,
        monday,
        "3.1",
        "cxl_logistics_successful cxl_refund_escalated",
        "Step 3.1: yes.",
        null,
        true);
    logistics(h, 302, null, T0.plusSeconds(60), "successful", monday, null, null);
    // 303
    input(h, 303, T0.plusSeconds(120));
    openCase(h, 303, "order_kept", T0.plusSeconds(121));
    write(
        h,
        303,
        T0.plusSeconds(121),
        "1.2",
        "cxl_shipped",
        "Step 1.2: shipped.",
        T0.plusSeconds(122),
        false);
    history(
        h, 303, T0.plus(Duration.ofHours(1)), "The customer was asked to refuse the parcel (Ann).");
    Instant delivered = T0.plus(Duration.ofDays(3));
    write(
        h,
        303,
        delivered,
        "4.2",
        "cxl_delivered_after_refusal",
        "Step 4.2: delivered.",
        delivered,
        false);
    Instant kept = delivered.plus(Duration.ofHours(1));
    write(h, 303, kept, "5.1", "cxl_order_kept", "Step 5.1: kept.", kept, false);
    logistics(h, 303, "UPS", T0.plusSeconds(121), "pending", null, "delivered", "order_kept");
    // 304
    input(h, 304, T0.plusSeconds(290));
    openCase(h, 304, "order_not_found", T0.plusSeconds(291));
    Instant first = T0.plusSeconds(300);
    write(
        h,
        304,
        first,
        "1",
        "cxl_needs_order_number",
        "Step 1: no number.",
        first.plusSeconds(1),
        false);
    Instant second = T0.plus(Duration.ofMinutes(10));
    write(h, 304, second, "1", "cxl_order_not_found", "Step 1: not found.", second, false);
    // 305
    input(h, 305, T0.plusSeconds(199));
    openCase(h, 305, "watching_tracking", T0.plusSeconds(200));
    write(
        h,
        305,
        T0.plusSeconds(200),
        "1.2",
        "cxl_shipped",
        "Step 1.2: shipped.",
        T0.plusSeconds(201),
        false);
    history(h, 305, T0.plusSeconds(300), "The customer was asked to refuse the parcel (Bo).");
    write(
        h,
        305,
        T0.plus(Duration.ofDays(3)),
        "4",
        "cxl_tracking_stalled",
        "Step 4: stalled.",
        null,
        false);
    logistics(h, 305, "GLS", T0.plusSeconds(200), "pending", null, null, null);
    // 306
    input(h, 306, T0.plusSeconds(400));
    openCase(h, 306, "awaiting_logistics", T0.plusSeconds(401));
    write(
        h,
        306,
        T0.plusSeconds(401),
        "1.1",
        "cxl_not_shipped",
        "Step 1.1: not shipped.",
        T0.plusSeconds(405),
        false);
    Instant overdue = day.plus(Duration.ofHours(1));
    write(h, 306, overdue, "3", "cxl_logistics_overdue", "Step 3: overdue.", overdue, false);
    write(h, 306, monday, "3", "cxl_logistics_overdue", "Step 3: overdue.", monday, false);
    logistics(h, 306, null, T0.plusSeconds(401), "pending", null, null, null);
  }

  private static void input(Handle h, long ticket, Instant at) {
    h.createUpdate(
            "insert into inbox (ticket_id, kind, payload, received_at, processed_at) "
                + "values (:t, 'ticket', '{}', :at, :at)")
        .bind("t", ticket)
        .bind("at", at)
        .execute();
  }

  private static void openCase(Handle h, long ticket, String stage, Instant at) {
    h.createUpdate(
            "insert into cases (ticket_id, stage, order_number, state, created_at, updated_at) "
                + "values (:t, :s, :o, :state, :at, :at)")
        .bind("t", ticket)
        .bind("s", stage)
        .bind("o", "SP-" + ticket)
        .bind("state", "{\"ticketId\":" + ticket + "}")
        .bind("at", at)
        .execute();
  }

  /** A decided write and its timeline line, as CaseWork and WriteApplier left them. */
  private static void write(
      Handle h,
      long ticket,
      Instant at,
      String step,
      String tags,
      String note,
      Instant appliedAt,
      boolean shadow) {
    h.createUpdate(
            "insert into writes (ticket_id, at, step, add_tags, remove_tags, note, shadow, applied_at, attempts) "
                + "values (:t, :at, :step, :tags, '', :note, :shadow, :applied, 1)")
        .bind("t", ticket)
        .bind("at", at)
        .bind("step", step)
        .bind("tags", tags)
        .bind("note", note)
        .bind("shadow", shadow)
        .bind("applied", appliedAt)
        .execute();
    h.createUpdate(
            "insert into case_history (ticket_id, at, step, text) values (:t, :at, :step, :note)")
        .bind("t", ticket)
        .bind("at", at)
        .bind("step", step)
        .bind("note", note)
        .execute();
  }

  private static void history(Handle h, long ticket, Instant at, String text) {
    h.createUpdate(
            "insert into case_history (ticket_id, at, step, text) values (:t, :at, null, :x)")
        .bind("t", ticket)
        .bind("at", at)
        .bind("x", text)
        .execute();
  }

  private static void logistics(
      Handle h,
      long ticket,
      String carrier,
      Instant at,
      String result,
      Instant resultAt,
      String trackingOutcome,
      String customerOutcome) {
    h.createUpdate(
            "insert into logistics_requests (ticket_id, order_number, carrier, shipped, submitted_at, "
                + "result, result_at, tracking_outcome, customer_outcome) "
                + "values (:t, :o, :c, :shipped, :at, :r, :rat, :to, :co)")
        .bind("t", ticket)
        .bind("o", "SP-" + ticket)
        .bind("c", carrier)
        .bind("shipped", carrier != null)
        .bind("at", at)
        .bind("r", result)
        .bind("rat", resultAt)
        .bind("to", trackingOutcome)
        .bind("co", customerOutcome)
        .execute();
  }
}
