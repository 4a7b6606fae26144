package spark.desk.sop;

import java.time.Instant;
import java.util.Set;

/**
 * What the SOP reads of a Zendesk ticket at one moment. {@code orderNumber} is the order-number
 * custom field's value (null when empty).
 */
public record TicketSnapshot(
    long id,
    Instant createdAt,
    Set<String> tags,
    String subject,
    String description,
    String orderNumber) {

  public TicketSnapshot {
    if (id <= 0) throw new IllegalArgumentException("ticket id must be positive");
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    subject = subject == null ? "" : subject;
    description = description == null ? "" : description;
    if (orderNumber != null && orderNumber.isBlank()) orderNumber = null;
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }
}
