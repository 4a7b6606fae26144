package spark.desk.cases;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.orders.Order;
import spark.desk.orders.OrderSystem;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.Case;
import spark.desk.sop.Event;
import spark.desk.store.TrackerStore;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.Zendesk;

/**
 * The outside reads a decision needs (order system, tracking service, Zendesk's order field), each
 * turned into the engine's event. Called outside any database transaction: a slow neighbour holds
 * no lock and no pooled connection (issue 8, part 1).
 */
final class Lookups {
  private static final Logger log = LoggerFactory.getLogger(Lookups.class);

  private final Jdbi jdbi;
  private final TrackerStore trackers;
  private final OrderSystem orders;
  private final TrackingService tracking;
  private final Optional<Zendesk> zendesk;

  Lookups(
      Jdbi jdbi,
      TrackerStore trackers,
      OrderSystem orders,
      TrackingService tracking,
      Optional<Zendesk> zendesk) {
    this.jdbi = jdbi;
    this.trackers = trackers;
    this.orders = orders;
    this.tracking = tracking;
    this.zendesk = zendesk;
  }

  /** Reads the order, then its tracker; a failure becomes the event that says so. */
  Event lookup(Case c) {
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
      return pushedTracker(o.trackingNumber())
          .map(pushed -> lookedUp(o, pushed, null))
          .orElse(lookedUp(o, null, "unknown to the tracking service"));
    } catch (UpstreamException e) {
      log.info("ticket {}: tracking lookup failed: {}", c.ticketId(), e.getMessage());
      return pushedTracker(o.trackingNumber())
          .map(pushed -> lookedUp(o, pushed, null))
          .orElse(lookedUp(o, null, "unavailable (" + e.getMessage() + ")"));
    }
  }

  private static Event lookedUp(Order o, Tracker t, String trackerProblem) {
    return new Event.OrderLookedUp(Snapshots.order(o), Snapshots.parcel(t), trackerProblem);
  }

  /** A due tracking check: the tracker, or the order again while it has no tracking number. */
  Event trackingCheck(Case c) {
    if (c.trackingNumber() == null) return lookup(c);
    try {
      Optional<Tracker> t = tracking.findTracker(c.trackingNumber(), c.order().carrier());
      if (t.isPresent()) return new Event.TrackerSeen(Snapshots.parcel(t.get()));
      return new Event.TrackerUnavailable(
          "the tracking service does not know " + c.trackingNumber());
    } catch (UpstreamException e) {
      return new Event.TrackerUnavailable(e.getMessage());
    }
  }

  private Optional<Tracker> pushedTracker(String trackingNumber) {
    return jdbi.withHandle(h -> trackers.findTracker(h, trackingNumber))
        .map(
            s -> {
              try {
                return Json.mapper().readValue(s, Tracker.class);
              } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new spark.desk.shared.DeskException("stored tracker does not parse", e);
              }
            });
  }

  /**
   * The ticket with Zendesk's order number field when the webhook lacked it; a retryable failure is
   * thrown (the input is worked again later), a refusal falls back on the payload.
   */
  Ticket withOrderField(Ticket t) {
    if (zendesk.isEmpty()) return t;
    Ticket fresh;
    try {
      fresh = zendesk.get().getTicket(t.id());
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
}
