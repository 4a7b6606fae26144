package spark.desk.sop;

import java.util.Locale;

/** Where a case stands (contract section 10). */
public enum Stage {
  NEEDS_ORDER_NUMBER,
  ORDER_NOT_FOUND,
  LOOKUP_FAILED,
  AWAITING_LOGISTICS,
  WATCHING_TRACKING,
  AWAITING_CUSTOMER_DECISION,
  REFUND_ESCALATED,
  ORDER_KEPT,
  SALES_RETURN,
  CLOSED;

  /** Step 1 has not classified the order yet. */
  public boolean unclassified() {
    return this == NEEDS_ORDER_NUMBER || this == ORDER_NOT_FOUND || this == LOOKUP_FAILED;
  }

  /** One of the SOP's ends: nothing more happens on its own. */
  public boolean ended() {
    return this == REFUND_ESCALATED || this == ORDER_KEPT || this == SALES_RETURN || this == CLOSED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Stage fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
