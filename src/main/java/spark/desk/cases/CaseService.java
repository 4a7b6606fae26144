package spark.desk.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.guard.Bounded;
import spark.desk.guard.TrackerReplays;
import spark.desk.guard.TrackingNumbers;
import spark.desk.orders.Order;
import spark.desk.orders.OrderSystem;
import spark.desk.shared.DeskException;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.Case;
import spark.desk.sop.Event;
import spark.desk.sop.Result;
import spark.desk.sop.Sop;
import spark.desk.sop.Write;
import spark.desk.store.CaseStore;
import spark.desk.store.InboxItem;
import spark.desk.store.LogisticsStore;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;
import spark.desk.web.ApiException;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.Zendesk;

/**
 * Runs cases through the SOP: takes inputs into the durable inbox, works them one ticket at a time
 * under the case's row lock, does the lookups the engine asks for, and stores each decision (case,
 * timeline, Zendesk writes, logistics request) in one transaction. Safe to call from several
 * threads and several instances sharing one database.
 */
public final class CaseService {
  private static final Logger log = LoggerFactory.getLogger(CaseService.class);

  private final Jdbi jdbi;
  private final CaseStore cases;
  private final LogisticsStore logistics;
  private final Sop sop;
  private final OrderSystem orders;
  private final TrackingService tracking;
  private final Optional<Zendesk> zendesk;
  private final Clock clock;
  private final boolean live;
  private final ObjectMapper json = Json.mapper();
  private LongConsumer writesPending = id -> {};
  private LongConsumer inboxPending = id -> {};
  private LogisticsFiled logisticsFiled = (h, requestId, c, at) -> {};
  private final AtomicLong inputsSetAside = new AtomicLong();

  public CaseService(
      Jdbi jdbi,
      CaseStore cases,
      LogisticsStore logistics,
      Sop sop,
      OrderSystem orders,
      TrackingService tracking,
      Optional<Zendesk> zendesk,
      Clock clock,
      boolean live) {
    this.jdbi = jdbi;
    this.cases = cases;
    this.logistics = logistics;
    this.sop = sop;
    this.orders = orders;
    this.tracking = tracking;
    this.zendesk = zendesk;
    this.clock = clock;
    this.live = live;
  }

  /**
   * Called after a commit that left Zendesk writes (ticket id) or inbox items (ticket id) to work
   * on.
   */
  public void onWork(LongConsumer writesPending, LongConsumer inboxPending) {
    this.writesPending = writesPending;
    this.inboxPending = inboxPending;
  }

  /** Step 2's channel, told of each filed request inside the transaction that files it. */
  public interface LogisticsFiled {
    void filed(Handle h, long requestId, Case c, Instant at);
  }

  /** {@code LOGISTICS_CHANNEL=shopify} sends step 2 through Shopify (contract 6a). */
  public void onLogisticsFiled(LogisticsFiled hook) {
    this.logisticsFiled = hook;
  }

  public Clock clock() {
    return clock;
  }

  /** Inputs set aside since start-up because no retry could ever work them (for /metrics). */
  public long inputsSetAside() {
    return inputsSetAside.get();
  }

  // ---- intake ------------------------------------------------------------------------------

  /** What intake did with a Zendesk webhook delivery. */
  public enum Intake {
    ACCEPTED,
    IGNORED,
    DUPLICATE
  }

  /**
   * Stores a tracker pushed by a tracking aggregator (EasyPost, AfterShip; contract 6b) under its
   * delivery id: a repeat is a duplicate; a parcel no open case watches is ignored and not stored;
   * otherwise as {@link #acceptTracker}.
   */
  public Intake acceptTrackerPush(String deliveryId, Tracker tracker) {
    Instant now = clock.instant();
    String state = toJson(tracker);
    List<Long> tickets = new ArrayList<>();
    Intake outcome =
        jdbi.inTransaction(
            h -> {
              if (cases.deliveryKnown(h, deliveryId)) return Intake.DUPLICATE;
              List<Long> ids = cases.ticketsTracking(h, tracker.trackingNumber());
              if (ids.isEmpty()) return Intake.IGNORED;
              if (!cases.rememberDelivery(h, deliveryId, now)) return Intake.DUPLICATE;
              cases.saveTracker(h, tracker.trackingNumber(), state, now);
              for (long id : ids) cases.addToInbox(h, id, InboxItem.TRACKER, state, now);
              tickets.addAll(ids);
              return Intake.ACCEPTED;
            });
    tickets.forEach(inboxPending::accept);
    return outcome;
  }

  /**
   * Stores a ticket snapshot from a webhook, durably, before the reply. {@code readOrderField}: the
   * payload lacked the order number field (event style), so the worker reads it from Zendesk.
   */
  public Intake acceptTicket(Optional<String> invocationId, Ticket ticket, boolean readOrderField) {
    Instant now = clock.instant();
    Intake outcome =
        jdbi.inTransaction(
            h -> {
              // Known: a case, or inputs for the ticket not yet worked (the case is about to
              // exist).
              boolean known = cases.exists(h, ticket.id()) || cases.hasInbox(h, ticket.id());
              if (!known && !sop.isCancellationRequest(ticket.tags())) return Intake.IGNORED;
              if (invocationId.isPresent() && !cases.rememberDelivery(h, invocationId.get(), now))
                return Intake.DUPLICATE;
              JsonNode payload =
                  json.createObjectNode()
                      .putPOJO("ticket", ticket)
                      .put("readOrderField", readOrderField);
              cases.addToInbox(h, ticket.id(), InboxItem.TICKET, toJson(payload), now);
              return Intake.ACCEPTED;
            });
    if (outcome == Intake.ACCEPTED) inboxPending.accept(ticket.id());
    return outcome;
  }

  /**
   * Stores a pushed tracker and queues it for every open case that watches that parcel; a push no
   * newer than the stored tracker is ignored (empty list).
   */
  public List<Long> acceptTracker(Tracker tracker) {
    // Stored as a key and compared with cases' numbers: only a number in the strict set (issue 14).
    if (!TrackingNumbers.valid(tracker.trackingNumber()))
      throw ApiException.badRequest(
          "trackingNumber must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit");
    Instant now = clock.instant();
    String state = toJson(tracker);
    List<Long> tickets =
        jdbi.inTransaction(
            h -> {
              // A replayed older push changes nothing (issue 14, part 8).
              Tracker stored = pushedTracker(h, tracker.trackingNumber()).orElse(null);
              if (!TrackerReplays.newer(stored, tracker)) return List.<Long>of();
              cases.saveTracker(h, tracker.trackingNumber(), state, now);
              List<Long> ids = cases.ticketsTracking(h, tracker.trackingNumber());
              for (long id : ids) cases.addToInbox(h, id, InboxItem.TRACKER, state, now);
              return ids;
            });
    tickets.forEach(inboxPending::accept);
    return tickets;
  }

  /**
   * An agent's action from the sidebar app; worked on at once. Empty when the ticket has no case.
   */
  public Optional<Case> agentAction(long ticketId, String action, String agent) {
    Instant now = clock.instant();
    boolean queued =
        jdbi.inTransaction(
            h -> {
              if (!cases.exists(h, ticketId)) return false;
              String payload =
                  json.createObjectNode().put("action", action).put("agent", agent).toString();
              cases.addToInbox(h, ticketId, InboxItem.AGENT_ACTION, payload, now);
              return true;
            });
    if (!queued) return Optional.empty();
    process(ticketId);
    return find(ticketId);
  }

  /** Outcome of recording a logistics result. */
  public enum ResultOutcome {
    RECORDED,
    SAME_AGAIN,
    CONFLICT,
    UNKNOWN
  }

  /** Records the logistics team's result and reacts at once (contract section 11). */
  public ResultOutcome recordLogisticsResult(
      long requestId, boolean successful, String by, String note) {
    Instant now = clock.instant();
    String result = successful ? "successful" : "unsuccessful";
    long[] ticket = {0};
    ResultOutcome outcome =
        jdbi.inTransaction(
            h -> {
              var request = logistics.lock(h, requestId);
              if (request.isEmpty()) return ResultOutcome.UNKNOWN;
              ticket[0] = request.get().ticketId();
              if (!"pending".equals(request.get().result())) {
                return result.equals(request.get().result())
                    ? ResultOutcome.SAME_AGAIN
                    : ResultOutcome.CONFLICT;
              }
              logistics.recordResult(h, requestId, result, by, note, now);
              JsonNode payload =
                  json.createObjectNode()
                      .put("successful", successful)
                      .put("by", by)
                      .put("note", note)
                      .put("at", now.toString());
              cases.addToInbox(h, ticket[0], InboxItem.LOGISTICS_RESULT, payload.toString(), now);
              return ResultOutcome.RECORDED;
            });
    if (outcome == ResultOutcome.RECORDED) process(ticket[0]);
    return outcome;
  }

  // ---- work ----------------------------------------------------------------------------------

  /**
   * Works every waiting input of one ticket, in arrival order, in one transaction under the case
   * lock.
   */
  public void process(long ticketId) {
    boolean wrote =
        jdbi.inTransaction(
            h -> {
              Instant now = clock.instant();
              // Locking the waiting inputs serialises workers of the same ticket even before its
              // case exists.
              List<InboxItem> items = cases.lockPendingInbox(h, ticketId);
              if (items.isEmpty()) return false;
              Case current = cases.lockCase(h, ticketId).orElse(null);
              boolean any = false;
              for (InboxItem item : items) {
                // Each input under its own savepoint: one that can never be worked on is set aside
                // with a timeline line instead of blocking the ticket's later inputs. Failures that
                // a retry can cure (an outside system, the database) roll the batch back instead.
                h.savepoint("input");
                try {
                  Step step = handle(h, current, item, now);
                  current = step.current;
                  any |= step.wrote;
                  h.releaseSavepoint("input");
                } catch (RuntimeException e) {
                  if (retryable(e)) throw e;
                  h.rollbackToSavepoint("input");
                  setAside(h, ticketId, item, e, now);
                }
                cases.markProcessed(h, item.id(), now);
              }
              return any;
            });
    if (wrote) writesPending.accept(ticketId);
  }

  private static boolean retryable(RuntimeException e) {
    // SQLSTATE class 22 (data exception: a value too long, out of range, invalid): the same input
    // fails the same way on every retry, so it is set aside instead of blocking the ticket.
    for (Throwable t = e; t != null; t = t.getCause())
      if (t instanceof java.sql.SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("22")) return false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UpstreamException u) return u.retryable();
      if (t instanceof java.sql.SQLException || t instanceof org.jdbi.v3.core.JdbiException)
        return true;
    }
    return false;
  }

  private void setAside(Handle h, long ticketId, InboxItem item, RuntimeException e, Instant now) {
    inputsSetAside.incrementAndGet();
    log.error(
        "ticket {}: {} input {} set aside: {}",
        ticketId,
        item.kind(),
        item.id(),
        Bounded.cap(e.getMessage(), 500));
    if (cases.exists(h, ticketId)) {
      cases.addHistory(
          h,
          ticketId,
          now,
          null,
          "An input ("
              + item.kind().replace('_', ' ')
              + ") could not be worked on and was set aside: "
              + Bounded.cap(e.getMessage(), 500));
    }
  }

  /** Runs every timer that is due (follow-ups, tracking checks, lookup retries). */
  public int runDue() {
    Instant now = clock.instant();
    List<Long> due = jdbi.withHandle(h -> cases.dueTickets(h, now));
    for (long ticketId : due) {
      try {
        runDue(ticketId);
      } catch (RuntimeException e) {
        log.warn(
            "ticket {}: due check failed, retried at the next round: {}", ticketId, e.toString());
      }
    }
    return due.size();
  }

  private void runDue(long ticketId) {
    boolean wrote =
        jdbi.inTransaction(
            h -> {
              Instant now = clock.instant();
              Case c = cases.lockCase(h, ticketId).orElse(null);
              if (c == null || c.nextDueAt() == null || c.nextDueAt().isAfter(now)) return false;
              Step s = new Step(c, false);
              if (c.lookup().nextAt() != null && !c.lookup().nextAt().isAfter(now))
                s = s.then(decide(h, s.current, lookup(h, s.current), now));
              Instant followupAt = s.current.logistics().followupAt();
              if (followupAt != null && !followupAt.isAfter(now))
                s = s.then(decide(h, s.current, new Event.FollowupDue(), now));
              Instant trackingCheckAt = s.current.watch().nextCheckAt();
              if (trackingCheckAt != null && !trackingCheckAt.isAfter(now))
                s = s.then(decide(h, s.current, trackingCheck(h, s.current), now));
              return s.wrote;
            });
    if (wrote) writesPending.accept(ticketId);
  }

  /** Inputs or writes left behind by a crash or a lost race: picked up again. */
  public List<Long> staleInbox(Instant before) {
    return jdbi.withHandle(h -> cases.ticketsWithStaleInbox(h, before));
  }

  public List<Long> pendingWrites(Instant before) {
    return jdbi.withHandle(h -> cases.ticketsWithPendingWrites(h, before));
  }

  public Optional<Case> find(long ticketId) {
    return jdbi.withHandle(h -> cases.findCase(h, ticketId));
  }

  // ---- one input -----------------------------------------------------------------------------

  private record Step(Case current, boolean wrote) {
    Step then(Step next) {
      return new Step(next.current, wrote || next.wrote);
    }
  }

  private Step handle(Handle h, Case current, InboxItem item, Instant now) {
    JsonNode p = readJson(item.payload());
    switch (item.kind()) {
      case InboxItem.TICKET -> {
        Ticket ticket = json.convertValue(p.path("ticket"), Ticket.class);
        if (p.path("readOrderField").asBoolean() && zendesk.isPresent())
          ticket = withOrderField(ticket);
        if (current == null && !sop.isCancellationRequest(ticket.tags()))
          return new Step(null, false);
        return decide(h, current, new Event.TicketUpdated(Snapshots.ticket(ticket)), now);
      }
      case InboxItem.TRACKER -> {
        if (current == null) return new Step(null, false);
        Tracker tracker = json.convertValue(p, Tracker.class);
        return decide(h, current, new Event.TrackerSeen(Snapshots.parcel(tracker)), now);
      }
      case InboxItem.LOGISTICS_RESULT -> {
        if (current == null) return new Step(null, false);
        boolean successful = p.path("successful").asBoolean();
        Step s = new Step(current, false);
        if (!successful && (current.order() == null || !current.order().shipped())) {
          // "Unsuccessful" means the order has shipped: learn its tracking number first.
          Event looked = lookup(h, current);
          if (looked instanceof Event.OrderLookedUp) s = decide(h, current, looked, now);
        }
        var result =
            new Event.LogisticsResult(
                successful, text(p, "by"), text(p, "note"), Instant.parse(p.path("at").asText()));
        return s.then(decide(h, s.current, result, now));
      }
      case InboxItem.AGENT_ACTION -> {
        if (current == null) return new Step(null, false);
        String action = p.path("action").asText();
        String agent = text(p, "agent");
        if (action.equals("recheck")) {
          cases.addHistory(
              h,
              current.ticketId(),
              now,
              null,
              "Re-check asked by " + (agent == null ? "an agent" : agent) + ".");
          return decide(h, current, lookup(h, current), now);
        }
        Event.Action a =
            switch (action) {
              case "refusal_requested" -> Event.Action.REFUSAL_REQUESTED;
              case "customer_keeps" -> Event.Action.CUSTOMER_KEEPS;
              case "customer_returns" -> Event.Action.CUSTOMER_RETURNS;
              default -> throw new DeskException("unknown agent action " + action);
            };
        return decide(h, current, new Event.AgentAction(a, agent), now);
      }
      default -> throw new DeskException("unknown inbox item kind " + item.kind());
    }
  }

  /** One engine decision, stored; then the lookup it asks for, if any. */
  private Step decide(Handle h, Case current, Event event, Instant now) {
    Result r = sop.decide(current, event, now);
    boolean wrote = store(h, r, now);
    Case next = r.next();
    if (r.lookupWanted()) {
      Result again = sop.decide(next, lookup(h, next), now);
      wrote |= store(h, again, now);
      next = again.next();
    }
    return new Step(next, wrote);
  }

  private boolean store(Handle h, Result r, Instant now) {
    Case c = r.next();
    cases.saveCase(h, c, now);
    for (String line : r.history()) cases.addHistory(h, c.ticketId(), now, null, line);
    if (r.fileLogisticsRequest()) {
      long id = logistics.file(h, c, now);
      logisticsFiled.filed(h, id, c, now);
      cases.addHistory(
          h,
          c.ticketId(),
          now,
          "2",
          "Cancellation request #" + id + " filed with the logistics team.");
    }
    for (Write w : r.writes()) {
      cases.addWrite(h, c.ticketId(), now, w, !live);
      cases.addHistory(h, c.ticketId(), now, w.step(), w.note());
    }
    return !r.writes().isEmpty() && live;
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** Reads the order, then its tracker; a failure becomes the event that says so. */
  private Event lookup(Handle h, Case c) {
    String number = c.orderNumber();
    if (number == null) return new Event.OrderNotFound("(none)");
    Optional<Order> found;
    try {
      found = orders.findOrder(number);
    } catch (UpstreamException e) {
      log.info("ticket {}: order lookup failed: {}", c.ticketId(), e.getMessage());
      return new Event.LookupUnavailable(e.getMessage());
    }
    if (found.isEmpty()) return new Event.OrderNotFound(number);
    Order o = found.get();
    if (!o.shipped()) return lookedUp(o, null, null);
    try {
      Optional<Tracker> t = tracking.findTracker(o.trackingNumber(), o.carrier());
      if (t.isPresent()) return lookedUp(o, t.get(), null);
      return pushedTracker(h, o.trackingNumber())
          .map(pushed -> lookedUp(o, pushed, null))
          .orElse(lookedUp(o, null, "unknown to the tracking service"));
    } catch (UpstreamException e) {
      log.info("ticket {}: tracking lookup failed: {}", c.ticketId(), e.getMessage());
      return pushedTracker(h, o.trackingNumber())
          .map(pushed -> lookedUp(o, pushed, null))
          .orElse(lookedUp(o, null, "unavailable (" + e.getMessage() + ")"));
    }
  }

  private static Event lookedUp(Order o, Tracker t, String trackerProblem) {
    return new Event.OrderLookedUp(Snapshots.order(o), Snapshots.parcel(t), trackerProblem);
  }

  /** A due tracking check: the tracker, or the order again while it has no tracking number. */
  private Event trackingCheck(Handle h, Case c) {
    if (c.trackingNumber() == null) return lookup(h, c);
    try {
      Optional<Tracker> t = tracking.findTracker(c.trackingNumber(), c.order().carrier());
      if (t.isPresent()) return new Event.TrackerSeen(Snapshots.parcel(t.get()));
      return new Event.TrackerUnavailable(
          "the tracking service does not know " + c.trackingNumber());
    } catch (UpstreamException e) {
      return new Event.TrackerUnavailable(e.getMessage());
    }
  }

  private Optional<Tracker> pushedTracker(Handle h, String trackingNumber) {
    return cases
        .findTracker(h, trackingNumber)
        .map(s -> json.convertValue(readJson(s), Tracker.class));
  }

  /**
   * The ticket with Zendesk's order number field; a retryable failure is retried, a refusal falls
   * back on the payload.
   */
  private Ticket withOrderField(Ticket t) {
    Ticket fresh;
    try {
      fresh = zendesk.orElseThrow().getTicket(t.id());
    } catch (UpstreamException e) {
      if (e.retryable()) throw e;
      log.warn(
          "ticket {}: the order number field could not be read ({}); using the webhook's text",
          t.id(),
          e.getMessage());
      return t;
    }
    if (fresh.orderNumber() == null) return t;
    return new Ticket(
        t.id(),
        t.createdAt() != null ? t.createdAt() : fresh.createdAt(),
        t.updatedAt(),
        t.status(),
        t.tags(),
        t.subject(),
        t.description(),
        t.requesterEmail(),
        fresh.orderNumber());
  }

  private JsonNode readJson(String s) {
    try {
      return json.readTree(s);
    } catch (JsonProcessingException e) {
      throw new DeskException("stored input does not parse: " + e.getOriginalMessage(), e);
    }
  }

  private String toJson(Object o) {
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new DeskException("cannot serialise " + o.getClass().getSimpleName(), e);
    }
  }

  private static String text(JsonNode p, String field) {
    JsonNode n = p.path(field);
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }
}
