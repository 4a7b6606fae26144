package spark.desk.sop;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.sop.Case.CustomerAnswer;
import spark.desk.sop.Case.CustomerDecision;
import spark.desk.sop.Case.CustomerOutcome;
import spark.desk.sop.Case.LogisticsResult;
import spark.desk.sop.Case.Lookup;
import spark.desk.sop.Case.TrackingOutcome;

/**
 * The order cancellation process ({@code sop/order-cancellation-process.md}) as pure code: a case
 * and an event in, the new case and its decisions out. No I/O and no clock: the caller passes
 * {@code now}. Each SOP step is a method named after its number ({@code step1_2_shipped}, {@code
 * step4_1_returnToSender}, ...), and every note of a step is written by that step's method; the
 * wording lives in {@link Notes} and {@link NextActions}.
 */
public final class Sop {
  /**
   * A failed lookup is retried soon, then less often (contract section 5): the first retry within 5
   * s (3 s, plus up to one poll of the work queue), doubling, at most every 30 minutes; after 5
   * minutes of failure the ticket gets {@code cxl_lookup_failed} with a note.
   */
  static final Duration FIRST_RETRY = Duration.ofSeconds(3);

  static final Duration SLOW_RETRY = Duration.ofMinutes(30);
  static final Duration FLAG_AFTER = Duration.ofMinutes(5);

  private final SopSettings settings;
  private final WorkingCalendar calendar;
  private final Notes notes;
  private final NextActions actions;

  public Sop(SopSettings settings, WorkingCalendar calendar) {
    this.settings = settings;
    this.calendar = calendar;
    this.notes = new Notes(settings.businessTimezone());
    this.actions = new NextActions(notes);
  }

  /** Whether a ticket with these tags is a cancellation request. */
  public boolean isCancellationRequest(Set<String> tags) {
    return tags.stream().anyMatch(settings.cancellationTags()::contains);
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
      d.orderLookedUp(e.order(), e.parcel(), e.trackerProblem());
    else if (event instanceof Event.OrderNotFound e) d.step1_orderNotFound(e.orderNumber());
    else if (event instanceof Event.LookupUnavailable e) d.step1_lookupFailed(e.reason());
    else if (event instanceof Event.LogisticsResult e) d.step3_logisticsResult(e);
    else if (event instanceof Event.TrackerSeen e) d.trackerSeen(e.parcel());
    else if (event instanceof Event.TrackerUnavailable e) d.trackerUnavailable(e.reason());
    else if (event instanceof Event.FollowupDue) d.step3_nextWorkingDayCheck();
    else if (event instanceof Event.AgentAction e) d.agentAction(e.action(), e.agent());
    else throw new IllegalArgumentException("unknown event " + event);
    return d.result();
  }

  /** One decision in the making: the steps, over the case's working copy. */
  private final class Decision extends Intake {
    Decision(Case current, Instant now) {
      super(current, now, Sop.this.settings, Sop.this.notes);
    }

    // ---- step 1: the situations that stop the SOP before it can classify the order ---------

    /** Step 1 cannot start: the ticket carries no order number. */
    @Override
    void step1_noOrderNumber() {
      stage = Stage.NEEDS_ORDER_NUMBER;
      nextAction = actions.findOrderNumber();
      suggestedMacro = null;
      write("1").adds(Tags.NEEDS_ORDER_NUMBER).send(notes.noOrderNumber(nextAction));
    }

    /** Step 1 cannot classify: the order system does not know the ticket's order number. */
    void step1_orderNotFound(String number) {
      lookups = Lookup.NONE;
      boolean alreadyTold =
          stage == Stage.ORDER_NOT_FOUND && problemTags.contains(Tags.ORDER_NOT_FOUND);
      stage = Stage.ORDER_NOT_FOUND;
      nextAction = actions.checkOrderNumber(number);
      suggestedMacro = null;
      if (alreadyTold) {
        history.add(notes.stillUnknown(number));
        return;
      }
      // The ticket has a number and the order system answered: those problems are resolved.
      write("1")
          .adds(Tags.ORDER_NOT_FOUND)
          .resolves(Tags.NEEDS_ORDER_NUMBER, Tags.LOOKUP_FAILED)
          .send(notes.orderNotFound(number, nextAction));
    }

    /** Step 1 cannot classify yet: the order system did not answer; retried, then flagged. */
    void step1_lookupFailed(String reason) {
      int attempts = lookups.attempts() + 1;
      if (!stage.unclassified()) {
        // A re-check of a case already past step 1: nothing changes, the watch goes on.
        lookups = Lookup.NONE;
        history.add(notes.lookupFailedAfterClassification(reason));
        return;
      }
      stage = Stage.LOOKUP_FAILED;
      Instant since = lookups.failingSince() != null ? lookups.failingSince() : now;
      Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
      if (wait.compareTo(SLOW_RETRY) > 0) wait = SLOW_RETRY;
      lookups = new Lookup(attempts, now.plus(wait), since);
      if (Duration.between(since, now).compareTo(FLAG_AFTER) < 0) {
        nextAction = actions.waitForRetry(attempts + 1);
        history.add(notes.lookupRetrying(reason, lookups.nextAt()));
        return;
      }
      nextAction = actions.lookUpByHand(wait);
      if (problemTags.contains(Tags.LOOKUP_FAILED)) {
        history.add(notes.lookupFailedAgain(reason));
        return;
      }
      // The ticket has a number now (or there would be no lookup): cxl_needs_order_number is
      // resolved.
      write("1")
          .adds(Tags.LOOKUP_FAILED)
          .resolves(Tags.NEEDS_ORDER_NUMBER)
          .send(notes.lookupFailed(orderNumber, attempts, reason, nextAction));
    }

    /** Step 1 ends the case: the order is already cancelled, nothing to cancel. */
    private void step1_alreadyCancelled(String trackerProblem) {
      stage = Stage.CLOSED;
      suggestedMacro = null;
      nextAction = actions.nothingToCancel();
      write("1")
          .adds(Tags.ALREADY_CANCELLED)
          .resolvesAllProblems()
          .send(notes.alreadyCancelled(evidence(trackerProblem), nextAction));
    }

    // ---- step 1: classify the order (step 2 follows in the same decision) ------------------

    /** Step 1: is the order shipped, delivered, or neither? */
    @Override
    void step1_classify(String trackerProblem) {
      OrderSnapshot o = order;
      Parcel p = currentParcel();
      if (o.cancelled()) {
        step1_alreadyCancelled(trackerProblem);
        return;
      }
      boolean parcelDelivered = p != null && p.deliveredToCustomer();
      boolean orderDelivered = o.deliveredStatus() && (p == null || !p.returnedToSender());
      if (parcelDelivered || orderDelivered) {
        Instant deliveredAt =
            p != null ? p.deliveryTime().orElse(o.deliveredAt()) : o.deliveredAt();
        if (deliveredAt == null || !deliveredAt.isAfter(ticketCreatedAt)) {
          step1_3_deliveredBeforeRequest(deliveredAt, trackerProblem);
        } else {
          step4_2_deliveredToCustomer(
              true, notes.deliveredAfterRequest(deliveredAt, ticketCreatedAt));
        }
        return;
      }
      if (p != null && p.returnedToSender()) step4_1_returnToSender(true);
      else if (o.shipped()) step1_2_shipped(trackerProblem);
      else step1_1_notShipped(trackerProblem);
    }

    private void step1_1_notShipped(String trackerProblem) {
      stage = Stage.AWAITING_LOGISTICS;
      suggestedMacro = settings.macros().notShipped();
      step2_fileLogisticsRequest();
      nextAction = actions.sendNotShipped(suggestedMacro, logistics.followupAt());
      write("1.1")
          .adds(Tags.NOT_SHIPPED, Tags.LOGISTICS_REQUESTED)
          .resolvesAllProblems()
          .macro(suggestedMacro)
          .send(notes.notShipped(evidence(trackerProblem), nextAction, suggestedMacro));
    }

    private void step1_2_shipped(String trackerProblem) {
      step2_fileLogisticsRequest();
      if (watch.refusalRequested()) {
        if (refusalAsked == null) refusalAsked = Result.RefusalAsked.BY_REQUEST;
        suggestedMacro = null;
        startWatch();
        nextAction = actions.alreadyAskedToRefuse(logistics.followupAt());
      } else {
        stage = Stage.AWAITING_LOGISTICS;
        suggestedMacro = settings.macros().shipped();
        nextAction = actions.askToRefuse(suggestedMacro);
      }
      write("1.2")
          .adds(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED)
          .resolvesAllProblems()
          .macro(suggestedMacro)
          .send(notes.shipped(evidence(trackerProblem), nextAction, suggestedMacro));
    }

    private void step1_3_deliveredBeforeRequest(Instant deliveredAt, String trackerProblem) {
      stage = Stage.SALES_RETURN;
      suggestedMacro = settings.macros().delivered();
      nextAction = actions.explainSalesReturn(suggestedMacro);
      write("1.3")
          .adds(Tags.DELIVERED_BEFORE_REQUEST, Tags.SALES_RETURN)
          .resolvesAllProblems()
          .macro(suggestedMacro)
          .group(settings.salesReturnGroupId())
          .send(
              notes.deliveredBeforeRequest(
                  evidence(trackerProblem),
                  deliveredAt,
                  ticketCreatedAt,
                  nextAction,
                  suggestedMacro));
    }

    // ---- step 2 ----------------------------------------------------------------------------

    private void step2_fileLogisticsRequest() {
      if (logistics.result() != null) return;
      fileLogistics = true;
      logistics = logistics.filed(calendar.nextFollowup(now));
    }

    // ---- step 3 ----------------------------------------------------------------------------

    void step3_nextWorkingDayCheck() {
      if (logistics.followupAt() == null || now.isBefore(logistics.followupAt())) return;
      if (!logistics.pending() || stage.ended()) {
        logistics = logistics.withFollowupAt(null);
        return;
      }
      logistics = logistics.withFollowupAt(calendar.nextFollowup(now));
      // Step 3 suggests no macro (contract section 7): the overdue check is for the logistics
      // team, and its note does not name the customer macro still due from step 1.
      write("3")
          .adds(Tags.LOGISTICS_OVERDUE)
          .send(notes.logisticsOverdue(evidence(null), logistics.followupAt()));
    }

    void step3_logisticsResult(Event.LogisticsResult r) {
      if (!logistics.pending()) {
        history.add(notes.logisticsResultIgnored(r.successful(), logistics.result()));
        return;
      }
      // Recorded before the case moved on by itself? Then the result decides; else it is history.
      boolean movedOn = stage.ended() || refundEscalated || watch.outcome() != null;
      logistics =
          logistics.answered(
              r.successful() ? LogisticsResult.SUCCESSFUL : LogisticsResult.UNSUCCESSFUL,
              r.at(),
              r.by(),
              r.note());
      String answer = notes.logisticsAnswer(r.successful(), r.by(), r.note(), r.at());
      if (r.successful()) step3_1_successful(answer, movedOn);
      else step3_2_unsuccessful(answer, movedOn);
    }

    private void step3_1_successful(String answer, boolean movedOn) {
      // Successful ends the case, so a stalled watch is resolved too.
      Write.Draft w =
          write("3.1")
              .adds(Tags.LOGISTICS_SUCCESSFUL)
              .resolves(Tags.LOGISTICS_OVERDUE, Tags.TRACKING_STALLED);
      if (movedOn) w.send(notes.logisticsResultRecorded(evidence(null), answer, stage));
      else refundEscalation(w, "Cancelled by logistics: refund due", answer);
    }

    private void step3_2_unsuccessful(String answer, boolean movedOn) {
      // Unsuccessful keeps watching: a stalled watch stays a problem.
      Write.Draft w =
          write("3.2").adds(Tags.LOGISTICS_UNSUCCESSFUL).resolves(Tags.LOGISTICS_OVERDUE);
      if (movedOn) {
        w.send(notes.logisticsResultRecorded(evidence(null), answer, stage));
        return;
      }
      stage = Stage.WATCHING_TRACKING;
      if (!watch.refusalRequested()) {
        suggestedMacro = settings.macros().shipped();
        nextAction = actions.askToRefuseThenWatch(suggestedMacro);
      } else {
        suggestedMacro = null;
        startWatch();
        nextAction = actions.nothingAlreadyRefusing();
      }
      w.macro(suggestedMacro)
          .send(
              notes.logisticsUnsuccessful(
                  evidence(null),
                  answer,
                  !watch.refusalRequested(),
                  order != null && !order.shipped(),
                  nextAction,
                  suggestedMacro));
    }

    // ---- step 4 ----------------------------------------------------------------------------

    @Override
    void step4_refusalRequested(String by) {
      watch = watch.refusalRequestedNow();
      refusalAsked = Result.RefusalAsked.NOW;
      history.add(notes.refusalRequested(by));
      if (settings.macros().shipped().equals(suggestedMacro)) suggestedMacro = null;
      boolean shippedOrUnsuccessful =
          (order != null && order.shipped()) || logistics.result() == LogisticsResult.UNSUCCESSFUL;
      if (watchable() && shippedOrUnsuccessful) {
        startWatch();
        nextAction = actions.nothingWatching();
      }
    }

    /** Acts on the latest parcel reading of a classified case: 4.1, 4.2, or the stalled watch. */
    @Override
    void step4_trackingNews() {
      if (!watchable() || parcel == null) return;
      if (parcel.returnedToSender()) step4_1_returnToSender(false);
      else if (parcel.deliveredToCustomer())
        step4_2_deliveredToCustomer(
            false, notes.deliveredToCustomerWhy(parcel, watch.refusalRequested()));
      else step4_nextCheckOrStalled();
    }

    /**
     * Step 4.1: the parcel is back with the sender, so the refund is escalated. {@code atIntake}:
     * step 1 found it so, before any logistics request was filed.
     */
    private void step4_1_returnToSender(boolean atIntake) {
      watch = watch.withOutcome(TrackingOutcome.RETURN_TO_SENDER);
      Write.Draft w =
          atIntake
              ? write("4.1").adds(Tags.SHIPPED, Tags.RETURN_TO_SENDER).resolvesAllProblems()
              : write("4.1")
                  .adds(Tags.RETURN_TO_SENDER)
                  .resolves(Tags.TRACKING_STALLED, Tags.LOGISTICS_OVERDUE);
      refundEscalation(
          w,
          notes.returnToSenderTitle(atIntake),
          atIntake
              ? notes.returnedAtIntakeWhy()
              : notes.returnedToSenderWhy(parcel, logistics.pending()));
    }

    /**
     * Step 4.2: the parcel reached the customer, so step 5 asks keep or return. {@code atIntake}:
     * step 1 found it delivered after the request.
     */
    private void step4_2_deliveredToCustomer(boolean atIntake, String why) {
      watch = watch.withOutcome(TrackingOutcome.DELIVERED);
      logistics = logistics.withFollowupAt(null);
      stopWatch();
      stage = Stage.AWAITING_CUSTOMER_DECISION;
      // An answer given before the delivery is applied right below (step 5): asking again would
      // make the agent send Keep or Return to a customer who has already said.
      CustomerAnswer answered = customer.pendingAnswer();
      suggestedMacro = answered != null ? null : settings.macros().keepOrReturn();
      nextAction =
          answered != null
              ? actions.alreadyAnswered(answered)
              : actions.askKeepOrReturn(suggestedMacro);
      Write.Draft w =
          atIntake
              ? write("4.2").adds(Tags.SHIPPED).resolvesAllProblems()
              : write("4.2").resolves(Tags.TRACKING_STALLED, Tags.LOGISTICS_OVERDUE);
      w.adds(Tags.DELIVERED_AFTER_REFUSAL)
          .macro(suggestedMacro)
          .send(notes.deliveredToCustomer(evidence(null), why, nextAction, suggestedMacro));
      if (answered != null) {
        customer = new CustomerDecision(null, customer.outcome());
        step5_customerAnswer(answered, "the answer given earlier");
      }
    }

    /** Step 4 goes on: the next check, and the stalled flag once the watch limit has passed. */
    @Override
    void step4_nextCheckOrStalled() {
      if (watch.startedAt() == null || stage != Stage.WATCHING_TRACKING) return;
      watch = watch.withNextCheckAt(nextTrackingCheck());
      boolean overLimit = !now.isBefore(watch.startedAt().plus(settings.trackingWatchLimit()));
      if (!overLimit || watch.stalled()) return;
      watch = watch.stalledNow();
      nextAction = actions.checkWithCarrier(watch.startedAt());
      write("4")
          .adds(Tags.TRACKING_STALLED)
          .send(notes.trackingStalled(evidence(null), settings.trackingWatchLimit(), nextAction));
    }

    // ---- step 5 ----------------------------------------------------------------------------

    @Override
    void step5_customerAnswer(CustomerAnswer answer, String by) {
      if (customer.outcome() != null) {
        history.add(notes.answerIgnoredOutcomeKnown(answer, by, customer.outcome()));
      } else if (stage == Stage.AWAITING_CUSTOMER_DECISION) {
        if (answer == CustomerAnswer.KEEP) step5_1_orderKept(by);
        else step5_2_salesReturn(by);
      } else if (stage.ended()) {
        history.add(notes.answerIgnoredCaseEnded(answer, by, stage));
      } else {
        customer = new CustomerDecision(answer, null);
        history.add(notes.answerKept(answer, by));
      }
    }

    private void step5_1_orderKept(String by) {
      stage = Stage.ORDER_KEPT;
      customer = new CustomerDecision(customer.pendingAnswer(), CustomerOutcome.ORDER_KEPT);
      suggestedMacro = null;
      nextAction = actions.solve(settings.closeWhenOrderKept());
      write("5.1")
          .adds(Tags.ORDER_KEPT)
          .status(settings.closeWhenOrderKept() ? "solved" : null)
          .send(notes.orderKept(evidence(null), by, nextAction));
    }

    private void step5_2_salesReturn(String by) {
      stage = Stage.SALES_RETURN;
      customer = new CustomerDecision(customer.pendingAnswer(), CustomerOutcome.SALES_RETURN);
      suggestedMacro = null;
      nextAction = actions.salesReturn();
      write("5.2")
          .adds(Tags.SALES_RETURN)
          .group(settings.salesReturnGroupId())
          .send(notes.salesReturn(evidence(null), by, nextAction));
    }

    // ---- the refund escalation (3.1, 4.1) --------------------------------------------------

    /** Ends the case with the refund escalated to the refunds team, at most once per case. */
    private void refundEscalation(Write.Draft w, String title, String why) {
      stage = Stage.REFUND_ESCALATED;
      suggestedMacro = null;
      logistics = logistics.withFollowupAt(null);
      stopWatch();
      if (refundEscalated) {
        nextAction = actions.refundAlreadyEscalated();
      } else {
        refundEscalated = true;
        w.adds(Tags.REFUND_ESCALATED);
        nextAction = actions.refundsTeam(settings.refundGroupId() != null);
      }
      w.group(settings.refundGroupId())
          .send(notes.refundDue(title, orderNumber, order, why, evidence(null), nextAction));
    }
  }
}
