package spark.desk.ops;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import spark.desk.calendar.WorkingCalendar;

/**
 * The numbers of contract section 12 for a period of local dates (BUSINESS_TIMEZONE): a case
 * belongs to the period its request (the case's creation) falls in. The funnel, the carriers, open
 * cases and what needs a person are counted by the database ({@link OpsStore}); the timings' spans
 * are measured per case here, since working hours need the {@link WorkingCalendar}, and their
 * percentiles taken over the period's cases.
 */
public final class OpsService {
  private static final double SECONDS_PER_DAY = 86_400.0;

  private final Jdbi jdbi;
  private final OpsStore store;
  private final WorkingCalendar calendar;

  public OpsService(Jdbi jdbi, OpsStore store, WorkingCalendar calendar) {
    this.jdbi = jdbi;
    this.store = store;
    this.calendar = calendar;
  }

  public java.time.ZoneId zone() {
    return calendar.zone();
  }

  /** The period's first moment (its first day's local midnight). */
  public Instant start(LocalDate from) {
    return from.atStartOfDay(calendar.zone()).toInstant();
  }

  /** The moment after the period (the local midnight that ends its last day). */
  public Instant end(LocalDate to) {
    return to.plusDays(1).atStartOfDay(calendar.zone()).toInstant();
  }

  public Stats stats(LocalDate from, LocalDate to) {
    Instant f = start(from);
    Instant t = end(to);
    return jdbi.inTransaction(
        h -> {
          List<Spans> cases = store.spans(h, f, t);
          TreeMap<LocalDate, List<Spans>> weeks = new TreeMap<>();
          for (Spans m : cases)
            weeks
                .computeIfAbsent(
                    m.openedAt()
                        .atZone(calendar.zone())
                        .toLocalDate()
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                    k -> new ArrayList<>())
                .add(m);
          List<Stats.Week> weekly = new ArrayList<>();
          weeks.forEach((week, ms) -> weekly.add(new Stats.Week(week, timings(ms))));
          return new Stats(
              from,
              to,
              store.openByStage(h),
              store.funnel(h, f, t),
              timings(cases),
              store.carriers(h, f, t),
              store.needsAttention(h).size(),
              weekly);
        });
  }

  public List<Milestones> cases(LocalDate from, LocalDate to) {
    return jdbi.withHandle(h -> store.milestones(h, start(from), end(to)));
  }

  public List<Attention> needsAttention() {
    return jdbi.withHandle(store::needsAttention);
  }

  public List<OpenCase> openCases(int limit) {
    return jdbi.withHandle(h -> store.openCases(h, limit));
  }

  Stats.Timings timings(List<Spans> cases) {
    return new Stats.Timings(
        spread(cases, m -> span(m.firstInputAt(), m.stepOneNoteAt(), d -> d.toMillis() / 1000.0)),
        spread(
            cases,
            m ->
                m.logisticsRequestedAt() == null || m.logisticsResultAt() == null
                    ? null
                    : calendar.workingHours(m.logisticsRequestedAt(), m.logisticsResultAt())),
        spread(cases, m -> span(m.refusalAskedAt(), m.trackingOutcomeAt(), OpsService::days)),
        spread(cases, m -> span(m.requestAt(), m.refundAt(), OpsService::days)));
  }

  private static double days(Duration d) {
    return d.getSeconds() / SECONDS_PER_DAY;
  }

  /** The span from {@code a} to {@code b}; null unless both happened, in that order. */
  private static Double span(Instant a, Instant b, Function<Duration, Double> unit) {
    if (a == null || b == null || b.isBefore(a)) return null;
    return unit.apply(Duration.between(a, b));
  }

  private static Stats.Spread spread(List<Spans> cases, Function<Spans, Double> value) {
    double[] v = cases.stream().map(value).filter(x -> x != null).mapToDouble(x -> x).toArray();
    Arrays.sort(v);
    if (v.length == 0) return new Stats.Spread(null, null, 0);
    return new Stats.Spread(percentile(v, 0.5), percentile(v, 0.9), v.length);
  }

  /**
   * The q-quantile of sorted values, linear between the two nearest ranks (PostgreSQL's {@code
   * percentile_cont}); rounded to 0.01.
   */
  static double percentile(double[] sorted, double q) {
    double rank = q * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    double x = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    return Math.round(x * 100) / 100.0;
  }
}
