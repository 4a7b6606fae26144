package spark.desk.cases;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Jdbi;
import spark.desk.orders.OrderSystem;
import spark.desk.sop.Case;
import spark.desk.sop.Sop;
import spark.desk.store.Stores;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.Zendesk;

/**
 * Runs cases through the SOP: {@link CaseIntake} takes inputs into the durable inbox, {@link
 * CaseWork} works them (look, then lock, then decide) and runs due timers, {@link Lookups} makes
 * the outside reads. Safe to call from several threads and several instances sharing one database.
 */
public final class CaseService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CaseService.class);

  /**
   * How long an agent action or a logistics result waits for its queued work before answering with
   * the case as it stands (the work goes on).
   */
  static final Duration ANSWER_WAIT = Duration.ofSeconds(4);

  private final Jdbi jdbi;
  private final Stores stores;
  private final Clock clock;
  private final CaseIntake intake;
  private final CaseWork work;
  private final WorkDone done;

  public CaseService(
      Jdbi jdbi,
      Stores stores,
      Sop sop,
      OrderSystem orders,
      TrackingService tracking,
      Optional<Zendesk> zendesk,
      Clock clock,
      boolean live) {
    this.jdbi = jdbi;
    this.stores = stores;
    this.clock = clock;
    this.intake = new CaseIntake(jdbi, stores, sop, clock);
    this.work =
        new CaseWork(
            jdbi,
            stores,
            sop,
            new Lookups(jdbi, stores.trackers(), orders, tracking, zendesk),
            clock,
            live);
    this.done = new WorkDone(jdbi, stores.inbox());
    work.onWorked(done::signal);
  }

  /**
   * A webhook's ticket accepted, inside the transaction that stores its input; {@code seenBefore}:
   * the ticket had a case or waiting inputs already.
   */
  @FunctionalInterface
  public interface TicketAccepted {
    void accepted(org.jdbi.v3.core.Handle h, Ticket ticket, boolean seenBefore);
  }

  /** The Zendesk updates one commit stored for a ticket, oldest first, none sent yet. */
  @FunctionalInterface
  public interface WritesDecided {
    void decided(long ticketId, java.util.List<spark.desk.store.StoredWrite> writes);
  }

  /**
   * Called after a commit that left Zendesk writes (the ticket and the writes it stored) or inbox
   * items (ticket id) to work on.
   */
  public void onWork(WritesDecided writesPending, LongConsumer inboxPending) {
    work.onWrites(writesPending);
    intake.onInbox(inboxPending);
  }

  /**
   * Told of each accepted webhook's ticket inside the transaction that stores it (the ticket's
   * stamp for the next update's {@code safe_update}, contract 7): kept together with the input, so
   * a worker that reads the input also finds the stamp.
   */
  public void onTicketAccepted(TicketAccepted hook) {
    intake.onTicketAccepted(hook);
  }

  /** Called after a commit that left the case with a timer: ticket id and when it is due. */
  public void onTimer(java.util.function.BiConsumer<Long, java.time.Instant> timerSet) {
    work.onTimer(timerSet);
  }

  /** Step 2's channel, told of each filed request inside the transaction that files it. */
  public interface LogisticsFiled {
    void filed(org.jdbi.v3.core.Handle h, long requestId, Case c, java.time.Instant at);
  }

  /** {@code LOGISTICS_CHANNEL=shopify} sends step 2 through Shopify (contract 6a). */
  public void onLogisticsFiled(LogisticsFiled hook) {
    work.onLogisticsFiled(hook);
  }

  /**
   * Inputs set aside since start-up because no retry could ever work them (for /metrics; which ones
   * are set aside now is in the inbox, {@code set_aside_at}).
   */
  public long inputsSetAside() {
    return work.inputsSetAside();
  }

  public Clock clock() {
    return clock;
  }

  // ---- intake ------------------------------------------------------------------------------

  /** What intake did with a Zendesk webhook delivery. */
  public enum Intake {
    ACCEPTED,
    IGNORED,
    DUPLICATE
  }

  /**
   * Stores a ticket snapshot from a webhook, durably, before the reply. {@code readOrderField}: the
   * payload lacked the order number field (event style), so the worker reads it from Zendesk.
   */
  public Intake acceptTicket(Optional<String> invocationId, Ticket ticket, boolean readOrderField) {
    return intake.acceptTicket(invocationId, ticket, readOrderField);
  }

  /**
   * Stores a tracker pushed by a tracking aggregator (EasyPost, AfterShip; contract 6b) under its
   * delivery id: a repeat is a duplicate; a parcel no open case watches is ignored and not stored.
   */
  public Intake acceptTrackerPush(String deliveryId, Tracker tracker) {
    return intake.acceptTrackerPush(deliveryId, tracker);
  }

  /**
   * Stores a pushed tracker and queues it for every open case that watches that parcel; a push no
   * newer than the stored tracker is ignored (empty list).
   */
  public List<Long> acceptTracker(Tracker tracker) {
    return intake.acceptTracker(tracker);
  }

  /**
   * An agent's action from the sidebar app, queued; answered with the case once the work is done,
   * or as it stands after {@link #ANSWER_WAIT}. Empty when the ticket has no case.
   */
  public Optional<Case> agentAction(long ticketId, String action, String agent) {
    Optional<Long> queued = intake.agentAction(ticketId, action, agent);
    if (queued.isEmpty()) return Optional.empty();
    done.await(queued.get(), ANSWER_WAIT);
    return find(ticketId);
  }

  /** Outcome of recording a logistics result. */
  public enum ResultOutcome {
    RECORDED,
    SAME_AGAIN,
    CONFLICT,
    UNKNOWN
  }

  /**
   * Records the logistics team's result and queues the reaction (contract section 11); returns once
   * the reaction is worked, or after {@link #ANSWER_WAIT} (it goes on).
   */
  public ResultOutcome recordLogisticsResult(
      long requestId, boolean successful, String by, String note) {
    CaseIntake.Recorded r = intake.recordLogisticsResult(requestId, successful, by, note);
    if (r.outcome() == ResultOutcome.RECORDED) done.await(r.inboxId(), ANSWER_WAIT);
    return r.outcome();
  }

  // ---- work ----------------------------------------------------------------------------------

  /** Works every waiting input of one ticket, in arrival order (the work queue calls this). */
  public void process(long ticketId) {
    work.process(ticketId);
  }

  /** Runs every timer that is due now, case after case: {@code simulate} and tests call this. */
  public int runDue() {
    List<Long> due = dueTickets(clock.instant());
    for (long ticketId : due) {
      try {
        work.runDue(ticketId);
      } catch (RuntimeException e) {
        log.warn(
            "ticket {}: due check failed, retried at the next round: {}", ticketId, e.toString());
      }
    }
    return due.size();
  }

  /** Runs one case's due timers (its own durable task calls this); false when none was due. */
  public boolean runDue(long ticketId) {
    return work.runDue(ticketId);
  }

  /** The cases with a timer due by then, earliest first. */
  public List<Long> dueTickets(java.time.Instant by) {
    return jdbi.withHandle(h -> stores.cases().dueTickets(h, by));
  }

  /** Inputs or writes left behind by a crash or a lost race: picked up again. */
  public List<Long> staleInbox(java.time.Instant before) {
    return jdbi.withHandle(h -> stores.inbox().ticketsWithStaleInbox(h, before));
  }

  public List<Long> pendingWrites(java.time.Instant before) {
    return jdbi.withHandle(h -> stores.writes().ticketsWithPendingWrites(h, before));
  }

  public Optional<Case> find(long ticketId) {
    return jdbi.withHandle(h -> stores.cases().findCase(h, ticketId));
  }
}
