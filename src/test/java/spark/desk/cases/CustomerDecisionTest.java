package spark.desk.cases;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * SOP steps 4.2 and 5 through the real server: a parcel delivered although the customer was asked
 * to refuse it, then the customer's answer as an agent's tag (cxl_customer_keeps,
 * cxl_customer_returns), with CLOSE_WHEN_ORDER_KEPT and SALES_RETURN_GROUP_ID.
 */
class CustomerDecisionTest {
  static final long KEEP_OR_RETURN_ID = 360004;
  static final long SALES_RETURN_GROUP = 360000888L;
  Desk desk;
  CaseDriver cases;

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  void start(Map<String, String> env) {
    desk = Desk.start(env, Desk.START);
    desk.stubMacro(KEEP_OR_RETURN_ID, CaseDriver.MACRO_KEEP_OR_RETURN);
    cases = new CaseDriver(desk);
  }

  /**
   * A shipped order, the customer asked to refuse it, and the parcel delivered all the same (4.2).
   */
  JsonNode deliveredAfterRefusal(long ticketId) {
    cases.openShipped(ticketId, true);
    cases.push(
        ticketId,
        "delivered",
        "2026-11-26T09:12:55Z",
        "in_transit",
        "out_for_delivery",
        "delivered");
    return cases.update(ticketId, 2);
  }

  @Test
  void parcelDeliveredAfterTheRefusalAsksTheCustomerToKeepOrReturn() {
    start(Map.of());
    JsonNode update = deliveredAfterRefusal(501);
    assertTrue(tags(update).contains("cxl_delivered_after_refusal"), tags(update).toString());
    assertTrue(note(update).startsWith("Step 4.2"), note(update));
    assertTrue(note(update).contains(CaseDriver.MACRO_KEEP_OR_RETURN), note(update));
    assertFalse(update.has("group_id") || update.has("status"));

    JsonNode view = cases.view(501);
    assertEquals("awaiting_customer_decision", view.path("stage").asText());
    assertEquals("4.2", view.path("sopStep").asText());
    assertEquals(
        CaseDriver.MACRO_KEEP_OR_RETURN, view.path("suggestedMacro").path("title").asText());
    assertEquals(KEEP_OR_RETURN_ID, view.path("suggestedMacro").path("id").asLong());
    assertEquals("delivered", view.path("logistics").path("trackingOutcome").asText());
    assertFalse(view.path("refundEscalated").asBoolean());
  }

  @Test
  void customerKeepsTagRecordsOrderKeptAndSolvesTheTicket() {
    start(Map.of());
    deliveredAfterRefusal(502);
    cases.ticketUpdatedWithTags(502, "cxl_customer_keeps");

    JsonNode update = cases.update(502, 3);
    assertTrue(tags(update).contains("cxl_order_kept"), tags(update).toString());
    assertEquals("solved", update.path("status").asText());
    assertTrue(note(update).startsWith("Step 5.1"), note(update));
    JsonNode view = cases.view(502);
    assertEquals("order_kept", view.path("stage").asText());
    assertEquals("order_kept", view.path("logistics").path("customerOutcome").asText());
    assertTrue(view.path("suggestedMacro").isNull());
  }

  @Test
  void keptOrderLeavesTheTicketStatusAloneWhenCloseWhenOrderKeptIsFalse() {
    start(Map.of("CLOSE_WHEN_ORDER_KEPT", "false"));
    deliveredAfterRefusal(503);
    cases.ticketUpdatedWithTags(503, "cxl_customer_keeps");

    JsonNode update = cases.update(503, 3);
    assertTrue(tags(update).contains("cxl_order_kept"));
    assertFalse(update.has("status"), "no status change: " + update);
    assertEquals("order_kept", cases.view(503).path("stage").asText());
  }

  @Test
  void customerReturnsTagStartsTheSalesReturnInItsGroup() {
    start(Map.of("SALES_RETURN_GROUP_ID", String.valueOf(SALES_RETURN_GROUP)));
    deliveredAfterRefusal(504);
    cases.ticketUpdatedWithTags(504, "cxl_customer_returns");

    JsonNode update = cases.update(504, 3);
    assertTrue(tags(update).contains("cxl_sales_return"), tags(update).toString());
    assertEquals(SALES_RETURN_GROUP, update.path("group_id").asLong());
    assertFalse(update.has("status"));
    assertTrue(note(update).startsWith("Step 5.2"), note(update));
    JsonNode view = cases.view(504);
    assertEquals("sales_return", view.path("stage").asText());
    assertEquals("sales_return", view.path("logistics").path("customerOutcome").asText());
  }

  @Test
  void customerReturnsWithoutASalesReturnGroupChangesNoGroup() {
    start(Map.of());
    deliveredAfterRefusal(505);
    cases.ticketUpdatedWithTags(505, "cxl_customer_returns");

    JsonNode update = cases.update(505, 3);
    assertTrue(tags(update).contains("cxl_sales_return"));
    assertFalse(update.has("group_id"), "no group without SALES_RETURN_GROUP_ID: " + update);
  }
}
