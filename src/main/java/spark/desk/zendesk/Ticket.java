package spark.desk.zendesk;

import java.time.Instant;
import java.util.Set;
import spark.desk.sop.OrderNumbers;

/**
 * What the service knows of a Zendesk ticket at one moment, from a webhook or the API. {@code
 * orderNumber} is the order-number custom field's value (null when empty or unknown).
 */
public record Ticket(
    long id,
    Instant createdAt,
    Instant updatedAt,
    String status,
    Set<String> tags,
    String subject,
    String description,
    String requesterEmail,
    String orderNumber) {

  public Ticket {
    if (id <= 0) throw new IllegalArgumentException("ticket id must be positive");
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    subject = subject == null ? "" : subject;
    description = description == null ? "" : description;
    // A value outside the strict set (too long, a dot segment, ...) is "no order number" (issue
    // 14).
    orderNumber = orderNumber == null ? null : OrderNumbers.parse(orderNumber).orElse(null);
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }
}
