package spark.desk.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import spark.desk.orders.Order;
import spark.desk.orders.OrderSystem;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;

/**
 * The demo's shop and carriers: one ticket per end of the SOP, after the shipped scenarios in
 * {@code examples/scenarios/} (not-shipped-successful, shipped-refused-returned,
 * delivered-before-request, delivered-after-refusal-kept), with times relative to the demo's start.
 * The order system and the tracking service answer from here, in the process, and count what they
 * served.
 */
final class DemoWorld {
  /** A demo ticket and what the visitor can do with it. */
  record DemoCase(
      long ticketId, String subject, String what, Order order, List<Checkpoint> tracking) {}

  /** A tracker's state from {@code after} the demo's start on. */
  record Checkpoint(Duration after, String status, String description) {}

  static final long SHIPPED_TICKET = 202;

  private final Instant start;
  private final List<DemoCase> cases;
  private final AtomicLong served = new AtomicLong();

  DemoWorld(Instant start) {
    this.start = start;
    Instant placed = start.minus(Duration.ofDays(2));
    Instant shipped = start.minus(Duration.ofDays(1));
    Order.Money total = new Order.Money("59.90", "GBP");
    this.cases =
        List.of(
            new DemoCase(
                201,
                "Please cancel SP-2001",
                "Not shipped yet (1.1): mark the logistics request Successful and the refund is"
                    + " escalated (3.1); leave it and the next working day's check flags it (3).",
                new Order(
                    "SP-2001",
                    "processing",
                    null,
                    null,
                    placed,
                    null,
                    null,
                    "customer201@example.invalid",
                    total),
                List.of()),
            new DemoCase(
                SHIPPED_TICKET,
                "Please cancel SP-2002",
                "Shipped (1.2): mark it Unsuccessful (3.2); the customer refuses the parcel, it"
                    + " goes back to the sender two days later (4.1) and the refund is escalated.",
                new Order(
                    "SP-2002",
                    "shipped",
                    "1Z2002",
                    "UPS",
                    placed,
                    shipped,
                    null,
                    "customer202@example.invalid",
                    total),
                List.of(
                    new Checkpoint(Duration.ZERO, "in_transit", "Departed facility"),
                    new Checkpoint(
                        Duration.ofDays(2), "return_to_sender", "Refused by recipient"))),
            new DemoCase(
                203,
                "Cancel order SP-2003",
                "Delivered before the request (1.3): a sales return; nothing to cancel.",
                new Order(
                    "SP-2003",
                    "delivered",
                    "1Z2003",
                    "UPS",
                    placed.minus(Duration.ofDays(5)),
                    placed.minus(Duration.ofDays(4)),
                    placed.minus(Duration.ofDays(2)),
                    "customer203@example.invalid",
                    total),
                List.of(new Checkpoint(Duration.ZERO, "delivered", "Delivered"))),
            new DemoCase(
                204,
                "Cancellation SP-2004",
                "Shipped (1.2): mark it Unsuccessful; the parcel is delivered anyway a day later"
                    + " (4.2); then press the sidebar's Keeps or Returns (5.1, 5.2).",
                new Order(
                    "SP-2004",
                    "shipped",
                    "JD2004",
                    "DHL",
                    placed,
                    shipped,
                    null,
                    "customer204@example.invalid",
                    total),
                List.of(
                    new Checkpoint(Duration.ZERO, "in_transit", "With the courier"),
                    new Checkpoint(Duration.ofDays(1), "delivered", "Delivered"))));
  }

  List<DemoCase> cases() {
    return cases;
  }

  long served() {
    return served.get();
  }

  OrderSystem orders() {
    Map<String, Order> byNumber =
        cases.stream()
            .map(DemoCase::order)
            .collect(Collectors.toUnmodifiableMap(Order::orderNumber, Function.identity()));
    return n -> {
      served.incrementAndGet();
      return Optional.ofNullable(byNumber.get(n));
    };
  }

  /** A tracker shows its last checkpoint so far, with every checkpoint so far as its events. */
  TrackingService tracking(Clock clock) {
    return (trackingNumber, carrier) -> {
      served.incrementAndGet();
      Instant now = clock.instant();
      Optional<DemoCase> c =
          cases.stream().filter(x -> trackingNumber.equals(x.order().trackingNumber())).findFirst();
      if (c.isEmpty()) return Optional.empty();
      List<Tracker.Event> seen =
          c.get().tracking().stream()
              .filter(p -> !start.plus(p.after()).isAfter(now))
              .map(p -> new Tracker.Event(p.status(), p.description(), start.plus(p.after())))
              .toList();
      if (seen.isEmpty()) return Optional.empty();
      Tracker.Event last = seen.get(seen.size() - 1);
      return Optional.of(
          new Tracker(
              trackingNumber,
              c.get().order().carrier(),
              last.status(),
              last.occurredAt(),
              last.status().equals("delivered") ? last.occurredAt() : null,
              seen));
    };
  }
}
