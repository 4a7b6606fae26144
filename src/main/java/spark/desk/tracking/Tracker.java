package spark.desk.tracking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parcel's tracker as the tracking service reports it (contract section 6, EasyPost words).
 * {@code message} is the carrier's own words for the latest event and {@code url} a tracking page
 * for people, when the provider gives them (EasyPost, AfterShip; contract section 6b); both may be
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

  /**
   * Back with the sender: a return to sender, or a "delivered" that follows a return-to-sender
   * event (delivered back to us).
   */
  @JsonIgnore
  public boolean returnedToSender() {
    if (status.equals("return_to_sender")) return true;
    return status.equals("delivered")
        && events.stream().anyMatch(e -> "return_to_sender".equals(e.status()));
  }

  /** Delivered to the customer (not back to the sender). */
  @JsonIgnore
  public boolean deliveredToCustomer() {
    return status.equals("delivered") && !returnedToSender();
  }

  /**
   * When the parcel reached the customer: the tracker's delivery time, else its last delivered
   * event.
   */
  @JsonIgnore
  public Optional<Instant> deliveryTime() {
    if (!deliveredToCustomer()) return Optional.empty();
    if (deliveredAt != null) return Optional.of(deliveredAt);
    return events.stream()
        .filter(e -> "delivered".equals(e.status()) && e.occurredAt() != null)
        .map(Event::occurredAt)
        .max(Instant::compareTo);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Event(String status, String description, Instant occurredAt) {
    public Event {
      status = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
    }
  }
}
