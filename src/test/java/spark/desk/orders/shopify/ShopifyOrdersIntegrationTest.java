package spark.desk.orders.shopify;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.CREATED;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.desk.testing.Desk;

/**
 * Step 1 with orders read from Shopify ({@code ORDERS_PROVIDER=shopify}, contract 6a) through the
 * real server: a signed Zendesk webhook in, one Zendesk update out, the order looked up in a
 * WireMock shop. One service for the class; every test has its own tickets and orders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopifyOrdersIntegrationTest {
  Desk desk;
  ShopifyStub shop;

  @BeforeAll
  void start() {
    desk = Desk.start(ShopifyStub.serviceSettings(Map.of()), Desk.START);
    shop = new ShopifyStub(desk.wire);
  }

  @AfterAll
  void stop() {
    desk.close();
  }

  private JsonNode onlyUpdate(long ticketId, String order) {
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(ticketId, CREATED, "cancellation_request", "Cancel", order),
                "inv-" + ticketId)
            .status());
    Desk.await("an update of ticket " + ticketId, () -> desk.zendeskUpdates(ticketId).size() >= 1);
    List<JsonNode> updates = desk.zendeskUpdates(ticketId);
    assertEquals(1, updates.size(), "exactly one update");
    return updates.get(0).path("ticket");
  }

  @Test
  void unfulfilledOrderFoundByItsExactNameIsNotShippedAndTheNoteLinksIt() {
    shop.order("1001", "orders-name-1001-several-hits.json");
    JsonNode t = onlyUpdate(6101, "#1001");
    assertTrue(
        tags(t).containsAll(List.of("cxl_not_shipped", "cxl_logistics_requested")), t.toString());
    String note = note(t);
    assertTrue(note.startsWith("Step 1.1"), note);
    assertTrue(
        note.contains("Order page: " + shop.shopUrl() + "/admin/orders/5500000001001"), note);
    assertTrue(note.contains("59.90 USD"), "the exact match's total, not #1001-A's: " + note);
    assertFalse(note.contains("1ZWRONG"), "#1001-A's parcel is another order's");
  }

  @Test
  void fulfilledWithTrackingIsShippedAndItsParcelIsTracked() {
    shop.order("1002", "order-1002-shipped.json");
    desk.stubTracker(Desk.tracker("1Z1002", "in_transit", "2026-11-25T08:00:00Z", "in_transit"));
    JsonNode t = onlyUpdate(6102, "1002");
    assertTrue(tags(t).containsAll(List.of("cxl_shipped", "cxl_logistics_requested")));
    String note = note(t);
    assertTrue(note.startsWith("Step 1.2"), note);
    assertTrue(note.contains("1Z1002 (UPS)") && note.contains("in_transit"), note);
    assertTrue(note.contains("/admin/orders/5500000001002"), note);
  }

  @Test
  void deliveredBeforeTheTicketIsASalesReturn() {
    shop.order("1003", "order-1003-delivered.json");
    desk.stubTracker(
        Desk.tracker(
            "9400100000000000001003",
            "delivered",
            "2026-11-25T12:00:00Z",
            "in_transit",
            "delivered"));
    JsonNode t = onlyUpdate(6103, "1003");
    assertTrue(tags(t).containsAll(List.of("cxl_delivered_before_request", "cxl_sales_return")));
    assertTrue(note(t).startsWith("Step 1.3"), note(t));
  }

  @Test
  void cancelledInShopifyIsAlreadyCancelled() {
    shop.order("1004", "order-1004-cancelled.json");
    JsonNode t = onlyUpdate(6104, "1004");
    assertTrue(tags(t).contains("cxl_already_cancelled"), t.toString());
    assertFalse(tags(t).contains("cxl_logistics_requested"));
  }

  @Test
  void severalFulfillmentsFollowTheParcelStillOnItsWay() {
    shop.order("1005", "order-1005-several-fulfillments.json");
    desk.stubTracker(Desk.tracker("JD0002", "in_transit", "2026-11-25T08:00:00Z", "in_transit"));
    JsonNode t = onlyUpdate(6105, "1005");
    assertTrue(tags(t).contains("cxl_shipped"), t.toString());
    assertTrue(note(t).contains("JD0002 (DHL Express)"), note(t));
  }

  @Test
  void throttledTwiceIsStillClassifiedAndNeverOrderNotFound() {
    shop.orderThrottledFirst(
        "1006", 2, ShopifyStub.fixture("order-1002-shipped.json").replace("#1002", "#1006"));
    desk.stubTracker(Desk.tracker("1Z1002", "in_transit", "2026-11-25T08:00:00Z", "in_transit"));
    JsonNode t = onlyUpdate(6106, "1006");
    assertFalse(tags(t).contains("cxl_order_not_found"));
    assertTrue(tags(t).contains("cxl_shipped"), t.toString());
    assertEquals(
        3, shop.calls("name:\\\"1006\\\"").size(), "two throttled answers, then the order");
  }

  @Test
  void aRefusedTokenWaitsForAnOperatorInsteadOfDecidingAnything() {
    shop.orderAnswers("1401", ShopifyStub.unauthorizedReply());
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(6107, CREATED, "cancellation_request", "Cancel", "1401"),
                "inv-6107")
            .status());
    Desk.await(
        "the failed lookup recorded",
        () ->
            desk.caseOf(6107) != null
                && "lookup_failed".equals(desk.caseOf(6107).path("stage").asText()));
    JsonNode c = desk.caseOf(6107);
    assertTrue(c.path("timeline").toString().contains("HTTP 401"), c.toString());
    assertEquals(0, desk.zendeskUpdates(6107).size(), "no cxl_order_not_found, no note yet");
  }
}
