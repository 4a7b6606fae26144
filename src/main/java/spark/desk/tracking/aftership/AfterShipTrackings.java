package spark.desk.tracking.aftership;

import static spark.desk.tracking.VendorHttp.instant;
import static spark.desk.tracking.VendorHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import spark.desk.tracking.Tracker;

/**
 * AfterShip's Tracking object (API 2026-07) read as the contract's tracker, with the mapping of
 * contract section 6b. Fields follow AfterShip/tracking-sdk-nodejs {@code src/model/Tracking.ts}
 * and {@code Checkpoint.ts}: {@code tracking_number, slug, tag, subtag, subtag_message,
 * return_to_sender, updated_at, shipment_delivery_date, courier_tracking_link,
 * aftership_tracking_url, checkpoints[] {checkpoint_time, tag, subtag, message}}; tags and subtags
 * per aftership.com/docs/tracking/enum/delivery-statuses and …/enum/delivery-sub-statuses.
 */
public final class AfterShipTrackings {
  private AfterShipTrackings() {}

  /** The slug AfterShip knows a carrier by: lower case without spaces (contract 6b). */
  public static String slug(String carrier) {
    if (carrier == null || carrier.isBlank()) return null;
    String s = carrier.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
    return s.isEmpty() ? null : s;
  }

  public static Tracker toTracker(JsonNode t) {
    List<Tracker.Event> events = new ArrayList<>();
    String latestMessage = null;
    boolean returnCheckpoint = false;
    for (JsonNode c : t.path("checkpoints")) {
      String subtag = text(c, "subtag");
      returnCheckpoint |= isReturnSubtag(subtag);
      String message = text(c, "message");
      events.add(
          new Tracker.Event(
              status(text(c, "tag"), subtag, false), message, instant(text(c, "checkpoint_time"))));
      if (message != null) latestMessage = message;
    }
    boolean returned = t.path("return_to_sender").asBoolean(false) || returnCheckpoint;
    String status = status(text(t, "tag"), text(t, "subtag"), returned);
    String delivered = "delivered".equals(status) ? text(t, "shipment_delivery_date") : null;
    String url = text(t, "courier_tracking_link");
    if (url == null) url = text(t, "aftership_tracking_url");
    return new Tracker(
        text(t, "tracking_number"),
        text(t, "slug"),
        status,
        instant(text(t, "updated_at")),
        delivered == null || delivered.length() <= 10 ? null : instant(delivered),
        events,
        latestMessage != null ? latestMessage : text(t, "subtag_message"),
        url);
  }

  /**
   * Contract 6b: {@code return_to_sender: true} or a checkpoint with subtag {@code Exception_010}
   * (returning to sender) / {@code Exception_011} (returned to sender) → {@code return_to_sender};
   * else by tag.
   */
  static String status(String tag, String subtag, boolean returned) {
    if (returned || isReturnSubtag(subtag)) return "return_to_sender";
    if (tag == null) return "unknown";
    return switch (tag) {
      case "Delivered" -> "delivered";
      case "InfoReceived", "Pending" -> "pre_transit";
      case "InTransit", "AttemptFail" -> "in_transit";
      case "OutForDelivery" -> "out_for_delivery";
      case "AvailableForPickup" -> "available_for_pickup";
      case "Exception" -> "failure";
      default -> "unknown";
    };
  }

  private static boolean isReturnSubtag(String subtag) {
    return "Exception_010".equals(subtag) || "Exception_011".equals(subtag);
  }
}
