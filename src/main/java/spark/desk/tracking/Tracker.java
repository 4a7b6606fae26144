package spark.desk.tracking;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A parcel's tracker as the tracking service reports it (contract section 6, EasyPost words). What
 * it means for the SOP (returned to sender, delivered) is the rule of {@code sop.Parcel}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tracker(
    String trackingNumber,
    String carrier,
    String status,
    Instant updatedAt,
    Instant deliveredAt,
    List<Event> events) {

  public Tracker {
    if (trackingNumber == null || trackingNumber.isBlank())
      throw new IllegalArgumentException("trackingNumber is required");
    status = status == null || status.isBlank() ? "unknown" : status.toLowerCase(Locale.ROOT);
    events = events == null ? List.of() : List.copyOf(events);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Event(String status, String description, Instant occurredAt) {
    public Event {
      status = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
    }
  }
}
