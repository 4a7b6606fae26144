package spark.desk.guard;

import java.util.Optional;
import spark.desk.orders.Order;
import spark.desk.orders.OrderSystem;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.OrderNumbers;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;

/**
 * Wraps whichever order system and tracking adapter is configured (issue 14, part 3): a number
 * outside {@link OrderNumbers} / {@link TrackingNumbers} never becomes a request, and an answer
 * about another order or parcel than the one asked for, or with a tracking number or carrier the
 * service could not store, is a failed lookup rather than an order (a JSON object from some other
 * URL must not be read as the customer's order).
 */
public final class CheckedLookups {
  private CheckedLookups() {}

  public static OrderSystem orders(OrderSystem inner) {
    return number -> {
      if (!OrderNumbers.valid(number))
        throw new UpstreamException(
            "order system",
            0,
            false,
            "order number \"" + shorten(number) + "\" is not valid",
            null);
      Optional<Order> found = inner.findOrder(number);
      found.ifPresent(o -> check(number, o));
      return found;
    };
  }

  public static TrackingService tracking(TrackingService inner) {
    return (number, carrier) -> {
      if (!TrackingNumbers.valid(number))
        throw new UpstreamException(
            "tracking service",
            0,
            false,
            "tracking number \"" + shorten(number) + "\" is not valid",
            null);
      Optional<Tracker> found = inner.findTracker(number, carrier);
      found.ifPresent(
          t -> {
            if (!TrackingNumbers.same(number, t.trackingNumber()))
              throw refused(
                  "tracking service",
                  "answered tracker " + shorten(t.trackingNumber()) + " for " + number);
          });
      return found;
    };
  }

  private static void check(String asked, Order o) {
    if (!OrderNumbers.same(asked, o.orderNumber()))
      throw refused("order system", "answered order " + shorten(o.orderNumber()) + " for " + asked);
    if (o.trackingNumber() != null && !TrackingNumbers.valid(o.trackingNumber()))
      throw refused(
          "order system",
          "answered order "
              + asked
              + " with an invalid tracking number "
              + shorten(o.trackingNumber()));
    if (!TrackingNumbers.validCarrier(o.carrier()))
      throw refused("order system", "answered order " + asked + " with an invalid carrier");
  }

  private static UpstreamException refused(String system, String why) {
    // Status 200: the system answered, but not with what was asked. Retried like any failed lookup.
    return new UpstreamException(system, 200, true, why, null);
  }

  private static String shorten(String s) {
    return s == null ? "null" : Bounded.cap(s, 70);
  }
}
