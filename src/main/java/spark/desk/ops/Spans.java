package spark.desk.ops;

import java.time.Instant;

/**
 * The moments of one case that the timings (contract section 12) measure between; a moment not
 * reached is null.
 *
 * @param trackingOutcomeAt the tracking outcome (4.1 or 4.2), the earlier if both
 */
public record Spans(
    Instant openedAt,
    Instant firstInputAt,
    Instant stepOneNoteAt,
    Instant logisticsRequestedAt,
    Instant logisticsResultAt,
    Instant refusalAskedAt,
    Instant trackingOutcomeAt,
    Instant refundAt) {

  /** The request's moment: its first webhook, or the case's creation for a case without one. */
  public Instant requestAt() {
    return firstInputAt != null ? firstInputAt : openedAt;
  }

  static Spans of(Milestones m) {
    return new Spans(
        m.openedAt(),
        m.firstInputAt(),
        m.stepOneNoteAt(),
        m.logisticsRequestedAt(),
        m.logisticsResultAt(),
        m.refusalAskedAt(),
        m.trackingOutcomeAt(),
        m.refundAt());
  }

  static Instant earlier(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isBefore(b) ? a : b;
  }
}
