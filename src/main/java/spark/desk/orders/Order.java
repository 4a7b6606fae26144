package spark.desk.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * An order as the order system reports it (contract section 5). Unknown fields are ignored. {@code
 * link}: the order's page in the order system's admin, for the note (Shopify, contract 6a), or
 * null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Order(
    String orderNumber,
    String status,
    String trackingNumber,
    String carrier,
    Instant placedAt,
    Instant shippedAt,
    Instant deliveredAt,
    String customerEmail,
    Money total,
    String link) {

  public static final Set<String> STATUSES =
      Set.of("pending", "processing", "shipped", "delivered", "cancelled");

  /** An order without a link to the order system's own page (section 5 has none). */
  public Order(
      String orderNumber,
      String status,
      String trackingNumber,
      String carrier,
      Instant placedAt,
      Instant shippedAt,
      Instant deliveredAt,
      String customerEmail,
      Money total) {
    this(
        orderNumber,
        status,
        trackingNumber,
        carrier,
        placedAt,
        shippedAt,
        deliveredAt,
        customerEmail,
        total,
        null);
  }

  public Order {
    if (orderNumber == null || orderNumber.isBlank())
      throw new IllegalArgumentException("orderNumber is required");
    status = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
    if (trackingNumber != null && trackingNumber.isBlank()) trackingNumber = null;
    if (carrier != null && carrier.isBlank()) carrier = null;
  }

  /** Per the SOP, an order is shipped when it has a tracking number. */
  public boolean shipped() {
    return trackingNumber != null;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Money(String amount, String currency) {
    @Override
    public String toString() {
      return amount + " " + currency;
    }
  }
}
