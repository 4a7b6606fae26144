package spark.desk.sop;

import java.time.Instant;
import java.util.Locale;

/**
 * What the SOP reads of an order (contract section 5). {@code status} is the order system's word,
 * lower case ("unknown" when missing); it is shown in notes as given. {@code link}: the order's
 * page in the shop's admin, when the order system gives one (Shopify), else null.
 */
public record OrderSnapshot(
    String orderNumber,
    String status,
    String trackingNumber,
    String carrier,
    Instant deliveredAt,
    String customerEmail,
    Money total,
    String link) {

  public OrderSnapshot {
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

  public boolean cancelled() {
    return "cancelled".equals(status);
  }

  /** The order system says delivered (the parcel may still say otherwise: step 1). */
  public boolean deliveredStatus() {
    return "delivered".equals(status);
  }

  public record Money(String amount, String currency) {
    @Override
    public String toString() {
      return amount + " " + currency;
    }
  }
}
