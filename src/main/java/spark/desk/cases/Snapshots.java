package spark.desk.cases;

import spark.desk.config.Config;
import spark.desk.orders.Order;
import spark.desk.sop.OrderSnapshot;
import spark.desk.sop.Parcel;
import spark.desk.sop.SopSettings;
import spark.desk.sop.TicketSnapshot;
import spark.desk.tracking.Tracker;
import spark.desk.zendesk.Ticket;

/**
 * The edge between the adapters and the SOP: translates what Zendesk, the order system and the
 * tracking service report (and the service's configuration) into the SOP's own records, so {@code
 * sop/} depends on none of them.
 */
public final class Snapshots {
  private Snapshots() {}

  public static SopSettings settings(Config config) {
    Config.Macros m = config.macros();
    return new SopSettings(
        config.businessTimezone(),
        config.cancellationTags(),
        config.orderNumberPattern(),
        new SopSettings.Macros(m.notShipped(), m.shipped(), m.delivered(), m.keepOrReturn()),
        config.trackingPollInterval(),
        config.trackingWatchLimit(),
        config.refundGroupId().orElse(null),
        config.salesReturnGroupId().orElse(null),
        config.closeWhenOrderKept());
  }

  public static TicketSnapshot ticket(Ticket t) {
    return new TicketSnapshot(
        t.id(), t.createdAt(), t.tags(), t.subject(), t.description(), t.orderNumber());
  }

  public static OrderSnapshot order(Order o) {
    return new OrderSnapshot(
        o.orderNumber(),
        o.status(),
        o.trackingNumber(),
        o.carrier(),
        o.deliveredAt(),
        o.customerEmail(),
        o.total() == null
            ? null
            : new OrderSnapshot.Money(o.total().amount(), o.total().currency()),
        o.link());
  }

  /** Null for null: a lookup may come without the parcel's tracking. */
  public static Parcel parcel(Tracker t) {
    if (t == null) return null;
    return new Parcel(
        t.trackingNumber(),
        t.carrier(),
        t.status(),
        t.updatedAt(),
        t.deliveredAt(),
        t.events().stream()
            .map(e -> new Parcel.Scan(e.status(), e.description(), e.occurredAt()))
            .toList(),
        t.message(),
        t.url());
  }
}
