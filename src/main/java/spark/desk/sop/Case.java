package spark.desk.sop;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One cancellation request, as the SOP sees it. Immutable: the engine returns a new case for every
 * event. Each part holds what one SOP step knows; nullable fields are those the SOP has not reached
 * yet.
 *
 * @param sopStep the step of the latest decision ("1.2", "3", ...), null before the first
 * @param order the order as last looked up (step 1), null before
 * @param parcel the parcel's latest tracking reading, null before any
 * @param lookup step 1's order lookup retries
 * @param logistics steps 2 and 3: the logistics request and its next-working-day check
 * @param watch step 4: the refusal and the tracking watch
 * @param customer step 5: the customer's answer once the parcel was delivered
 * @param refundEscalated steps 3.1 / 4.1 escalated the refund (at most once per case)
 * @param problemTags the problem tags this service has put on the ticket and not yet removed
 * @param suggestedMacro the title of the macro the agent should send now, or null
 */
public record Case(
    long ticketId,
    Instant ticketCreatedAt,
    String orderNumber,
    Stage stage,
    String sopStep,
    OrderSnapshot order,
    Parcel parcel,
    Lookup lookup,
    Logistics logistics,
    Watch watch,
    CustomerDecision customer,
    boolean refundEscalated,
    Set<String> problemTags,
    String suggestedMacro,
    String nextAction) {

  public Case {
    if (ticketId <= 0) throw new IllegalArgumentException("ticketId must be positive");
    if (stage == null) throw new IllegalArgumentException("stage is required");
    lookup = lookup == null ? Lookup.NONE : lookup;
    logistics = logistics == null ? Logistics.NONE : logistics;
    watch = watch == null ? Watch.NONE : watch;
    customer = customer == null ? CustomerDecision.NONE : customer;
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
        Lookup.NONE,
        Logistics.NONE,
        Watch.NONE,
        CustomerDecision.NONE,
        false,
        Set.of(),
        null,
        null);
  }

  /** The earliest moment a timer of this case is due, or null when none is set. */
  public Instant nextDueAt() {
    return Stream.of(lookup.nextAt(), logistics.followupAt(), watch.nextCheckAt())
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .orElse(null);
  }

  public String trackingNumber() {
    return order == null ? null : order.trackingNumber();
  }

  // ---- the parts ------------------------------------------------------------------------------

  /**
   * Step 1: failed order lookups so far, when the next is due, and since when they fail (the first
   * failure of the current run of failures).
   */
  public record Lookup(int attempts, Instant nextAt, Instant failingSince) {
    public static final Lookup NONE = new Lookup(0, null, null);

    public Lookup(int attempts, Instant nextAt) {
      this(attempts, nextAt, null);
    }
  }

  /**
   * Steps 2 and 3: the logistics request's result (null while none is filed), who gave it, and the
   * next-working-day check.
   */
  public record Logistics(
      LogisticsResult result, Instant resultAt, String resultBy, String note, Instant followupAt) {
    public static final Logistics NONE = new Logistics(null, null, null, null, null);

    public boolean pending() {
      return result == LogisticsResult.PENDING;
    }

    Logistics filed(Instant firstFollowup) {
      return new Logistics(LogisticsResult.PENDING, null, null, null, firstFollowup);
    }

    Logistics answered(LogisticsResult r, Instant at, String by, String why) {
      return new Logistics(r, at, by, why, null);
    }

    Logistics withFollowupAt(Instant at) {
      return new Logistics(result, resultAt, resultBy, note, at);
    }
  }

  /**
   * Step 4: whether the customer was asked to refuse the parcel, the tracking watch (started, next
   * check, stalled) and what the tracking finally showed.
   */
  public record Watch(
      boolean refusalRequested,
      Instant startedAt,
      Instant nextCheckAt,
      boolean stalled,
      TrackingOutcome outcome) {
    public static final Watch NONE = new Watch(false, null, null, false, null);

    public boolean watching() {
      return startedAt != null && nextCheckAt != null;
    }

    Watch refusalRequestedNow() {
      return new Watch(true, startedAt, nextCheckAt, stalled, outcome);
    }

    Watch withNextCheckAt(Instant at) {
      return new Watch(refusalRequested, startedAt, at, stalled, outcome);
    }

    Watch startedAt(Instant now, Instant firstCheck) {
      return new Watch(
          refusalRequested,
          startedAt == null ? now : startedAt,
          nextCheckAt == null ? firstCheck : nextCheckAt,
          stalled,
          outcome);
    }

    Watch stalledNow() {
      return new Watch(refusalRequested, startedAt, nextCheckAt, true, outcome);
    }

    Watch withOutcome(TrackingOutcome o) {
      return new Watch(refusalRequested, startedAt, nextCheckAt, stalled, o);
    }
  }

  /** Step 5: the customer's answer, held while the parcel is not delivered yet, and the outcome. */
  public record CustomerDecision(CustomerAnswer pendingAnswer, CustomerOutcome outcome) {
    public static final CustomerDecision NONE = new CustomerDecision(null, null);
  }

  // ---- the contract's words (contract section 10), lower case on the wire ----------------------

  /** An enum whose contract spelling is its name in lower case. */
  public interface Word {
    String name();

    default String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The constant spelled {@code wire} in the contract, or null for null. */
    static <E extends Enum<E>> E fromWire(Class<E> type, String wire) {
      return wire == null ? null : Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }
  }

  public enum LogisticsResult implements Word {
    PENDING,
    SUCCESSFUL,
    UNSUCCESSFUL
  }

  public enum TrackingOutcome implements Word {
    RETURN_TO_SENDER,
    DELIVERED
  }

  public enum CustomerOutcome implements Word {
    ORDER_KEPT,
    SALES_RETURN
  }

  public enum CustomerAnswer implements Word {
    KEEP,
    RETURN
  }
}
