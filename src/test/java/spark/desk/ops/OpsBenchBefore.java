package spark.desk.ops;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Not a test: /api/stats as it was computed before {@code case_milestones} (V41): each case's
 * milestones read from its writes, timeline, first webhook and logistics request in grouped passes,
 * counted in Java, and what needs a person read from the writes and the timeline with a subquery
 * per case. Kept so that {@link OpsBench} times the old and the new way in one run, on the same
 * data and the same machine load, and checks both give the same numbers.
 */
final class OpsBenchBefore {
  /** CaseService's timeline line for an input it could not work on (before V42). */
  static final String SET_ASIDE_LINE = "An input (%) could not be worked on and was set aside%";

  /** The timeline line Retry added; set-aside inputs before it were retried. */
  static final String RETRY_LINE = "Retry asked from /ops%";

  /** Step 4's timeline line when the customer was asked to refuse the parcel (Sop). */
  static final String REFUSAL_LINE = "The customer was asked to refuse the parcel%";

  /**
   * Step 1.2's note when the ticket already carried {@code cxl_refusal_requested} as the case
   * opened (Sop takes that tag as given, without a timeline line): the refusal was asked by the
   * time the request arrived.
   */
  static final String ASKED_BEFORE_NOTE = "%the customer was already asked to refuse the parcel%";

  /** The period's cases: opened in {@code [:f, :t)} (index {@code cases_created}). */
  private static final String PERIOD = "c.created_at >= :f and c.created_at < :t";

  /** The SOP steps whose first write is a milestone (the funnel's steps). */
  private static final String[] FUNNEL_STEPS = {
    "1.1", "1.2", "1.3", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"
  };

  private static final String REFUND_WRITE = "w.add_tags like '%cxl_refund_escalated%'";
  private static final String ASKED_BEFORE_WRITE =
      "w.step = '1.2' and w.note like '" + ASKED_BEFORE_NOTE + "'";
  private static final String REFUSAL_HISTORY =
      "x.step is null and x.text like '" + REFUSAL_LINE + "'";

  /** Each case's milestones among its writes: one grouped pass, not a subquery per milestone. */
  private static final String WRITE_MILESTONES;

  static {
    StringBuilder writes = new StringBuilder("select w.ticket_id, ");
    for (String step : FUNNEL_STEPS) {
      writes.append(
          "min(case when w.step = '%s' then w.at end) %s, ".formatted(step, column(step)));
    }
    WRITE_MILESTONES =
        writes
            // The step-1 note reached the ticket when Zendesk took it; a shadow one when decided.
            + "min(case when w.step in ('1', '1.1', '1.2', '1.3') then "
            + "coalesce(w.applied_at, case when w.shadow then w.at end) end) note1, "
            + "min(case when "
            + REFUND_WRITE
            + " then w.at end) refund, min(case when "
            + ASKED_BEFORE_WRITE
            + " then w.at end) refusal_before "
            + "from cases c join writes w on w.ticket_id = c.ticket_id where "
            + PERIOD
            + " group by w.ticket_id";
  }

  /** {@code 1.1} → {@code s11}. */
  private static String column(String step) {
    return "s" + step.replace(".", "");
  }

  /**
   * One row per case of the period, oldest first, with every milestone. Four grouped passes (the
   * cases with their logistics requests; their writes; their first webhooks; their refusal lines)
   * joined here by ticket, rather than a correlated subquery per milestone and case, which cost a
   * dozen index look-ups per case. {@code withSopStep} adds each case's last decided step (one more
   * look-up per case), which only the CSV shows.
   */
  static List<Milestones> milestones(Handle h, Instant from, Instant to, boolean withSopStep) {
    Map<Long, Instant[]> writes = new HashMap<>();
    h.createQuery(WRITE_MILESTONES)
        .bind("f", from)
        .bind("t", to)
        .map(
            (rs, ctx) -> {
              Instant[] m = new Instant[FUNNEL_STEPS.length + 3];
              for (int i = 0; i < FUNNEL_STEPS.length; i++)
                m[i] = OpsStore.instant(rs, column(FUNNEL_STEPS[i]));
              m[NOTE1] = OpsStore.instant(rs, "note1");
              m[REFUND] = OpsStore.instant(rs, "refund");
              m[ASKED_BEFORE] = OpsStore.instant(rs, "refusal_before");
              return Map.entry(rs.getLong("ticket_id"), m);
            })
        .forEach(e -> writes.put(e.getKey(), e.getValue()));
    Map<Long, Instant> firstInput = perCase(h, FIRST_INPUT, from, to);
    Map<Long, Instant> refusalLine = perCase(h, REFUSAL_LINES, from, to);
    String sql =
        "select c.ticket_id, c.order_number, c.stage, c.created_at, "
            + (withSopStep
                ? "(select w.step from writes w where w.ticket_id = c.ticket_id "
                    + "order by w.id desc fetch first 1 rows only) sop_step, "
                : "null sop_step, ")
            + "l.carrier, l.submitted_at, l.result, l.result_at, l.tracking_outcome, l.customer_outcome "
            + "from cases c left join logistics_requests l on l.ticket_id = c.ticket_id where "
            + PERIOD
            + " order by c.created_at, c.ticket_id";
    Instant[] none = new Instant[FUNNEL_STEPS.length + 3];
    return h.createQuery(sql)
        .bind("f", from)
        .bind("t", to)
        .map(
            (rs, ctx) -> {
              long ticket = rs.getLong("ticket_id");
              Instant opened = OpsStore.instant(rs, "created_at");
              Instant[] w = writes.getOrDefault(ticket, none);
              Instant first = firstInput.get(ticket);
              // Asked before the request arrived (1.2 found the tag): asked by the time it came.
              Instant refusal = refusalLine.get(ticket);
              if (refusal == null && w[ASKED_BEFORE] != null)
                refusal = first != null ? first : opened;
              return new Milestones(
                  ticket,
                  rs.getString("order_number"),
                  rs.getString("stage"),
                  rs.getString("sop_step"),
                  opened,
                  first,
                  w[NOTE1],
                  w[0],
                  w[1],
                  w[2],
                  w[3],
                  w[4],
                  w[5],
                  w[6],
                  w[7],
                  w[8],
                  w[REFUND],
                  refusal,
                  rs.getString("carrier"),
                  OpsStore.instant(rs, "submitted_at"),
                  rs.getString("result"),
                  OpsStore.instant(rs, "result_at"),
                  rs.getString("tracking_outcome"),
                  rs.getString("customer_outcome"));
            })
        .list();
  }

  private static final int NOTE1 = FUNNEL_STEPS.length;
  private static final int REFUND = NOTE1 + 1;
  private static final int ASKED_BEFORE = NOTE1 + 2;

  /** Each case's first webhook accepted (index {@code inbox_ticket_pending}). */
  private static final String FIRST_INPUT =
      "select i.ticket_id, min(i.received_at) from cases c join inbox i on i.ticket_id = c.ticket_id "
          + "where "
          + PERIOD
          + " group by i.ticket_id";

  /** Each case's first "asked to refuse the parcel" line (index {@code case_history_ticket}). */
  private static final String REFUSAL_LINES =
      "select x.ticket_id, min(x.at) from cases c join case_history x on x.ticket_id = c.ticket_id "
          + "where "
          + PERIOD
          + " and "
          + REFUSAL_HISTORY
          + " group by x.ticket_id";

  private static Map<Long, Instant> perCase(Handle h, String sql, Instant from, Instant to) {
    Map<Long, Instant> m = new HashMap<>();
    h.createQuery(sql)
        .bind("f", from)
        .bind("t", to)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), Optional.ofNullable(OpsStore.instant(rs, 2))))
        .forEach(e -> e.getValue().ifPresent(v -> m.put(e.getKey(), v)));
    return m;
  }

  /**
   * Everything that needs a person (contract section 12), oldest first: a case can appear once per
   * reason.
   */
  static List<Attention> needsAttention(Handle h) {
    String sql =
        // Step 1 could not classify the order.
        "select c.ticket_id, c.order_number, c.stage, c.stage reason, coalesce((select max(w.at) from writes w "
            + "where w.ticket_id = c.ticket_id and w.step = '1'), c.updated_at) since from cases c "
            + "where c.stage in ('lookup_failed', 'needs_order_number', 'order_not_found') "
            // Step 4: a watch past TRACKING_WATCH_LIMIT (its note is step 4) still watching.
            + "union all select c.ticket_id, c.order_number, c.stage, 'tracking_stalled', "
            + "(select min(w.at) from writes w where w.ticket_id = c.ticket_id and w.step = '4') from cases c "
            + "where c.stage = 'watching_tracking' and exists "
            + "(select 1 from writes w where w.ticket_id = c.ticket_id and w.step = '4') "
            // Step 3: logistics has not answered by the next working day.
            + "union all select c.ticket_id, c.order_number, c.stage, 'logistics_overdue', "
            + "(select min(w.at) from writes w where w.ticket_id = c.ticket_id and w.step = '3') from cases c "
            + "join logistics_requests l on l.ticket_id = c.ticket_id "
            + "where c.stage = 'awaiting_logistics' and l.result = 'pending' and exists "
            + "(select 1 from writes w where w.ticket_id = c.ticket_id and w.step = '3') "
            // Zendesk refused an update for good.
            + "union all select c.ticket_id, c.order_number, c.stage, 'write_refused', min(w.at) "
            + "from writes w join cases c on c.ticket_id = w.ticket_id "
            + "where w.gave_up = true and w.applied_at is null "
            + "group by c.ticket_id, c.order_number, c.stage "
            // An input the service could not work on, not retried since.
            + "union all select c.ticket_id, c.order_number, c.stage, 'input_set_aside', max(x.at) "
            + "from case_history x join cases c on c.ticket_id = x.ticket_id "
            + "where x.step is null and x.text like '"
            + SET_ASIDE_LINE
            + "' and x.id > coalesce((select max(y.id) from case_history y where y.ticket_id = x.ticket_id "
            + "and y.step is null and y.text like '"
            + RETRY_LINE
            + "'), 0) group by c.ticket_id, c.order_number, c.stage";
    return OpsStore.attention(h, sql);
  }

  /** /api/stats as OpsService computed it before: every number from the per-case rows. */
  static Stats stats(Handle h, OpsService service, OpsStore store, LocalDate from, LocalDate to) {
    List<Milestones> cases = milestones(h, service.start(from), service.end(to), false);
    TreeMap<LocalDate, List<Spans>> weeks = new TreeMap<>();
    for (Milestones m : cases)
      weeks
          .computeIfAbsent(
              m.openedAt()
                  .atZone(service.zone())
                  .toLocalDate()
                  .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
              k -> new ArrayList<>())
          .add(Spans.of(m));
    List<Stats.Week> weekly = new ArrayList<>();
    weeks.forEach((week, ms) -> weekly.add(new Stats.Week(week, service.timings(ms))));
    return new Stats(
        from,
        to,
        store.openByStage(h),
        funnel(cases),
        service.timings(cases.stream().map(Spans::of).toList()),
        carriers(cases),
        needsAttention(h).size(),
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
