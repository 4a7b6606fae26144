package spark.desk.sop;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The wording of the SOP's private notes, next actions and timeline lines, one method per text, so
 * {@link Sop} holds only decisions. Tests and simulate traces compare these texts: change them
 * deliberately.
 */
final class Notes {
  private final DateTimeFormatter timeFormat;

  Notes(ZoneId zone) {
    this.timeFormat =
        DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm zzz", Locale.ENGLISH).withZone(zone);
  }

  /** A note's title, body (facts and reasons) and closing "Next:" paragraph. */
  record Text(String title, String body, String next) {
    /** The note as Zendesk shows it: "Step n: title", the body, the next action. */
    String render(String step) {
      return "Step " + step + ": " + title + "\n\n" + body.strip() + "\n\n" + next.strip();
    }
  }

  String fmt(Instant at) {
    return at == null ? "unknown" : timeFormat.format(at);
  }

  private static String nextWithMacro(String next, String macro) {
    return "Next: " + next + (macro == null ? "" : "\nSuggested macro: " + macro);
  }

  // ---- step 1 ----------------------------------------------------------------------------------

  String nextFindOrderNumber() {
    return "Find the order number and put it in the ticket's order number field.";
  }

  Text noOrderNumber(String next) {
    return new Text(
        "No order number found",
        "The ticket's order number field is empty and no order number was found in the subject or description.",
        "Next: " + next + " The case resumes by itself once the ticket carries it.");
  }

  String nextCheckOrderNumber(String orderNumber) {
    return "Check the order number "
        + orderNumber
        + " with the customer and correct the ticket's order number field.";
  }

  String stillUnknown(String orderNumber) {
    return "Order " + orderNumber + " is still unknown to the order system.";
  }

  Text orderNotFound(String orderNumber, String next) {
    return new Text(
        "Order not found",
        "The order system does not know order " + orderNumber + ".",
        "Next: " + next);
  }

  String lookupFailedAfterClassification(String reason) {
    return "Order lookup failed (" + reason + "); nothing changed.";
  }

  String nextWaitForRetry(int attempt, int of) {
    return "Wait: the order lookup is retried automatically (attempt "
        + attempt
        + " of "
        + of
        + ").";
  }

  String lookupRetrying(String reason, Instant at) {
    return "Order lookup failed (" + reason + "); retrying at " + fmt(at) + ".";
  }

  String nextLookUpByHand(Duration retry) {
    return "Look the order up by hand, or wait: the service keeps retrying every "
        + retry.toMinutes()
        + " minutes.";
  }

  String lookupFailedAgain(String reason) {
    return "Order lookup failed again (" + reason + ").";
  }

  Text lookupFailed(String orderNumber, int attempts, String reason, String next) {
    return new Text(
        "Order lookup failed",
        "Order "
            + orderNumber
            + " could not be looked up after "
            + attempts
            + " attempts: "
            + reason
            + ".",
        "Next: " + next);
  }

  String orderRechecked(String status, String trackerProblem) {
    return "Order re-checked: status "
        + status
        + (trackerProblem == null ? "" : ", tracking " + trackerProblem)
        + ".";
  }

  String nextNothingToCancel() {
    return "Nothing to cancel: tell the customer the order is already cancelled and solve the ticket.";
  }

  Text alreadyCancelled(String evidence, String next) {
    return new Text("Order already cancelled", evidence, "Next: " + next);
  }

  String nextSendNotShipped(String macro, Instant followupAt) {
    return "Send "
        + macro
        + " to the customer. The logistics team's answer is checked "
        + fmt(followupAt)
        + ".";
  }

  Text notShipped(String evidence, String next, String macro) {
    return new Text(
        "Order not shipped yet",
        evidence + "\nA cancellation request has been filed with the logistics team (step 2).",
        "Next: " + next + "\nSuggested macro: " + macro);
  }

  String nextAlreadyAskedToRefuse(Instant followupAt) {
    return "Nothing to send: the customer was already asked to refuse the parcel. The tracking is watched and the logistics team's answer is checked "
        + fmt(followupAt)
        + ".";
  }

  String nextAskToRefuse(String macro) {
    return "Ask the customer to refuse the parcel: apply " + macro + ".";
  }

  Text shipped(String evidence, String next, String macro) {
    return new Text(
        "Order shipped",
        evidence + "\nA cancellation request has been filed with the logistics team (step 2).",
        nextWithMacro(next, macro));
  }

  String nextExplainSalesReturn(String macro) {
    return "Tell the customer the order cannot be cancelled and explain the sales return (SR) process: apply "
        + macro
        + ".";
  }

  Text deliveredBeforeRequest(
      String evidence, Instant deliveredAt, Instant requestedAt, String next, String macro) {
    String when =
        deliveredAt == null
            ? "The order is delivered; its delivery time is unknown, so it is taken as delivered before the request."
            : "Delivered on "
                + fmt(deliveredAt)
                + ", before the cancellation request of "
                + fmt(requestedAt)
                + ".";
    return new Text(
        "Delivered before the request: sales return",
        evidence + "\n" + when,
        "Next: " + next + "\nSuggested macro: " + macro);
  }

  String deliveredAfterRequest(Instant deliveredAt, Instant requestedAt) {
    return "The parcel was delivered on "
        + fmt(deliveredAt)
        + ", after the cancellation request of "
        + fmt(requestedAt)
        + " and before any refusal, so it can no longer be intercepted.";
  }

  // ---- step 3 ----------------------------------------------------------------------------------

  Text logisticsOverdue(String evidence, Instant nextCheck) {
    return new Text(
        "Logistics result overdue",
        evidence
            + "\nThe logistics team has not marked the cancellation request Successful or Unsuccessful yet.",
        "Next: ask the logistics team for the result. Checked again " + fmt(nextCheck) + ".");
  }

  private static String word(boolean successful) {
    return successful ? "Successful" : "Unsuccessful";
  }

  String logisticsResultIgnored(boolean successful, Case.LogisticsResult current) {
    return "Logistics result "
        + word(successful)
        + " ignored: the request is already "
        + (current == null ? "null" : current.wire())
        + ".";
  }

  String logisticsAnswer(boolean successful, String by, String note, Instant at) {
    return "The logistics team ("
        + (by == null || by.isBlank() ? "unnamed" : by)
        + ") marked the cancellation request "
        + word(successful)
        + " on "
        + fmt(at)
        + (note == null || note.isBlank() ? "." : ": \"" + note.trim() + "\".");
  }

  Text logisticsResultRecorded(String evidence, String answer, Stage stage) {
    return new Text(
        "Logistics result recorded",
        evidence
            + "\n"
            + answer
            + "\nThe case had already moved on ("
            + stage.wire().replace('_', ' ')
            + "), so nothing else changes.",
        "Next: nothing; no second escalation.");
  }

  String nextAskToRefuseThenWatch(String macro) {
    return "Ask the customer to refuse the parcel: apply "
        + macro
        + ". The tracking is watched once that is done.";
  }

  String nextNothingAlreadyRefusing() {
    return "Nothing to send: the customer was already asked to refuse the parcel; the tracking is watched for a return to sender or a delivery.";
  }

  Text logisticsUnsuccessful(
      String evidence,
      String answer,
      boolean notAskedToRefuse,
      boolean noTrackingNumber,
      String next,
      String macro) {
    String body = evidence + "\n" + answer + "\nThe order is still shipped.";
    if (notAskedToRefuse) body += "\nThe customer has not been asked to refuse the parcel yet.";
    if (noTrackingNumber)
      body += "\nThe order system shows no tracking number yet; the watch starts once it has one.";
    return new Text("Logistics could not cancel", body, nextWithMacro(next, macro));
  }

  // ---- step 4 ----------------------------------------------------------------------------------

  String refusalRequested(String by) {
    return "The customer was asked to refuse the parcel (" + by + ").";
  }

  String nextNothingWatching() {
    return "Nothing to send now: the tracking is watched for a return to sender or a delivery.";
  }

  String notThisParcel(String trackingNumber) {
    return "Tracking update for " + trackingNumber + " ignored: not this case's parcel.";
  }

  String olderTrackingIgnored(String status) {
    return "An older tracking update (" + status + ") was ignored.";
  }

  String trackingCheckFailed(String reason) {
    return "Tracking check failed (" + reason + "); the watch goes on.";
  }

  String deliveredToCustomerWhy(Parcel p, boolean refusalRequested) {
    return "The parcel was delivered to the customer on "
        + p.deliveryTime().map(this::fmt).orElse("an unknown date")
        + (refusalRequested ? " although they were asked to refuse it." : ".");
  }

  String returnedAtIntakeWhy() {
    return "The parcel was already on its way back to us when the request was checked.";
  }

  String returnedToSenderWhy(Parcel p, boolean logisticsPending) {
    return "The tracking shows the parcel returned to sender ("
        + p.status()
        + ", "
        + fmt(p.updatedAt())
        + ")."
        + (logisticsPending
            ? "\nThe logistics result is still pending; when it comes it is recorded and escalates nothing."
            : "");
  }

  String returnToSenderTitle(boolean atIntake) {
    return atIntake ? "Return to sender" : "Return to sender: refund due";
  }

  String nextAlreadyAnswered(Case.CustomerAnswer answer) {
    return "Nothing to ask: the customer already answered (" + answer.wire() + "); step 5 follows.";
  }

  String nextAskKeepOrReturn(String macro) {
    return "Ask the customer whether they keep the order or return it for a refund: apply "
        + macro
        + ". Then record the answer.";
  }

  Text deliveredToCustomer(String evidence, String why, String next, String macro) {
    return new Text("Delivered to the customer", evidence + "\n" + why, nextWithMacro(next, macro));
  }

  String nextCheckWithCarrier(Instant watchStartedAt) {
    return "Check the parcel with the carrier: the tracking has shown neither a return to sender nor a delivery since "
        + fmt(watchStartedAt)
        + ". The service keeps watching.";
  }

  Text trackingStalled(String evidence, Duration limit, String next) {
    return new Text(
        "Tracking stalled",
        evidence
            + "\nNo return to sender and no delivery within "
            + humanDuration(limit)
            + " of the refusal request.",
        "Next: " + next);
  }

  // ---- step 5 ----------------------------------------------------------------------------------

  String answerIgnoredOutcomeKnown(
      Case.CustomerAnswer answer, String by, Case.CustomerOutcome outcome) {
    return "The customer's answer ("
        + answer.wire()
        + ", "
        + by
        + ") was ignored: the outcome is already "
        + outcome.wire().replace('_', ' ')
        + ".";
  }

  String answerIgnoredCaseEnded(Case.CustomerAnswer answer, String by, Stage stage) {
    return "The customer's answer ("
        + answer.wire()
        + ", "
        + by
        + ") was ignored: the case has ended ("
        + stage.wire().replace('_', ' ')
        + ").";
  }

  String answerKept(Case.CustomerAnswer answer, String by) {
    return "The customer's answer ("
        + answer.wire()
        + ", "
        + by
        + ") is kept until the parcel is delivered.";
  }

  String nextSolve(boolean closes) {
    return closes ? "Nothing: the ticket is solved." : "Solve the ticket.";
  }

  Text orderKept(String evidence, String by, String next) {
    return new Text(
        "Customer keeps the order",
        evidence
            + "\nThe customer keeps the delivered order (recorded by "
            + by
            + "). Customer outcome: Order Kept.",
        "Next: " + next);
  }

  String nextSalesReturn() {
    return "Proceed with the sales return process (SR - Fail to Intercept).";
  }

  Text salesReturn(String evidence, String by, String next) {
    return new Text(
        "Customer returns the order: sales return",
        evidence
            + "\nThe customer wants to return the delivered order for a refund (recorded by "
            + by
            + "). Customer outcome: SR.",
        "Next: " + next);
  }

  // ---- the refund escalation (3.1, 4.1) --------------------------------------------------------

  String nextRefundAlreadyEscalated() {
    return "Nothing: the refund was already escalated to the refunds team.";
  }

  String nextRefundsTeam(boolean groupConfigured) {
    return groupConfigured
        ? "The refunds team (Maines) refunds the order; this ticket is now in their group."
        : "Escalate the ticket to the refunds team (Maines) by hand: REFUND_GROUP_ID is not configured.";
  }

  Text refundDue(
      String title, String orderNumber, OrderSnapshot o, String why, String evidence, String next) {
    String refund =
        "Refund due for order "
            + orderNumber
            + (o != null && o.total() != null
                ? ": " + o.total().amount() + " " + o.total().currency()
                : "")
            + (o != null && o.customerEmail() != null ? ", customer " + o.customerEmail() : "")
            + ".";
    return new Text(title, refund + "\nWhy: " + why + "\n" + evidence, "Next: " + next);
  }

  // ---- the facts every note carries ------------------------------------------------------------

  /** The order, tracking and logistics facts as of this decision. */
  String evidence(
      String orderNumber,
      OrderSnapshot o,
      Parcel parcel,
      Case.Logistics logistics,
      Case.TrackingOutcome trackingOutcome,
      String trackerProblem) {
    StringBuilder s = new StringBuilder();
    s.append("Order: ")
        .append(orderNumber == null || orderNumber.isBlank() ? "unknown" : orderNumber);
    if (o != null) {
      s.append(", status ").append(o.status());
      if (o.total() != null)
        s.append(", total ").append(o.total().amount()).append(' ').append(o.total().currency());
      s.append("\nTracking number: ")
          .append(
              o.trackingNumber() == null
                  ? "none"
                  : o.trackingNumber() + (o.carrier() == null ? "" : " (" + o.carrier() + ")"));
      if (o.trackingNumber() != null) {
        Parcel t =
            parcel != null && o.trackingNumber().equals(parcel.trackingNumber()) ? parcel : null;
        if (t != null) {
          s.append("\nTracking status: ").append(t.status());
          if (t.updatedAt() != null) s.append(" (updated ").append(fmt(t.updatedAt())).append(')');
          t.deliveryTime().ifPresent(at -> s.append("\nDelivered: ").append(fmt(at)));
        } else {
          s.append("\nTracking status: ")
              .append(trackerProblem == null ? "not read" : trackerProblem);
        }
      }
      if (o.deliveredAt() != null && (parcel == null || parcel.deliveryTime().isEmpty()))
        s.append("\nDelivered (order system): ").append(fmt(o.deliveredAt()));
    }
    if (logistics.result() != null) {
      s.append("\nLogistics request: ").append(logistics.result().wire());
      if (logistics.resultBy() != null) s.append(" (").append(logistics.resultBy()).append(')');
    }
    if (trackingOutcome != null)
      s.append("\nTracking outcome: ").append(trackingOutcome.wire().replace('_', ' '));
    return s.toString();
  }

  private static String humanDuration(Duration d) {
    if (d.toDays() >= 1 && d.toHours() % 24 == 0) return d.toDays() + " days";
    if (d.toHours() >= 1 && d.toMinutes() % 60 == 0) return d.toHours() + " hours";
    return d.toMinutes() + " minutes";
  }
}
