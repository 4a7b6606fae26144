package spark.desk.cases;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Jdbi;
import spark.desk.guard.TrackerReplays;
import spark.desk.guard.TrackingNumbers;
import spark.desk.sop.Sop;
import spark.desk.store.Stores;
import spark.desk.tracking.Tracker;
import spark.desk.web.ApiException;
import spark.desk.zendesk.Ticket;

/**
 * Intake: every input is stored in the ticket's durable inbox in one short transaction, before its
 * reply, and handed to the work queue after the commit. Nothing here calls an outside system.
 */
final class CaseIntake {
  private final Jdbi jdbi;
  private final Stores stores;
  private final Sop sop;
  private final Clock clock;
  private volatile LongConsumer inboxPending = id -> {};

  CaseIntake(Jdbi jdbi, Stores stores, Sop sop, Clock clock) {
    this.jdbi = jdbi;
    this.stores = stores;
    this.sop = sop;
    this.clock = clock;
  }

  void onInbox(LongConsumer inboxPending) {
    this.inboxPending = inboxPending;
  }

  private volatile CaseService.TicketAccepted ticketAccepted = (h, t, seenBefore) -> {};

  void onTicketAccepted(CaseService.TicketAccepted hook) {
    this.ticketAccepted = hook;
  }

  CaseService.Intake acceptTicket(
      Optional<String> invocationId, Ticket ticket, boolean readOrderField) {
    Instant now = clock.instant();
    Input input = new Input.TicketSeen(ticket, readOrderField);
    CaseService.Intake outcome =
        jdbi.inTransaction(
            h -> {
              // Known: a case, or inputs for the ticket not yet worked (the case is about to
              // exist).
              boolean known = stores.inbox().caseOrInbox(h, ticket.id());
              if (!known && !sop.isCancellationRequest(ticket.tags()))
                return CaseService.Intake.IGNORED;
              if (invocationId.isPresent()
                  && !stores.inbox().rememberDelivery(h, invocationId.get(), now))
                return CaseService.Intake.DUPLICATE;
              stores.inbox().addToInbox(h, ticket.id(), input.kind(), Input.payload(input), now);
              ticketAccepted.accepted(h, ticket, known);
              return CaseService.Intake.ACCEPTED;
            });
    if (outcome == CaseService.Intake.ACCEPTED) inboxPending.accept(ticket.id());
    return outcome;
  }

  /**
   * Stores a tracker pushed by a tracking aggregator (EasyPost, AfterShip; contract 6b) under its
   * delivery id: a repeat is a duplicate; a parcel no open case watches is ignored and not stored;
   * otherwise as {@link #acceptTracker}.
   */
  CaseService.Intake acceptTrackerPush(String deliveryId, Tracker tracker) {
    Instant now = clock.instant();
    Input input = new Input.TrackerPushed(tracker);
    String payload = Input.payload(input);
    List<Long> tickets = new ArrayList<>();
    CaseService.Intake outcome =
        jdbi.inTransaction(
            h -> {
              if (stores.inbox().deliveryKnown(h, deliveryId)) return CaseService.Intake.DUPLICATE;
              List<Long> ids = stores.cases().ticketsTracking(h, tracker.trackingNumber());
              if (ids.isEmpty()) return CaseService.Intake.IGNORED;
              if (!stores.inbox().rememberDelivery(h, deliveryId, now))
                return CaseService.Intake.DUPLICATE;
              stores.trackers().saveTracker(h, tracker.trackingNumber(), payload, now);
              for (long id : ids) stores.inbox().addToInbox(h, id, input.kind(), payload, now);
              tickets.addAll(ids);
              return CaseService.Intake.ACCEPTED;
            });
    tickets.forEach(inboxPending::accept);
    return outcome;
  }

  /**
   * Stores a pushed tracker and queues it for every open case that watches that parcel; a push no
   * newer than the stored tracker, or for a parcel no open case watches, is ignored and not stored
   * (empty list).
   */
  List<Long> acceptTracker(Tracker tracker) {
    // Stored as a key and compared with cases' numbers: only a number in the strict set (issue 14).
    if (!TrackingNumbers.valid(tracker.trackingNumber()))
      throw ApiException.badRequest(
          "trackingNumber must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit");
    Instant now = clock.instant();
    Input input = new Input.TrackerPushed(tracker);
    String payload = Input.payload(input);
    List<Long> tickets =
        jdbi.inTransaction(
            h -> {
              // A replayed older push changes nothing (issue 14, part 8).
              Tracker stored =
                  stores
                      .trackers()
                      .findTracker(h, tracker.trackingNumber())
                      .map(CaseIntake::readTracker)
                      .orElse(null);
              if (!TrackerReplays.newer(stored, tracker)) return List.<Long>of();
              // A parcel no open case watches is not ours to keep (issue 8, part 6): nothing
              // stored, however validly signed the push.
              List<Long> ids = stores.cases().ticketsTracking(h, tracker.trackingNumber());
              if (ids.isEmpty()) return ids;
              stores.trackers().saveTracker(h, tracker.trackingNumber(), payload, now);
              for (long id : ids) stores.inbox().addToInbox(h, id, input.kind(), payload, now);
              return ids;
            });
    tickets.forEach(inboxPending::accept);
    return tickets;
  }

  private static Tracker readTracker(String stored) {
    return ((Input.TrackerPushed) Input.read("tracker", stored)).tracker();
  }

  /** Queues an agent's action; the inbox id, or empty when the ticket has no case. */
  Optional<Long> agentAction(long ticketId, String action, String agent) {
    Instant now = clock.instant();
    Input input = new Input.AgentAsked(action, agent);
    Optional<Long> queued =
        jdbi.inTransaction(
            h -> {
              if (!stores.cases().exists(h, ticketId)) return Optional.<Long>empty();
              return Optional.of(
                  stores.inbox().addToInbox(h, ticketId, input.kind(), Input.payload(input), now));
            });
    queued.ifPresent(id -> inboxPending.accept(ticketId));
    return queued;
  }

  /** A recorded logistics result: the outcome, and the queued input when it was recorded. */
  record Recorded(CaseService.ResultOutcome outcome, long ticketId, long inboxId) {}

  Recorded recordLogisticsResult(long requestId, boolean successful, String by, String note) {
    Instant now = clock.instant();
    String result = successful ? "successful" : "unsuccessful";
    Input input = new Input.LogisticsAnswered(successful, by, note, now);
    Recorded recorded =
        jdbi.inTransaction(
            h -> {
              var request = stores.logistics().lock(h, requestId);
              if (request.isEmpty()) return new Recorded(CaseService.ResultOutcome.UNKNOWN, 0, 0);
              long ticketId = request.get().ticketId();
              if (!"pending".equals(request.get().result())) {
                return new Recorded(
                    result.equals(request.get().result())
                        ? CaseService.ResultOutcome.SAME_AGAIN
                        : CaseService.ResultOutcome.CONFLICT,
                    ticketId,
                    0);
              }
              stores.logistics().recordResult(h, requestId, result, by, note, now);
              long id =
                  stores.inbox().addToInbox(h, ticketId, input.kind(), Input.payload(input), now);
              return new Recorded(CaseService.ResultOutcome.RECORDED, ticketId, id);
            });
    if (recorded.outcome() == CaseService.ResultOutcome.RECORDED)
      inboxPending.accept(recorded.ticketId());
    return recorded;
  }
}
