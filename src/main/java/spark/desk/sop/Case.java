package spark.desk.sop;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import spark.desk.orders.Order;
import spark.desk.tracking.Tracker;

/**
 * One cancellation request, as the SOP sees it. Immutable: the engine returns a new case for every
 * event. Nullable fields are those the SOP has not reached yet.
 *
 * @param sopStep the step of the latest decision ("1.2", "3", ...), null before the first
 * @param logisticsResult {@code pending}, {@code successful} or {@code unsuccessful}; null while no
 *     logistics request has been filed (step 2)
 * @param trackingOutcome {@code return_to_sender} or {@code delivered} once step 4 has seen one
 * @param customerOutcome {@code order_kept} or {@code sales_return} once step 5 is decided
 * @param pendingCustomerAnswer {@code keep} or {@code return}, given before the parcel was
 *     delivered
 * @param problemTags the problem tags this service has put on the ticket and not yet removed
 * @param suggestedMacro the title of the macro the agent should send now, or null
 */
public record Case(
    long ticketId,
    Instant ticketCreatedAt,
    String orderNumber,
    Stage stage,
    String sopStep,
    Order order,
    Tracker tracker,
    boolean refusalRequested,
    String logisticsResult,
    Instant logisticsResultAt,
    String logisticsResultBy,
    String logisticsNote,
    boolean refundEscalated,
    String trackingOutcome,
    String customerOutcome,
    String pendingCustomerAnswer,
    Set<String> problemTags,
    String suggestedMacro,
    String nextAction,
    int lookupAttempts,
    Instant nextLookupAt,
    Instant followupAt,
    Instant watchStartedAt,
    Instant nextTrackingCheckAt,
    boolean trackingStalled) {

  public Case {
    if (ticketId <= 0) throw new IllegalArgumentException("ticketId must be positive");
    if (stage == null) throw new IllegalArgumentException("stage is required");
    problemTags = problemTags == null ? Set.of() : Set.copyOf(problemTags);
  }

  /** A case as it starts, before any decision. */
  public static Case open(long ticketId, Instant ticketCreatedAt, String orderNumber) {
    return new Case(
        ticketId,
        ticketCreatedAt,
        orderNumber,
        Stage.NEEDS_ORDER_NUMBER,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        Set.of(),
        null,
        null,
        0,
        null,
        null,
        null,
        null,
        false);
  }

  public boolean logisticsRequested() {
    return logisticsResult != null;
  }

  public boolean logisticsPending() {
    return "pending".equals(logisticsResult);
  }

  public boolean watching() {
    return watchStartedAt != null && nextTrackingCheckAt != null;
  }

  /** The earliest moment a timer of this case is due, or null when none is set. */
  public Instant nextDueAt() {
    return Stream.of(nextLookupAt, followupAt, nextTrackingCheckAt)
        .filter(java.util.Objects::nonNull)
        .min(Instant::compareTo)
        .orElse(null);
  }

  public String trackingNumber() {
    return order == null ? null : order.trackingNumber();
  }

  Builder with() {
    return new Builder(this);
  }

  /** Copy-with helper for the engine; keeps the record immutable. */
  static final class Builder {
    long ticketId;
    Instant ticketCreatedAt;
    String orderNumber;
    Stage stage;
    String sopStep;
    Order order;
    Tracker tracker;
    boolean refusalRequested;
    String logisticsResult;
    Instant logisticsResultAt;
    String logisticsResultBy;
    String logisticsNote;
    boolean refundEscalated;
    String trackingOutcome;
    String customerOutcome;
    String pendingCustomerAnswer;
    Set<String> problemTags;
    String suggestedMacro;
    String nextAction;
    int lookupAttempts;
    Instant nextLookupAt;
    Instant followupAt;
    Instant watchStartedAt;
    Instant nextTrackingCheckAt;
    boolean trackingStalled;

    Builder(Case c) {
      ticketId = c.ticketId;
      ticketCreatedAt = c.ticketCreatedAt;
      orderNumber = c.orderNumber;
      stage = c.stage;
      sopStep = c.sopStep;
      order = c.order;
      tracker = c.tracker;
      refusalRequested = c.refusalRequested;
      logisticsResult = c.logisticsResult;
      logisticsResultAt = c.logisticsResultAt;
      logisticsResultBy = c.logisticsResultBy;
      logisticsNote = c.logisticsNote;
      refundEscalated = c.refundEscalated;
      trackingOutcome = c.trackingOutcome;
      customerOutcome = c.customerOutcome;
      pendingCustomerAnswer = c.pendingCustomerAnswer;
      problemTags = c.problemTags;
      suggestedMacro = c.suggestedMacro;
      nextAction = c.nextAction;
      lookupAttempts = c.lookupAttempts;
      nextLookupAt = c.nextLookupAt;
      followupAt = c.followupAt;
      watchStartedAt = c.watchStartedAt;
      nextTrackingCheckAt = c.nextTrackingCheckAt;
      trackingStalled = c.trackingStalled;
    }

    Case build() {
      return new Case(
          ticketId,
          ticketCreatedAt,
          orderNumber,
          stage,
          sopStep,
          order,
          tracker,
          refusalRequested,
          logisticsResult,
          logisticsResultAt,
          logisticsResultBy,
          logisticsNote,
          refundEscalated,
          trackingOutcome,
          customerOutcome,
          pendingCustomerAnswer,
          problemTags,
          suggestedMacro,
          nextAction,
          lookupAttempts,
          nextLookupAt,
          followupAt,
          watchStartedAt,
          nextTrackingCheckAt,
          trackingStalled);
    }
  }
}
