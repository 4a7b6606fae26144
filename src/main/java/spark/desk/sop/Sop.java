package spark.desk.sop;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.config.Config;
import spark.desk.orders.Order;
import spark.desk.tracking.Tracker;
import spark.desk.zendesk.Ticket;

/**
 * The order cancellation process ({@code sop/order-cancellation-process.md}) as pure code: a case
 * and an event in, the new case and its decisions out. No I/O and no clock: the caller passes
 * {@code now}. Each SOP step is a method named after it.
 */
public final class Sop {
  /**
   * Order lookups are retried this many times (with doubling waits) before {@code
   * cxl_lookup_failed}.
   */
  public static final int LOOKUP_ATTEMPTS = 5;

  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration SLOW_RETRY = Duration.ofMinutes(30);

  private final Config config;
  private final WorkingCalendar calendar;
  private final DateTimeFormatter timeFormat;

  public Sop(Config config, WorkingCalendar calendar) {
    this.config = config;
    this.calendar = calendar;
    this.timeFormat =
        DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm zzz", java.util.Locale.ENGLISH)
            .withZone(config.businessTimezone());
  }

  /** Whether a ticket with these tags is a cancellation request. */
  public boolean isCancellationRequest(Set<String> tags) {
    return tags.stream().anyMatch(config.cancellationTags()::contains);
  }

  /**
   * The order number: the custom field first, then ORDER_NUMBER_PATTERN on subject, then
   * description.
   */
  public Optional<String> findOrderNumber(Ticket ticket) {
    if (ticket.orderNumber() != null) return Optional.of(ticket.orderNumber().trim());
    for (String text : List.of(ticket.subject(), ticket.description())) {
      Matcher m = config.orderNumberPattern().matcher(text);
      if (m.find() && m.group(1) != null) return Optional.of(m.group(1).trim());
    }
    return Optional.empty();
  }

  /** Decides what {@code event} means for {@code current} (null for a ticket not seen before). */
  public Result decide(Case current, Event event, Instant now) {
    Decision d = new Decision(current, now);
    // Only the events a due check feeds may move a due timer on; any other event leaves it due.
    d.timerEvent =
        !(event instanceof Event.TicketUpdated
            || event instanceof Event.AgentAction
            || event instanceof Event.LogisticsResult);
    if (event instanceof Event.TicketUpdated e) d.ticketUpdated(e.ticket());
    else if (event instanceof Event.OrderLookedUp e)
      d.orderLookedUp(e.order(), e.tracker(), e.trackerProblem());
    else if (event instanceof Event.OrderNotFound e) d.orderNotFound(e.orderNumber());
    else if (event instanceof Event.LookupUnavailable e) d.lookupUnavailable(e.reason());
    else if (event instanceof Event.LogisticsResult e) d.step3_logisticsResult(e);
    else if (event instanceof Event.TrackerSeen e) d.trackerSeen(e.tracker());
    else if (event instanceof Event.TrackerUnavailable e) d.trackerUnavailable(e.reason());
    else if (event instanceof Event.FollowupDue) d.step3_nextWorkingDayCheck();
    else if (event instanceof Event.AgentAction e) d.agentAction(e.action(), e.agent());
    else throw new IllegalArgumentException("unknown event " + event);
    return d.result();
  }

  /** One decision in the making: collects the case changes, writes and timeline lines. */
  private final class Decision {
    private final Instant now;
    private Case.Builder c;
    private final List<Write> writes = new ArrayList<>();
    private final List<String> history = new ArrayList<>();
    private boolean fileLogistics;
    private boolean lookup;
    private boolean timerEvent;

    Decision(Case current, Instant now) {
      this.now = now;
      this.c = current == null ? null : current.with();
    }

    Result result() {
      normalizeTimers();
      Case next = c.build();
      return new Result(next, writes, fileLogistics, lookup, history);
    }

    /**
     * A timer that is due and was not moved by this decision would fire again at once: clear it
     * when its reason is gone, else move it on, so a due check always makes progress.
     */
    private void normalizeTimers() {
      if (c == null || !timerEvent) return;
      if (c.nextLookupAt != null && !c.nextLookupAt.isAfter(now) && !c.stage.unclassified())
        c.nextLookupAt = null;
      if (c.followupAt != null
          && !c.followupAt.isAfter(now)
          && !"pending".equals(c.logisticsResult)) c.followupAt = null;
      if (c.nextTrackingCheckAt != null && !c.nextTrackingCheckAt.isAfter(now)) {
        c.nextTrackingCheckAt =
            c.stage == Stage.WATCHING_TRACKING ? now.plus(config.trackingPollInterval()) : null;
      }
    }

    // ---- intake -------------------------------------------------------------------------

    void ticketUpdated(Ticket t) {
      Optional<String> number = findOrderNumber(t);
      if (c == null) {
        c =
            Case.open(t.id(), t.createdAt() == null ? now : t.createdAt(), number.orElse(null))
                .with();
        // Tags the agent set before we first saw the ticket are taken as given, without a note.
        c.refusalRequested = t.hasTag(Tags.REFUSAL_REQUESTED);
        if (number.isEmpty()) needsOrderNumber();
        else lookup = true;
        customerAnswerFromTags(t);
        return;
      }
      if (c.ticketCreatedAt == null && t.createdAt() != null) c.ticketCreatedAt = t.createdAt();
      if (c.stage.unclassified() && number.isPresent() && !number.get().equals(c.orderNumber)) {
        c.orderNumber = number.get();
        c.lookupAttempts = 0;
        lookup = true;
      } else if (c.stage.unclassified()
          && number.isEmpty()
          && c.orderNumber == null
          && !c.problemTags.contains(Tags.NEEDS_ORDER_NUMBER)) {
        needsOrderNumber();
      }
      if (t.hasTag(Tags.REFUSAL_REQUESTED) && !c.refusalRequested)
        step4_refusalRequested("the ticket's tag");
      customerAnswerFromTags(t);
    }

    private void customerAnswerFromTags(Ticket t) {
      boolean keeps = t.hasTag(Tags.CUSTOMER_KEEPS);
      boolean returns = t.hasTag(Tags.CUSTOMER_RETURNS);
      if (keeps == returns) return; // none, or both: an agent's tag mix-up that we do not guess at
      if (c.customerOutcome != null) return;
      String answer = keeps ? "keep" : "return";
      if (answer.equals(c.pendingCustomerAnswer)) return;
      step5_customerAnswer(answer, "the ticket's tag");
    }

    void agentAction(Event.Action action, String agent) {
      String by = agent == null || agent.isBlank() ? "an agent" : agent;
      switch (action) {
        case REFUSAL_REQUESTED -> {
          if (!c.refusalRequested) step4_refusalRequested(by);
        }
        case CUSTOMER_KEEPS -> step5_customerAnswer("keep", by);
        case CUSTOMER_RETURNS -> step5_customerAnswer("return", by);
      }
    }

    // ---- step 1 -------------------------------------------------------------------------

    private void needsOrderNumber() {
      c.stage = Stage.NEEDS_ORDER_NUMBER;
      c.nextAction = "Find the order number and put it in the ticket's order number field.";
      c.suggestedMacro = null;
      write(
          "1",
          Set.of(Tags.NEEDS_ORDER_NUMBER),
          Set.of(),
          null,
          null,
          null,
          "No order number found",
          "The ticket's order number field is empty and no order number was found in the subject or description.",
          "Next: " + c.nextAction + " The case resumes by itself once the ticket carries it.");
    }

    void orderNotFound(String orderNumber) {
      c.lookupAttempts = 0;
      c.nextLookupAt = null;
      boolean alreadyTold =
          c.stage == Stage.ORDER_NOT_FOUND && c.problemTags.contains(Tags.ORDER_NOT_FOUND);
      c.stage = Stage.ORDER_NOT_FOUND;
      c.nextAction =
          "Check the order number "
              + orderNumber
              + " with the customer and correct the ticket's order number field.";
      c.suggestedMacro = null;
      if (alreadyTold) {
        history.add("Order " + orderNumber + " is still unknown to the order system.");
        return;
      }
      // The ticket has a number and the order system answered: those problems are resolved.
      write(
          "1",
          Set.of(Tags.ORDER_NOT_FOUND),
          intersect(c.problemTags, Set.of(Tags.NEEDS_ORDER_NUMBER, Tags.LOOKUP_FAILED)),
          null,
          null,
          null,
          "Order not found",
          "The order system does not know order " + orderNumber + ".",
          "Next: " + c.nextAction);
    }

    void lookupUnavailable(String reason) {
      c.lookupAttempts++;
      boolean exhausted = c.lookupAttempts >= LOOKUP_ATTEMPTS;
      if (!c.stage.unclassified()) {
        // A re-check of a case already past step 1: nothing changes, the watch goes on.
        c.lookupAttempts = 0;
        c.nextLookupAt = null;
        history.add("Order lookup failed (" + reason + "); nothing changed.");
        return;
      }
      c.stage = Stage.LOOKUP_FAILED;
      if (!exhausted) {
        c.nextLookupAt = now.plus(FIRST_RETRY.multipliedBy(1L << (c.lookupAttempts - 1)));
        c.nextAction =
            "Wait: the order lookup is retried automatically (attempt "
                + (c.lookupAttempts + 1)
                + " of "
                + LOOKUP_ATTEMPTS
                + ").";
        history.add(
            "Order lookup failed (" + reason + "); retrying at " + fmt(c.nextLookupAt) + ".");
        return;
      }
      c.nextLookupAt = now.plus(SLOW_RETRY);
      c.nextAction =
          "Look the order up by hand, or wait: the service keeps retrying every "
              + SLOW_RETRY.toMinutes()
              + " minutes.";
      if (c.problemTags.contains(Tags.LOOKUP_FAILED)) {
        history.add("Order lookup failed again (" + reason + ").");
        return;
      }
      // The ticket has a number now (or there would be no lookup): cxl_needs_order_number is
      // resolved.
      write(
          "1",
          Set.of(Tags.LOOKUP_FAILED),
          intersect(c.problemTags, Set.of(Tags.NEEDS_ORDER_NUMBER)),
          null,
          null,
          null,
          "Order lookup failed",
          "Order "
              + c.orderNumber
              + " could not be looked up after "
              + c.lookupAttempts
              + " attempts: "
              + reason
              + ".",
          "Next: " + c.nextAction);
    }

    void orderLookedUp(Order order, Tracker tracker, String trackerProblem) {
      c.order = order;
      if (tracker != null) c.tracker = newer(c.tracker, tracker);
      c.lookupAttempts = 0;
      c.nextLookupAt = null;
      if (!c.stage.unclassified()) {
        // A re-check of a case already classified: tracking news is acted on as in step 4.
        if (tracker != null) {
          step4_trackingNews();
        } else {
          history.add(
              "Order re-checked: status "
                  + order.status()
                  + (trackerProblem == null ? "" : ", tracking " + trackerProblem)
                  + ".");
          step4_nextCheckOrStalled();
        }
        return;
      }
      step1_classify(trackerProblem);
    }

    /** Step 1: is the order shipped, delivered, or neither? Step 2 follows in the same decision. */
    private void step1_classify(String trackerProblem) {
      Order o = c.order;
      Tracker t =
          c.tracker != null
                  && o.trackingNumber() != null
                  && o.trackingNumber().equals(c.tracker.trackingNumber())
              ? c.tracker
              : null;
      Set<String> resolved = new HashSet<>(c.problemTags);
      if (o.cancelled()) {
        c.stage = Stage.CLOSED;
        c.suggestedMacro = null;
        c.nextAction =
            "Nothing to cancel: tell the customer the order is already cancelled and solve the ticket.";
        write(
            "1",
            Set.of(Tags.ALREADY_CANCELLED),
            resolved,
            null,
            null,
            null,
            "Order already cancelled",
            evidence(trackerProblem),
            "Next: " + c.nextAction);
        return;
      }
      boolean trackerDelivered = t != null && t.deliveredToCustomer();
      boolean orderDelivered =
          "delivered".equals(o.status()) && (t == null || !t.returnedToSender());
      if (trackerDelivered || orderDelivered) {
        Instant deliveredAt =
            t != null ? t.deliveryTime().orElse(o.deliveredAt()) : o.deliveredAt();
        if (deliveredAt == null || !deliveredAt.isAfter(c.ticketCreatedAt)) {
          step1_3_deliveredBeforeRequest(deliveredAt, resolved, trackerProblem);
        } else {
          c.trackingOutcome = "delivered";
          step4_2_deliveredToCustomer(
              Set.of(Tags.SHIPPED),
              resolved,
              "The parcel was delivered on "
                  + fmt(deliveredAt)
                  + ", after the cancellation request of "
                  + fmt(c.ticketCreatedAt)
                  + " and before any refusal, so it can no longer be intercepted.");
        }
        return;
      }
      if (t != null && t.returnedToSender()) {
        c.trackingOutcome = "return_to_sender";
        refundEscalation(
            "4.1",
            Set.of(Tags.SHIPPED, Tags.RETURN_TO_SENDER),
            resolved,
            "Return to sender",
            "The parcel was already on its way back to us when the request was checked.");
        return;
      }
      if (o.shipped()) step1_2_shipped(resolved, trackerProblem);
      else step1_1_notShipped(resolved, trackerProblem);
    }

    private void step1_1_notShipped(Set<String> resolved, String trackerProblem) {
      c.stage = Stage.AWAITING_LOGISTICS;
      c.suggestedMacro = config.macros().notShipped();
      step2_fileLogisticsRequest();
      c.nextAction =
          "Send "
              + c.suggestedMacro
              + " to the customer. The logistics team's answer is checked "
              + fmt(c.followupAt)
              + ".";
      write(
          "1.1",
          Set.of(Tags.NOT_SHIPPED, Tags.LOGISTICS_REQUESTED),
          resolved,
          c.suggestedMacro,
          null,
          null,
          "Order not shipped yet",
          evidence(trackerProblem)
              + "\nA cancellation request has been filed with the logistics team (step 2).",
          "Next: " + c.nextAction + "\nSuggested macro: " + c.suggestedMacro);
    }

    private void step1_2_shipped(Set<String> resolved, String trackerProblem) {
      step2_fileLogisticsRequest();
      if (c.refusalRequested) {
        c.suggestedMacro = null;
        startWatch();
        c.nextAction =
            "Nothing to send: the customer was already asked to refuse the parcel. The tracking is watched and the logistics team's answer is checked "
                + fmt(c.followupAt)
                + ".";
      } else {
        c.stage = Stage.AWAITING_LOGISTICS;
        c.suggestedMacro = config.macros().shipped();
        c.nextAction = "Ask the customer to refuse the parcel: apply " + c.suggestedMacro + ".";
      }
      write(
          "1.2",
          Set.of(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED),
          resolved,
          c.suggestedMacro,
          null,
          null,
          "Order shipped",
          evidence(trackerProblem)
              + "\nA cancellation request has been filed with the logistics team (step 2).",
          "Next: "
              + c.nextAction
              + (c.suggestedMacro == null ? "" : "\nSuggested macro: " + c.suggestedMacro));
    }

    private void step1_3_deliveredBeforeRequest(
        Instant deliveredAt, Set<String> resolved, String trackerProblem) {
      c.stage = Stage.SALES_RETURN;
      c.suggestedMacro = config.macros().delivered();
      c.nextAction =
          "Tell the customer the order cannot be cancelled and explain the sales return (SR) process: apply "
              + c.suggestedMacro
              + ".";
      String when =
          deliveredAt == null
              ? "The order is delivered; its delivery time is unknown, so it is taken as delivered before the request."
              : "Delivered on "
                  + fmt(deliveredAt)
                  + ", before the cancellation request of "
                  + fmt(c.ticketCreatedAt)
                  + ".";
      write(
          "1.3",
          Set.of(Tags.DELIVERED_BEFORE_REQUEST, Tags.SALES_RETURN),
          resolved,
          c.suggestedMacro,
          config.salesReturnGroupId().orElse(null),
          null,
          "Delivered before the request: sales return",
          evidence(trackerProblem) + "\n" + when,
          "Next: " + c.nextAction + "\nSuggested macro: " + c.suggestedMacro);
    }

    // ---- step 2 -------------------------------------------------------------------------

    private void step2_fileLogisticsRequest() {
      if (c.logisticsResult != null) return;
      fileLogistics = true;
      c.logisticsResult = "pending";
      c.followupAt = calendar.nextFollowup(now);
    }

    // ---- step 3 -------------------------------------------------------------------------

    void step3_nextWorkingDayCheck() {
      if (c.followupAt == null || now.isBefore(c.followupAt)) return;
      if (!"pending".equals(c.logisticsResult) || c.stage.ended()) {
        c.followupAt = null;
        return;
      }
      c.followupAt = calendar.nextFollowup(now);
      // Step 3 suggests no macro (contract section 7): the overdue check is for the logistics
      // team, and its note does not name the customer macro still due from step 1.
      write(
          "3",
          Set.of(Tags.LOGISTICS_OVERDUE),
          Set.of(),
          null,
          null,
          null,
          "Logistics result overdue",
          evidence(null)
              + "\nThe logistics team has not marked the cancellation request Successful or Unsuccessful yet.",
          "Next: ask the logistics team for the result. Checked again " + fmt(c.followupAt) + ".");
    }

    void step3_logisticsResult(Event.LogisticsResult r) {
      if (!"pending".equals(c.logisticsResult)) {
        history.add(
            "Logistics result "
                + (r.successful() ? "Successful" : "Unsuccessful")
                + " ignored: the request is already "
                + c.logisticsResult
                + ".");
        return;
      }
      c.logisticsResult = r.successful() ? "successful" : "unsuccessful";
      c.logisticsResultAt = r.at();
      c.logisticsResultBy = r.by();
      c.logisticsNote = r.note();
      c.followupAt = null;
      // Successful ends the case (3.1), so a stalled watch is resolved too; Unsuccessful keeps
      // watching.
      Set<String> resolved =
          intersect(
              c.problemTags,
              r.successful()
                  ? Set.of(Tags.LOGISTICS_OVERDUE, Tags.TRACKING_STALLED)
                  : Set.of(Tags.LOGISTICS_OVERDUE));
      String byLine =
          "The logistics team ("
              + nonBlank(r.by(), "unnamed")
              + ") marked the cancellation request "
              + (r.successful() ? "Successful" : "Unsuccessful")
              + " on "
              + fmt(r.at())
              + (r.note() == null || r.note().isBlank() ? "." : ": \"" + r.note().trim() + "\".");
      if (c.stage.ended() || c.refundEscalated || c.trackingOutcome != null) {
        String tag = r.successful() ? Tags.LOGISTICS_SUCCESSFUL : Tags.LOGISTICS_UNSUCCESSFUL;
        write(
            r.successful() ? "3.1" : "3.2",
            Set.of(tag),
            resolved,
            null,
            null,
            null,
            "Logistics result recorded",
            evidence(null)
                + "\n"
                + byLine
                + "\nThe case had already moved on ("
                + c.stage.wire().replace('_', ' ')
                + "), so nothing else changes.",
            "Next: nothing; no second escalation.");
        return;
      }
      if (r.successful()) {
        step3_1_successful(resolved, byLine);
      } else {
        step3_2_unsuccessful(resolved, byLine);
      }
    }

    private void step3_1_successful(Set<String> resolved, String byLine) {
      stopWatch();
      refundEscalation(
          "3.1",
          Set.of(Tags.LOGISTICS_SUCCESSFUL),
          resolved,
          "Cancelled by logistics: refund due",
          byLine);
    }

    private void step3_2_unsuccessful(Set<String> resolved, String byLine) {
      c.stage = Stage.WATCHING_TRACKING;
      String body = evidence(null) + "\n" + byLine + "\nThe order is still shipped.";
      if (!c.refusalRequested) {
        c.suggestedMacro = config.macros().shipped();
        c.nextAction =
            "Ask the customer to refuse the parcel: apply "
                + c.suggestedMacro
                + ". The tracking is watched once that is done.";
        body += "\nThe customer has not been asked to refuse the parcel yet.";
      } else {
        c.suggestedMacro = null;
        startWatch();
        c.nextAction =
            "Nothing to send: the customer was already asked to refuse the parcel; the tracking is watched for a return to sender or a delivery.";
      }
      if (c.order != null && !c.order.shipped())
        body +=
            "\nThe order system shows no tracking number yet; the watch starts once it has one.";
      write(
          "3.2",
          Set.of(Tags.LOGISTICS_UNSUCCESSFUL),
          resolved,
          c.suggestedMacro,
          null,
          null,
          "Logistics could not cancel",
          body,
          "Next: "
              + c.nextAction
              + (c.suggestedMacro == null ? "" : "\nSuggested macro: " + c.suggestedMacro));
    }

    // ---- step 4 -------------------------------------------------------------------------

    private void step4_refusalRequested(String by) {
      c.refusalRequested = true;
      history.add("The customer was asked to refuse the parcel (" + by + ").");
      if (config.macros().shipped().equals(c.suggestedMacro)) c.suggestedMacro = null;
      boolean shippedOrUnsuccessful =
          (c.order != null && c.order.shipped()) || "unsuccessful".equals(c.logisticsResult);
      if ((c.stage == Stage.AWAITING_LOGISTICS || c.stage == Stage.WATCHING_TRACKING)
          && shippedOrUnsuccessful) {
        startWatch();
        c.nextAction =
            "Nothing to send now: the tracking is watched for a return to sender or a delivery.";
      }
    }

    private void startWatch() {
      c.stage = Stage.WATCHING_TRACKING;
      if (c.watchStartedAt == null) c.watchStartedAt = now;
      if (c.nextTrackingCheckAt == null)
        c.nextTrackingCheckAt = now.plus(config.trackingPollInterval());
    }

    private void stopWatch() {
      c.nextTrackingCheckAt = null;
    }

    void trackerSeen(Tracker tracker) {
      if (c.order == null
          || c.order.trackingNumber() == null
          || !c.order.trackingNumber().equals(tracker.trackingNumber())) {
        history.add(
            "Tracking update for "
                + tracker.trackingNumber()
                + " ignored: not this case's parcel.");
        return;
      }
      Tracker before = c.tracker;
      c.tracker = newer(before, tracker);
      if (c.tracker != tracker && before != null) {
        history.add("An older tracking update (" + tracker.status() + ") was ignored.");
      }
      step4_trackingNews();
    }

    void trackerUnavailable(String reason) {
      history.add("Tracking check failed (" + reason + "); the watch goes on.");
      step4_nextCheckOrStalled();
    }

    /** Acts on the latest tracker of a classified case: steps 4.1 and 4.2, or the stalled watch. */
    private void step4_trackingNews() {
      Tracker t = c.tracker;
      boolean open = c.stage == Stage.AWAITING_LOGISTICS || c.stage == Stage.WATCHING_TRACKING;
      if (!open || t == null) return;
      if (t.returnedToSender()) {
        step4_1_returnToSender();
      } else if (t.deliveredToCustomer()) {
        c.trackingOutcome = "delivered";
        c.followupAt = null;
        stopWatch();
        Set<String> resolved =
            intersect(c.problemTags, Set.of(Tags.TRACKING_STALLED, Tags.LOGISTICS_OVERDUE));
        step4_2_deliveredToCustomer(
            Set.of(),
            resolved,
            "The parcel was delivered to the customer on "
                + t.deliveryTime().map(this::fmt).orElse("an unknown date")
                + (c.refusalRequested ? " although they were asked to refuse it." : "."));
      } else {
        step4_nextCheckOrStalled();
      }
    }

    private void step4_1_returnToSender() {
      c.trackingOutcome = "return_to_sender";
      c.followupAt = null;
      stopWatch();
      Set<String> resolved =
          intersect(c.problemTags, Set.of(Tags.TRACKING_STALLED, Tags.LOGISTICS_OVERDUE));
      String pending =
          "pending".equals(c.logisticsResult)
              ? "\nThe logistics result is still pending; when it comes it is recorded and escalates nothing."
              : "";
      refundEscalation(
          "4.1",
          Set.of(Tags.RETURN_TO_SENDER),
          resolved,
          "Return to sender: refund due",
          "The tracking shows the parcel returned to sender ("
              + c.tracker.status()
              + ", "
              + fmt(c.tracker.updatedAt())
              + ")."
              + pending);
    }

    private void step4_2_deliveredToCustomer(
        Set<String> extraTags, Set<String> resolved, String why) {
      c.stage = Stage.AWAITING_CUSTOMER_DECISION;
      // An answer given before the delivery is applied right below (step 5): asking again would
      // make the agent send Keep or Return to a customer who has already said.
      boolean answered = c.pendingCustomerAnswer != null;
      c.suggestedMacro = answered ? null : config.macros().keepOrReturn();
      c.nextAction =
          answered
              ? "Nothing to ask: the customer already answered ("
                  + c.pendingCustomerAnswer
                  + "); step 5 follows."
              : "Ask the customer whether they keep the order or return it for a refund: apply "
                  + c.suggestedMacro
                  + ". Then record the answer.";
      Set<String> tags = new TreeSet<>(extraTags);
      tags.add(Tags.DELIVERED_AFTER_REFUSAL);
      write(
          "4.2",
          tags,
          resolved,
          c.suggestedMacro,
          null,
          null,
          "Delivered to the customer",
          evidence(null) + "\n" + why,
          "Next: "
              + c.nextAction
              + (c.suggestedMacro == null ? "" : "\nSuggested macro: " + c.suggestedMacro));
      if (c.pendingCustomerAnswer != null) {
        String answer = c.pendingCustomerAnswer;
        c.pendingCustomerAnswer = null;
        step5_customerAnswer(answer, "the answer given earlier");
      }
    }

    private void step4_nextCheckOrStalled() {
      if (c.watchStartedAt == null || c.stage != Stage.WATCHING_TRACKING) return;
      c.nextTrackingCheckAt = now.plus(config.trackingPollInterval());
      boolean overLimit = !now.isBefore(c.watchStartedAt.plus(config.trackingWatchLimit()));
      if (overLimit && !c.trackingStalled) {
        c.trackingStalled = true;
        c.nextAction =
            "Check the parcel with the carrier: the tracking has shown neither a return to sender nor a delivery since "
                + fmt(c.watchStartedAt)
                + ". The service keeps watching.";
        write(
            "4",
            Set.of(Tags.TRACKING_STALLED),
            Set.of(),
            null,
            null,
            null,
            "Tracking stalled",
            evidence(null)
                + "\nNo return to sender and no delivery within "
                + humanDuration(config.trackingWatchLimit())
                + " of the refusal request.",
            "Next: " + c.nextAction);
      }
    }

    // ---- step 5 -------------------------------------------------------------------------

    private void step5_customerAnswer(String answer, String by) {
      if (c.customerOutcome != null) {
        history.add(
            "The customer's answer ("
                + answer
                + ", "
                + by
                + ") was ignored: the outcome is already "
                + c.customerOutcome.replace('_', ' ')
                + ".");
        return;
      }
      if (c.stage != Stage.AWAITING_CUSTOMER_DECISION) {
        if (c.stage.ended()) {
          history.add(
              "The customer's answer ("
                  + answer
                  + ", "
                  + by
                  + ") was ignored: the case has ended ("
                  + c.stage.wire().replace('_', ' ')
                  + ").");
        } else {
          c.pendingCustomerAnswer = answer;
          history.add(
              "The customer's answer ("
                  + answer
                  + ", "
                  + by
                  + ") is kept until the parcel is delivered.");
        }
        return;
      }
      if (answer.equals("keep")) step5_1_orderKept(by);
      else step5_2_salesReturn(by);
    }

    private void step5_1_orderKept(String by) {
      c.stage = Stage.ORDER_KEPT;
      c.customerOutcome = "order_kept";
      c.suggestedMacro = null;
      c.nextAction =
          config.closeWhenOrderKept() ? "Nothing: the ticket is solved." : "Solve the ticket.";
      write(
          "5.1",
          Set.of(Tags.ORDER_KEPT),
          Set.of(),
          null,
          null,
          config.closeWhenOrderKept() ? "solved" : null,
          "Customer keeps the order",
          evidence(null)
              + "\nThe customer keeps the delivered order (recorded by "
              + by
              + "). Customer outcome: Order Kept.",
          "Next: " + c.nextAction);
    }

    private void step5_2_salesReturn(String by) {
      c.stage = Stage.SALES_RETURN;
      c.customerOutcome = "sales_return";
      c.suggestedMacro = null;
      c.nextAction = "Proceed with the sales return process (SR - Fail to Intercept).";
      write(
          "5.2",
          Set.of(Tags.SALES_RETURN),
          Set.of(),
          null,
          config.salesReturnGroupId().orElse(null),
          null,
          "Customer returns the order: sales return",
          evidence(null)
              + "\nThe customer wants to return the delivered order for a refund (recorded by "
              + by
              + "). Customer outcome: SR.",
          "Next: " + c.nextAction);
    }

    // ---- the refund escalation (3.1, 4.1) ------------------------------------------------

    private void refundEscalation(
        String step, Set<String> tags, Set<String> resolved, String title, String why) {
      c.stage = Stage.REFUND_ESCALATED;
      c.suggestedMacro = null;
      c.followupAt = null;
      stopWatch();
      Set<String> all = new TreeSet<>(tags);
      String next;
      if (c.refundEscalated) {
        next = "Nothing: the refund was already escalated to the refunds team.";
      } else {
        c.refundEscalated = true;
        all.add(Tags.REFUND_ESCALATED);
        next =
            config.refundGroupId().isPresent()
                ? "The refunds team (Maines) refunds the order; this ticket is now in their group."
                : "Escalate the ticket to the refunds team (Maines) by hand: REFUND_GROUP_ID is not configured.";
      }
      c.nextAction = next;
      Order o = c.order;
      String refund =
          "Refund due for order "
              + c.orderNumber
              + (o != null && o.total() != null
                  ? ": " + o.total().amount() + " " + o.total().currency()
                  : "")
              + (o != null && o.customerEmail() != null ? ", customer " + o.customerEmail() : "")
              + ".";
      write(
          step,
          all,
          resolved,
          null,
          c.refundEscalated ? config.refundGroupId().orElse(null) : null,
          null,
          title,
          refund + "\nWhy: " + why + "\n" + evidence(null),
          "Next: " + next);
    }

    // ---- notes --------------------------------------------------------------------------

    private void write(
        String step,
        Set<String> add,
        Set<String> remove,
        String macro,
        Long groupId,
        String status,
        String title,
        String body,
        String next) {
      Set<String> removeTags = new TreeSet<>(remove);
      removeTags.removeAll(add);
      Set<String> problems = new HashSet<>(c.problemTags);
      problems.removeAll(removeTags);
      for (String tag : add) if (Tags.PROBLEMS.contains(tag)) problems.add(tag);
      c.problemTags = problems;
      c.sopStep = step;
      if (!Tags.PROBLEMS.containsAll(add) || step.contains(".")) c.lookupAttempts = 0;
      String note = "Step " + step + ": " + title + "\n\n" + body.strip() + "\n\n" + next.strip();
      writes.add(
          new Write(
              step, new TreeSet<>(add), new TreeSet<>(removeTags), note, macro, groupId, status));
    }

    private String evidence(String trackerProblem) {
      StringBuilder s = new StringBuilder();
      Order o = c.order;
      s.append("Order: ").append(nonBlank(c.orderNumber, "unknown"));
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
          Tracker t =
              c.tracker != null && o.trackingNumber().equals(c.tracker.trackingNumber())
                  ? c.tracker
                  : null;
          if (t != null) {
            s.append("\nTracking status: ").append(t.status());
            if (t.updatedAt() != null)
              s.append(" (updated ").append(fmt(t.updatedAt())).append(')');
            t.deliveryTime().ifPresent(at -> s.append("\nDelivered: ").append(fmt(at)));
            if (t.message() != null || t.url() != null)
              s.append("\nCarrier's latest event: ")
                  .append(nonBlank(t.message(), "-"))
                  .append(t.url() == null ? "" : " (" + t.url() + ")");
          } else {
            s.append("\nTracking status: ")
                .append(trackerProblem == null ? "not read" : trackerProblem);
          }
        }
        if (o.deliveredAt() != null && (c.tracker == null || c.tracker.deliveryTime().isEmpty()))
          s.append("\nDelivered (order system): ").append(fmt(o.deliveredAt()));
      }
      if (c.logisticsResult != null) {
        s.append("\nLogistics request: ").append(c.logisticsResult);
        if (c.logisticsResultBy != null) s.append(" (").append(c.logisticsResultBy).append(')');
      }
      if (c.trackingOutcome != null)
        s.append("\nTracking outcome: ").append(c.trackingOutcome.replace('_', ' '));
      return s.toString();
    }

    private String fmt(Instant at) {
      return at == null ? "unknown" : timeFormat.format(at);
    }
  }

  private static Tracker newer(Tracker current, Tracker incoming) {
    if (current == null || !current.trackingNumber().equals(incoming.trackingNumber()))
      return incoming;
    if (current.updatedAt() != null
        && incoming.updatedAt() != null
        && incoming.updatedAt().isBefore(current.updatedAt())) return current;
    return incoming;
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    Set<String> r = new HashSet<>(a);
    r.retainAll(b);
    return r;
  }

  private static String nonBlank(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }

  private static String humanDuration(Duration d) {
    if (d.toDays() >= 1 && d.toHours() % 24 == 0) return d.toDays() + " days";
    if (d.toHours() >= 1 && d.toMinutes() % 60 == 0) return d.toHours() + " hours";
    return d.toMinutes() + " minutes";
  }

  /** For messages and notes in the business time zone. */
  public ZoneId zone() {
    return config.businessTimezone();
  }
}
