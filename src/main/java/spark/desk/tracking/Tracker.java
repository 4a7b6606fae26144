package spark.desk.tracking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A parcel's tracker as the tracking service reports it (contract section 6, EasyPost words). What
 * it means for the SOP (returned to sender, delivered) is the rule of {@code sop.Parcel}. {@code
 * message} is the carrier's own words for the latest event and {@code url} a tracking page for
 * people, when the provider gives them (EasyPost, AfterShip; contract section 6b); both may be
 * null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tracker(
    String trackingNumber,
    String carrier,
    String status,
    Instant updatedAt,
    Instant deliveredAt,
    List<Event> events,
    String message,
    String url) {

  /** A tracker without the carrier's words or a tracking link (the generic service's shape). */
  public Tracker(
      String trackingNumber,
      String carrier,
      String status,
      Instant updatedAt,
      Instant deliveredAt,
      List<Event> events) {
    this(trackingNumber, carrier, status, updatedAt, deliveredAt, events, null, null);
  }

  @JsonCreator
  public Tracker {
    if (trackingNumber == null || trackingNumber.isBlank())
      throw new IllegalArgumentException("trackingNumber is required");
    status = status == null || status.isBlank() ? "unknown" : status.toLowerCase(Locale.ROOT);
    events = events == null ? List.of() : List.copyOf(events);
    message = message == null || message.isBlank() ? null : message.strip();
    url = url == null || url.isBlank() ? null : url.strip();
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Event(String status, String description, Instant occurredAt) {
    public Event {
      status = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
    }
  }
}
