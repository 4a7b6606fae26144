package spark.desk.sop;

import java.time.Instant;

/** What can happen to a case. The engine turns each into decisions; none of them does I/O. */
public sealed interface Event {

  /** Zendesk told us the ticket's current state (a webhook, or a re-read). */
  record TicketUpdated(TicketSnapshot ticket) implements Event {}

  /**
   * The order system answered for the case's order number. {@code parcel} is the parcel's tracking
   * when the order has a tracking number and the tracking service knew it; {@code trackerProblem}
   * says why it is missing otherwise ("not found", "unavailable: ...").
   */
  record OrderLookedUp(OrderSnapshot order, Parcel parcel, String trackerProblem)
      implements Event {}

  /** The order system does not know the case's order number (404). */
  record OrderNotFound(String orderNumber) implements Event {}

  /** The order system could not answer; a retry may help. */
  record LookupUnavailable(String reason) implements Event {}

  /** The logistics team recorded its result for the case's request (step 3). */
  record LogisticsResult(boolean successful, String by, String note, Instant at) implements Event {}

  /** The parcel's tracking as just read or pushed (step 4). */
  record TrackerSeen(Parcel parcel) implements Event {}

  /** A due tracking check could not read the tracker; the watch goes on. */
  record TrackerUnavailable(String reason) implements Event {}

  /** The next-working-day check of step 3 is due. */
  record FollowupDue() implements Event {}

  /** An agent said what only the agent can know (by tag or from the sidebar app). */
  record AgentAction(Action action, String agent) implements Event {}

  enum Action {
    REFUSAL_REQUESTED,
    CUSTOMER_KEEPS,
    CUSTOMER_RETURNS
  }
}
