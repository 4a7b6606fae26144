package spark.desk.sop;

import java.time.Instant;
import java.util.Optional;
import spark.desk.sop.Case.CustomerAnswer;
import spark.desk.sop.Case.Lookup;

/**
 * What the ticket, the agent, the order system and the tracker say, routed to the SOP step it
 * concerns. The steps themselves are in {@link Sop}; this class only reads an event into the
 * working copy and picks the step.
 */
abstract class Intake extends WorkingCase {
  Intake(Case current, Instant now, SopSettings settings, Notes notes) {
    super(current, now, settings, notes);
  }

  void ticketUpdated(TicketSnapshot t) {
    Optional<String> number = findOrderNumber(t);
    if (stage == null) {
      load(Case.open(t.id(), t.createdAt() == null ? now : t.createdAt(), number.orElse(null)));
      // Tags the agent set before we first saw the ticket are taken as given, without a note.
      if (t.hasTag(Tags.REFUSAL_REQUESTED)) watch = watch.refusalRequestedNow();
      if (number.isEmpty()) step1_noOrderNumber();
      else lookup = true;
      customerAnswerFromTags(t);
      return;
    }
    if (ticketCreatedAt == null && t.createdAt() != null) ticketCreatedAt = t.createdAt();
    if (stage.unclassified() && number.isPresent() && !number.get().equals(orderNumber)) {
      orderNumber = number.get();
      lookups = new Lookup(0, lookups.nextAt());
      lookup = true;
    } else if (stage.unclassified()
        && number.isEmpty()
        && orderNumber == null
        && !problemTags.contains(Tags.NEEDS_ORDER_NUMBER)) {
      step1_noOrderNumber();
    }
    if (t.hasTag(Tags.REFUSAL_REQUESTED) && !watch.refusalRequested())
      step4_refusalRequested("the ticket's tag");
    customerAnswerFromTags(t);
  }

  private void customerAnswerFromTags(TicketSnapshot t) {
    boolean keeps = t.hasTag(Tags.CUSTOMER_KEEPS);
    boolean returns = t.hasTag(Tags.CUSTOMER_RETURNS);
    if (keeps == returns) return; // none, or both: an agent's tag mix-up that we do not guess at
    if (customer.outcome() != null) return;
    CustomerAnswer answer = keeps ? CustomerAnswer.KEEP : CustomerAnswer.RETURN;
    if (answer == customer.pendingAnswer()) return;
    step5_customerAnswer(answer, "the ticket's tag");
  }

  void agentAction(Event.Action action, String agent) {
    String by = agent == null || agent.isBlank() ? "an agent" : agent;
    switch (action) {
      case REFUSAL_REQUESTED -> {
        if (!watch.refusalRequested()) step4_refusalRequested(by);
      }
      case CUSTOMER_KEEPS -> step5_customerAnswer(CustomerAnswer.KEEP, by);
      case CUSTOMER_RETURNS -> step5_customerAnswer(CustomerAnswer.RETURN, by);
    }
  }

  void orderLookedUp(OrderSnapshot o, Parcel p, String trackerProblem) {
    order = o;
    if (p != null) parcel = Parcel.newer(parcel, p);
    lookups = Lookup.NONE;
    if (!stage.unclassified()) {
      // A re-check of a case already classified: tracking news is acted on as in step 4.
      if (p != null) {
        step4_trackingNews();
      } else {
        history.add(notes.orderRechecked(o.status(), trackerProblem));
        step4_nextCheckOrStalled();
      }
      return;
    }
    step1_classify(trackerProblem);
  }

  void trackerSeen(Parcel p) {
    if (order == null
        || order.trackingNumber() == null
        || !order.trackingNumber().equals(p.trackingNumber())) {
      history.add(notes.notThisParcel(p.trackingNumber()));
      return;
    }
    Parcel before = parcel;
    parcel = Parcel.newer(before, p);
    if (parcel != p && before != null) history.add(notes.olderTrackingIgnored(p.status()));
    step4_trackingNews();
  }

  void trackerUnavailable(String reason) {
    history.add(notes.trackingCheckFailed(reason));
    step4_nextCheckOrStalled();
  }

  // ---- the steps an event may lead to (in Sop) ------------------------------------------

  /** Step 1 cannot start: the ticket carries no order number. */
  abstract void step1_noOrderNumber();

  /** Step 1: is the order shipped, delivered, or neither? */
  abstract void step1_classify(String trackerProblem);

  /** Step 4: the agent asked the customer to refuse the parcel. */
  abstract void step4_refusalRequested(String by);

  /** Acts on the latest parcel reading of a classified case: 4.1, 4.2, or the stalled watch. */
  abstract void step4_trackingNews();

  /** Step 4 goes on: the next check, and the stalled flag once the watch limit has passed. */
  abstract void step4_nextCheckOrStalled();

  /** Step 5: the customer's keep-or-return answer, given by {@code by}. */
  abstract void step5_customerAnswer(CustomerAnswer answer, String by);
}
