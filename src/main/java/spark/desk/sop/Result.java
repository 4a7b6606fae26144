package spark.desk.sop;

import java.util.List;

/**
 * What the engine decided for one event.
 *
 * @param next the case after the event
 * @param writes the Zendesk updates to make, in order (usually none or one)
 * @param fileLogisticsRequest step 2: file the cancellation request with the logistics team
 * @param lookupWanted the order (and its tracker) should be looked up and fed back as {@link
 *     Event.OrderLookedUp}, {@link Event.OrderNotFound} or {@link Event.LookupUnavailable}
 * @param history lines for the case's timeline that are not Zendesk writes
 * @param refusalAsked what this decision established about the customer being asked to refuse the
 *     parcel (step 4), for the case's milestones; null when nothing
 */
public record Result(
    Case next,
    List<Write> writes,
    boolean fileLogisticsRequest,
    boolean lookupWanted,
    List<String> history,
    RefusalAsked refusalAsked) {
  public Result {
    writes = List.copyOf(writes);
    history = List.copyOf(history);
  }

  /** "Refusal asked" (contract section 12) as the SOP decides it, not read back from wording. */
  public enum RefusalAsked {
    /** Step 4: the customer was asked to refuse the parcel, as of this decision. */
    NOW,
    /**
     * Step 1.2 found the customer already asked (the ticket carried {@code cxl_refusal_requested}
     * as the case opened): asked by the time the request arrived, unless recorded earlier.
     */
    BY_REQUEST
  }
}
