package spark.desk.sop;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The wording of the SOP's private notes and timeline lines, one method per text, so {@link Sop}
 * holds only decisions ({@link NextActions} words the next action). Tests and simulate traces
 * compare these texts: change them deliberately.
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

  Text noOrderNumber(String next) {
    return new Text(
        "No order number found",
        "The ticket's order number field is empty and no order number was found in the subject or description.",
        "Next: " + next + " The case resumes by itself once the ticket carries it.");
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

  String lookupRetrying(String reason, Instant at) {
    return "Order lookup failed (" + reason + "); retrying at " + fmt(at) + ".";
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

  Text alreadyCancelled(String evidence, String next) {
    return new Text("Order already cancelled", evidence, "Next: " + next);
  }

  Text notShipped(String evidence, String next, String macro) {
    return new Text(
        "Order not shipped yet",
        evidence + "\nA cancellation request has been filed with the logistics team (step 2).",
        "Next: " + next + "\nSuggested macro: " + macro);
  }

  Text shipped(String evidence, String next, String macro) {
    return new Text(
        "Order shipped",
        evidence + "\nA cancellation request has been filed with the logistics team (step 2).",
        nextWithMacro(next, macro));
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

  Text deliveredToCustomer(String evidence, String why, String next, String macro) {
    return new Text("Delivered to the customer", evidence + "\n" + why, nextWithMacro(next, macro));
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

  Text orderKept(String evidence, String by, String next) {
    return new Text(
        "Customer keeps the order",
        evidence
            + "\nThe customer keeps the delivered order (recorded by "
            + by
            + "). Customer outcome: Order Kept.",
        "Next: " + next);
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
      if (o.link() != null) s.append("\nOrder page: ").append(o.link());
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
          if (t.latestMessage() != null || t.trackingUrl() != null)
            s.append("\nCarrier's latest event: ")
                .append(t.latestMessage() == null ? "-" : t.latestMessage())
                .append(t.trackingUrl() == null ? "" : " (" + t.trackingUrl() + ")");
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
