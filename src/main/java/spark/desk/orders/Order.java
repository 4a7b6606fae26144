package spark.desk.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/** An order as the order system reports it (contract section 5). Unknown fields are ignored. */
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
    Money total) {

  public static final Set<String> STATUSES =
      Set.of("pending", "processing", "shipped", "delivered", "cancelled");

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
