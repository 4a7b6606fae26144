package spark.desk.ops;

import java.time.Instant;

/**
 * One case's milestones as {@code case_milestones} keeps them (written with each decision;
 * backfilled from the history for cases decided before that table), with the case's order and
 * stage. A milestone not reached is null.
 *
 * @param firstInputAt the first webhook accepted for the ticket (the request reaching the desk)
 * @param stepOneNoteAt the first step-1 note (1, 1.1, 1.2, 1.3) on the ticket: when Zendesk took
 *     it, or, in shadow mode, when it was decided
 * @param refusalAskedAt when the customer was asked to refuse the parcel (step 4), or, when step
 *     1.2 found them already asked, the request's moment
 * @param refundAt the write that escalated the refund (tag {@code cxl_refund_escalated})
 */
public record Milestones(
    long ticketId,
    String orderNumber,
    String stage,
    String sopStep,
    Instant openedAt,
    Instant firstInputAt,
    Instant stepOneNoteAt,
    Instant step1_1,
    Instant step1_2,
    Instant step1_3,
    Instant step3_1,
    Instant step3_2,
    Instant step4_1,
    Instant step4_2,
    Instant step5_1,
    Instant step5_2,
    Instant refundAt,
    Instant refusalAskedAt,
    String carrier,
    Instant logisticsRequestedAt,
    String logisticsResult,
    Instant logisticsResultAt,
    String trackingOutcome,
    String customerOutcome) {

  /** The tracking outcome's moment (4.1 or 4.2), the earlier if both. */
  public Instant trackingOutcomeAt() {
    if (step4_1 == null) return step4_2;
    if (step4_2 == null) return step4_1;
    return step4_1.isBefore(step4_2) ? step4_1 : step4_2;
  }
}
