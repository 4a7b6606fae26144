package spark.desk.tracking.easypost;

import static spark.desk.tracking.VendorHttp.instant;
import static spark.desk.tracking.VendorHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import spark.desk.tracking.Tracker;

/**
 * EasyPost's Tracker object read as the contract's tracker (section 6b). Fields follow
 * docs.easypost.com/docs/trackers and the fixture EasyPost/examples {@code
 * official/docs/responses/trackers/trackers-list.json}: {@code tracking_code, carrier, status,
 * status_detail, updated_at, public_url, tracking_details[] {message, status, status_detail,
 * datetime}}.
 */
public final class EasyPostTrackers {
  private EasyPostTrackers() {}

  /**
   * The tracker. EasyPost's {@code status} is already the contract's vocabulary. A scan whose
   * {@code status_detail} is {@code return_to_sender} is a return-to-sender event whatever its
   * status (carriers report a parcel going back as "in_transit" with that detail), so a later
   * {@code delivered} counts as returned (contract 6); the same detail on the tracker itself makes
   * it a return to sender unless it is already delivered (back at the shipper).
   */
  public static Tracker toTracker(JsonNode t) {
    String status = lower(text(t, "status"));
    boolean backToSender = "return_to_sender".equals(lower(text(t, "status_detail")));
    List<Tracker.Event> events = new ArrayList<>();
    String latestMessage = null;
    for (JsonNode d : t.path("tracking_details")) {
      String eventStatus =
          "return_to_sender".equals(lower(text(d, "status_detail")))
              ? "return_to_sender"
              : lower(text(d, "status"));
      String message = text(d, "message");
      if (message == null) message = text(d, "description");
      events.add(new Tracker.Event(eventStatus, message, instant(text(d, "datetime"))));
      if (message != null) latestMessage = message;
    }
    if (backToSender && !"delivered".equals(status)) status = "return_to_sender";
    if (backToSender
        && "delivered".equals(status)
        && events.stream().noneMatch(e -> e.status().equals("return_to_sender")))
      events.add(0, new Tracker.Event("return_to_sender", null, null));
    return new Tracker(
        text(t, "tracking_code"),
        text(t, "carrier"),
        status,
        instant(text(t, "updated_at")),
        null,
        events,
        latestMessage,
        text(t, "public_url"));
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
