package spark.desk.sop;

import java.util.Set;

/** The ticket tags of contract section 7. */
public final class Tags {
  private Tags() {}

  public static final String NOT_SHIPPED = "cxl_not_shipped";
  public static final String SHIPPED = "cxl_shipped";
  public static final String DELIVERED_BEFORE_REQUEST = "cxl_delivered_before_request";
  public static final String LOGISTICS_REQUESTED = "cxl_logistics_requested";
  public static final String LOGISTICS_OVERDUE = "cxl_logistics_overdue";
  public static final String LOGISTICS_SUCCESSFUL = "cxl_logistics_successful";
  public static final String LOGISTICS_UNSUCCESSFUL = "cxl_logistics_unsuccessful";
  public static final String RETURN_TO_SENDER = "cxl_return_to_sender";
  public static final String DELIVERED_AFTER_REFUSAL = "cxl_delivered_after_refusal";
  public static final String ORDER_KEPT = "cxl_order_kept";
  public static final String SALES_RETURN = "cxl_sales_return";
  public static final String REFUND_ESCALATED = "cxl_refund_escalated";
  public static final String NEEDS_ORDER_NUMBER = "cxl_needs_order_number";
  public static final String ORDER_NOT_FOUND = "cxl_order_not_found";
  public static final String LOOKUP_FAILED = "cxl_lookup_failed";
  public static final String TRACKING_STALLED = "cxl_tracking_stalled";
  public static final String ALREADY_CANCELLED = "cxl_already_cancelled";

  /** Added by agents (or their macros); the service reacts to them. */
  public static final String REFUSAL_REQUESTED = "cxl_refusal_requested";

  public static final String CUSTOMER_KEEPS = "cxl_customer_keeps";
  public static final String CUSTOMER_RETURNS = "cxl_customer_returns";

  /** Problem tags are removed by the update that resolves them; outcome tags stay as history. */
  public static final Set<String> PROBLEMS =
      Set.of(
          NEEDS_ORDER_NUMBER, ORDER_NOT_FOUND, LOOKUP_FAILED, LOGISTICS_OVERDUE, TRACKING_STALLED);
}
