package spark.desk.sop;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the SOP reads of a parcel's tracking (contract section 6, EasyPost's status words, lower
 * case). {@code latestMessage} (the carrier's latest event text) and {@code trackingUrl} are shown
 * when a tracking service gives them, else null.
 */
public record Parcel(
    String trackingNumber,
    String carrier,
    String status,
    Instant updatedAt,
    Instant deliveredAt,
    List<Scan> events,
    String latestMessage,
    String trackingUrl) {

  public static final String RETURN_TO_SENDER = "return_to_sender";
  public static final String DELIVERED = "delivered";

  public Parcel {
    if (trackingNumber == null || trackingNumber.isBlank())
      throw new IllegalArgumentException("trackingNumber is required");
    status = status == null || status.isBlank() ? "unknown" : status.toLowerCase(Locale.ROOT);
    events = events == null ? List.of() : List.copyOf(events);
  }

  /**
   * Back with the sender: a return to sender, or a "delivered" that follows a return-to-sender
   * event (delivered back to us).
   */
  public boolean returnedToSender() {
    if (status.equals(RETURN_TO_SENDER)) return true;
    return status.equals(DELIVERED)
        && events.stream().anyMatch(e -> RETURN_TO_SENDER.equals(e.status()));
  }

  /** Delivered to the customer (not back to the sender). */
  public boolean deliveredToCustomer() {
    return status.equals(DELIVERED) && !returnedToSender();
  }

  /**
   * When the parcel reached the customer: the tracker's delivery time, else its last delivered
   * event.
   */
  public Optional<Instant> deliveryTime() {
    if (!deliveredToCustomer()) return Optional.empty();
    if (deliveredAt != null) return Optional.of(deliveredAt);
    return events.stream()
        .filter(e -> DELIVERED.equals(e.status()) && e.occurredAt() != null)
        .map(Scan::occurredAt)
        .max(Instant::compareTo);
  }

  /** The later of two readings of the same parcel; a different parcel replaces the current one. */
  static Parcel newer(Parcel current, Parcel incoming) {
    if (current == null || !current.trackingNumber().equals(incoming.trackingNumber()))
      return incoming;
    if (current.updatedAt() != null
        && incoming.updatedAt() != null
        && incoming.updatedAt().isBefore(current.updatedAt())) return current;
    return incoming;
  }

  /** One carrier event. */
  public record Scan(String status, String description, Instant occurredAt) {
    public Scan {
      status = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
    }
  }
}
