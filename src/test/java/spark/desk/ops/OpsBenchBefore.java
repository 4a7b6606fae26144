package spark.desk.ops;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Not a test: /api/stats as it was computed before the funnel and carriers moved into the database
 * (one row per case with a subquery per milestone, counted in Java), kept so that {@link OpsBench}
 * times the old and the new way in one run, on the same data and the same machine load.
 */
final class OpsBenchBefore {
  private static final String REFUSAL_LINE = OpsStore.REFUSAL_LINE;
  private static final String ASKED_BEFORE_NOTE = OpsStore.ASKED_BEFORE_NOTE;

  static final String MILESTONES;

  static {
    StringBuilder steps = new StringBuilder();
    for (String step : new String[] {"1.1", "1.2", "1.3", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"})
      steps
          .append(firstWrite("w.step = '" + step + "'"))
          .append(" s")
          .append(step.replace(".", ""))
          .append(", ");
    String inner =
        "select c.ticket_id, c.order_number, c.stage, c.created_at, "
            + "(select w.step from writes w where w.ticket_id = c.ticket_id order by w.id desc fetch first 1 rows only) sop_step, "
            + "(select min(i.received_at) from inbox i where i.ticket_id = c.ticket_id) first_input, "
            + "(select min(coalesce(w.applied_at, case when w.shadow then w.at end)) from writes w "
            + "where w.ticket_id = c.ticket_id and w.step in ('1', '1.1', '1.2', '1.3')) note1, "
            + steps
            + firstWrite("w.add_tags like '%cxl_refund_escalated%'")
            + " refund, "
            + firstWrite("w.step = '1.2' and w.note like '" + ASKED_BEFORE_NOTE + "'")
            + " refusal_before, "
            + "(select min(x.at) from case_history x where x.ticket_id = c.ticket_id and x.step is null "
            + "and x.text like '"
            + REFUSAL_LINE
            + "') refusal_line, "
            + "l.carrier, l.submitted_at, l.result, l.result_at, l.tracking_outcome, l.customer_outcome "
            + "from cases c left join logistics_requests l on l.ticket_id = c.ticket_id "
            + "where c.created_at >= :f and c.created_at < :t";
    MILESTONES =
        "select m.*, coalesce(m.refusal_line, case when m.refusal_before is not null "
            + "then coalesce(m.first_input, m.created_at) end) refusal from ("
            + inner
            + ") m";
  }

  private static String firstWrite(String condition) {
    return "(select min(w.at) from writes w where w.ticket_id = c.ticket_id and " + condition + ")";
  }

  static List<Milestones> milestones(Handle h, Instant from, Instant to) {
    return h.createQuery(MILESTONES + " order by m.created_at, m.ticket_id")
        .bind("f", from)
        .bind("t", to)
        .map((rs, ctx) -> milestones(rs))
        .list();
  }

  private static Milestones milestones(ResultSet rs) throws SQLException {
    return new Milestones(
        rs.getLong("ticket_id"),
        rs.getString("order_number"),
        rs.getString("stage"),
        rs.getString("sop_step"),
        instant(rs, "created_at"),
        instant(rs, "first_input"),
        instant(rs, "note1"),
        instant(rs, "s11"),
        instant(rs, "s12"),
        instant(rs, "s13"),
        instant(rs, "s31"),
        instant(rs, "s32"),
        instant(rs, "s41"),
        instant(rs, "s42"),
        instant(rs, "s51"),
        instant(rs, "s52"),
        instant(rs, "refund"),
        instant(rs, "refusal"),
        rs.getString("carrier"),
        instant(rs, "submitted_at"),
        rs.getString("result"),
        instant(rs, "result_at"),
        rs.getString("tracking_outcome"),
        rs.getString("customer_outcome"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** /api/stats as OpsService computed it before: every number from the per-case rows. */
  static Stats stats(Handle h, OpsService service, OpsStore store, LocalDate from, LocalDate to) {
    List<Milestones> cases = milestones(h, service.start(from), service.end(to));
    TreeMap<LocalDate, List<Milestones>> weeks = new TreeMap<>();
    for (Milestones m : cases)
      weeks
          .computeIfAbsent(
              m.openedAt()
                  .atZone(service.zone())
                  .toLocalDate()
                  .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
              k -> new ArrayList<>())
          .add(m);
    List<Stats.Week> weekly = new ArrayList<>();
    weeks.forEach((week, ms) -> weekly.add(new Stats.Week(week, service.timings(ms))));
    return new Stats(
        from,
        to,
        store.openByStage(h),
        funnel(cases),
        service.timings(cases),
        carriers(cases),
        store.needsAttention(h).size(),
        weekly);
  }

  private static Map<String, Long> funnel(List<Milestones> cases) {
    Map<String, Long> f = new java.util.LinkedHashMap<>();
    f.put("requests", (long) cases.size());
    f.put("1.1", count(cases, Milestones::step1_1));
    f.put("1.2", count(cases, Milestones::step1_2));
    f.put("1.3", count(cases, Milestones::step1_3));
    f.put("3.1", count(cases, Milestones::step3_1));
    f.put("3.2", count(cases, Milestones::step3_2));
    f.put("4.1", count(cases, Milestones::step4_1));
    f.put("4.2", count(cases, Milestones::step4_2));
    f.put("5.1", count(cases, Milestones::step5_1));
    f.put("5.2", count(cases, Milestones::step5_2));
    f.put("refundEscalated", count(cases, Milestones::refundAt));
    return f;
  }

  private static long count(List<Milestones> cases, Function<Milestones, Instant> step) {
    return cases.stream().filter(m -> step.apply(m) != null).count();
  }

  /**
   * Per carrier, the period's cases whose customer was asked to refuse the parcel, and what came of
   * it: returned to sender (4.1) or delivered anyway (4.2). Worst carrier first.
   */
  private static List<Stats.Carrier> carriers(List<Milestones> cases) {
    Map<String, long[]> by = new TreeMap<>();
    for (Milestones m : cases) {
      if (m.refusalAskedAt() == null) continue;
      long[] n =
          by.computeIfAbsent(m.carrier() == null ? "unknown" : m.carrier(), k -> new long[3]);
      n[0]++;
      if (m.step4_1() != null) n[1]++;
      if (m.step4_2() != null) n[2]++;
    }
    List<Stats.Carrier> out = new ArrayList<>();
    by.forEach((carrier, n) -> out.add(new Stats.Carrier(carrier, n[0], n[1], n[2])));
    out.sort(
        java.util.Comparator.comparingLong(Stats.Carrier::deliveredAnyway)
            .thenComparingLong(Stats.Carrier::refusals)
            .reversed()
            .thenComparing(Stats.Carrier::carrier));
    return out;
  }
}
