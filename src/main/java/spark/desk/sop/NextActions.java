package spark.desk.sop;

import java.time.Duration;
import java.time.Instant;

/**
 * The wording of a case's next action: what the agent should do now, shown in the sidebar app and
 * at the end of each note. One method per text; tests and simulate traces compare them.
 */
final class NextActions {
  private final Notes notes;

  NextActions(Notes notes) {
    this.notes = notes;
  }

  String findOrderNumber() {
    return "Find the order number and put it in the ticket's order number field.";
  }

  String checkOrderNumber(String orderNumber) {
    return "Check the order number "
        + orderNumber
        + " with the customer and correct the ticket's order number field.";
  }

  String waitForRetry(int attempt) {
    return "Wait: the order lookup is retried automatically (attempt " + attempt + " is next).";
  }

  String lookUpByHand(Duration retry) {
    return "Look the order up by hand, or wait: the service keeps retrying, next in "
        + (retry.toMinutes() > 0
            ? retry.toMinutes() + " minutes."
            : retry.toSeconds() + " seconds.");
  }

  String nothingToCancel() {
    return "Nothing to cancel: tell the customer the order is already cancelled and solve the ticket.";
  }

  String sendNotShipped(String macro, Instant followupAt) {
    return "Send "
        + macro
        + " to the customer. The logistics team's answer is checked "
        + notes.fmt(followupAt)
        + ".";
  }

  String alreadyAskedToRefuse(Instant followupAt) {
    return "Nothing to send: the customer was already asked to refuse the parcel. The tracking is watched and the logistics team's answer is checked "
        + notes.fmt(followupAt)
        + ".";
  }

  String askToRefuse(String macro) {
    return "Ask the customer to refuse the parcel: apply " + macro + ".";
  }

  String explainSalesReturn(String macro) {
    return "Tell the customer the order cannot be cancelled and explain the sales return (SR) process: apply "
        + macro
        + ".";
  }

  String askToRefuseThenWatch(String macro) {
    return "Ask the customer to refuse the parcel: apply "
        + macro
        + ". The tracking is watched once that is done.";
  }

  String nothingAlreadyRefusing() {
    return "Nothing to send: the customer was already asked to refuse the parcel; the tracking is watched for a return to sender or a delivery.";
  }

  String nothingWatching() {
    return "Nothing to send now: the tracking is watched for a return to sender or a delivery.";
  }

  String alreadyAnswered(Case.CustomerAnswer answer) {
    return "Nothing to ask: the customer already answered (" + answer.wire() + "); step 5 follows.";
  }

  String askKeepOrReturn(String macro) {
    return "Ask the customer whether they keep the order or return it for a refund: apply "
        + macro
        + ". Then record the answer.";
  }

  String checkWithCarrier(Instant watchStartedAt) {
    return "Check the parcel with the carrier: the tracking has shown neither a return to sender nor a delivery since "
        + notes.fmt(watchStartedAt)
        + ". The service keeps watching.";
  }

  String solve(boolean closes) {
    return closes ? "Nothing: the ticket is solved." : "Solve the ticket.";
  }

  String salesReturn() {
    return "Proceed with the sales return process (SR - Fail to Intercept).";
  }

  String refundAlreadyEscalated() {
    return "Nothing: the refund was already escalated to the refunds team.";
  }

  String refundsTeam(boolean groupConfigured) {
    return groupConfigured
        ? "The refunds team (Maines) refunds the order; this ticket is now in their group."
        : "Escalate the ticket to the refunds team (Maines) by hand: REFUND_GROUP_ID is not configured.";
  }
}
