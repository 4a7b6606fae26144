package spark.desk.ops;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/stats} (contract section 12). {@code weekly} is an addition the page charts: the
 * same timings per week (Monday to Sunday in BUSINESS_TIMEZONE) of the request.
 */
public record Stats(
    LocalDate from,
    LocalDate to,
    Map<String, Long> openByStage,
    Map<String, Long> funnel,
    Timings timings,
    List<Carrier> carriers,
    long needsAttention,
    List<Week> weekly) {

  /** Median, 90th percentile (linear between ranks) and how many cases had the span. */
  public record Spread(Double p50, Double p90, long n) {}

  public record Timings(
      Spread webhookToNoteSeconds,
      Spread logisticsResultWorkingHours,
      Spread refusalToOutcomeDays,
      Spread requestToRefundDays) {}

  public record Carrier(
      String carrier, long refusals, long returnedToSender, long deliveredAnyway) {}

  /** The timings of the cases requested in the week starting {@code week} (a Monday). */
  public record Week(LocalDate week, Timings timings) {}
}
