package spark.desk.app;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.assertError;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * The sidebar app's actions (contract section 10) through the real server: each has the effect of
 * the matching tag and answers the case view. One service for the class; every test has its own
 * tickets and none moves the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentActionsTest {
  static final Set<String> VIEW_FIELDS =
      Set.of(
          "ticketId",
          "orderNumber",
          "stage",
          "sopStep",
          "order",
          "tracking",
          "suggestedMacro",
          "refusalRequested",
          "logistics",
          "refundEscalated",
          "nextAction",
          "timeline");

  Desk desk;
  CaseDriver cases;

  @BeforeAll
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/macros.json"))
            .atPriority(5)
            .willReturn(
                okJson(
                    "{\"macros\": [{\"id\": 360002, \"title\": \"Spark Cancellation (Shipped)\"},"
                        + " {\"id\": 360004, \"title\": \"Spark Cancellation (Keep or Return)\"}], \"next_page\": null}")));
    desk.app.macroIds().refresh();
    cases = new CaseDriver(desk);
  }

  @AfterAll
  void stop() {
    desk.close();
  }

  static Set<String> fieldNames(JsonNode n) {
    Set<String> names = new TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static void assertCaseView(JsonNode view, long ticketId) {
    assertEquals(VIEW_FIELDS, fieldNames(view));
    assertEquals(ticketId, view.path("ticketId").asLong());
    assertEquals(CaseDriver.order(ticketId), view.path("orderNumber").asText());
    assertEquals(
        Set.of("status", "trackingNumber", "carrier", "deliveredAt"),
        fieldNames(view.path("order")));
    assertEquals(
        Set.of("requestId", "result", "trackingOutcome", "customerOutcome"),
        fieldNames(view.path("logistics")));
    if (!view.path("tracking").isNull())
      assertEquals(Set.of("status", "updatedAt"), fieldNames(view.path("tracking")));
    if (!view.path("suggestedMacro").isNull())
      assertEquals(Set.of("title", "id"), fieldNames(view.path("suggestedMacro")));
    assertFalse(view.path("timeline").isEmpty());
    for (JsonNode entry : view.path("timeline"))
      assertEquals(Set.of("at", "step", "text"), fieldNames(entry));
    assertFalse(view.path("nextAction").asText().isBlank());
  }

  @Test
  void caseViewHasTheContractShape() {
    cases.openShipped(600, false);
    JsonNode view = cases.view(600);
    assertCaseView(view, 600);
    assertEquals("awaiting_logistics", view.path("stage").asText());
    assertEquals("1.2", view.path("sopStep").asText());
    assertEquals("1Z600", view.path("order").path("trackingNumber").asText());
    assertEquals("in_transit", view.path("tracking").path("status").asText());
    assertEquals(CaseDriver.MACRO_SHIPPED, view.path("suggestedMacro").path("title").asText());
    assertEquals(360002, view.path("suggestedMacro").path("id").asLong());
    assertEquals("pending", view.path("logistics").path("result").asText());
    assertTrue(view.path("logistics").path("requestId").isNumber());
  }

  @Test
  void refusalRequestedActionStartsTheTrackingWatch() {
    cases.openShipped(601, false);
    Desk.Reply reply = cases.agentAction(601, "refusal_requested");
    assertEquals(200, reply.status(), reply.body());

    JsonNode view = reply.json();
    assertCaseView(view, 601);
    assertTrue(view.path("refusalRequested").asBoolean());
    assertEquals("watching_tracking", view.path("stage").asText());
    assertTrue(view.path("suggestedMacro").isNull(), "the Shipped macro is no longer due");
    assertTrue(
        view.path("timeline").toString().contains("Ana Agent"), "the timeline names the agent");
  }

  @Test
  void customerKeepsActionRecordsOrderKept() {
    cases.openShipped(602, true);
    cases.push(602, "delivered", "2026-11-26T09:12:55Z", "in_transit", "delivered");
    cases.update(602, 2);
    assertEquals(360004, cases.view(602).path("suggestedMacro").path("id").asLong());

    Desk.Reply reply = cases.agentAction(602, "customer_keeps");
    assertEquals(200, reply.status(), reply.body());
    assertCaseView(reply.json(), 602);
    assertEquals("order_kept", reply.json().path("stage").asText());
    assertEquals("order_kept", reply.json().path("logistics").path("customerOutcome").asText());

    JsonNode update = cases.update(602, 3);
    assertTrue(tags(update).contains("cxl_order_kept"));
    assertEquals("solved", update.path("status").asText());
    assertTrue(
        note(update).startsWith("Step 5.1") && note(update).contains("Ana Agent"), note(update));
  }

  @Test
  void customerReturnsActionStartsTheSalesReturn() {
    cases.openShipped(603, true);
    cases.push(603, "delivered", "2026-11-26T09:12:55Z", "in_transit", "delivered");
    cases.update(603, 2);

    Desk.Reply reply = cases.agentAction(603, "customer_returns");
    assertEquals(200, reply.status(), reply.body());
    assertCaseView(reply.json(), 603);
    assertEquals("sales_return", reply.json().path("stage").asText());
    assertEquals("sales_return", reply.json().path("logistics").path("customerOutcome").asText());

    JsonNode update = cases.update(603, 3);
    assertTrue(tags(update).contains("cxl_sales_return"));
    assertTrue(note(update).startsWith("Step 5.2"), note(update));
  }

  @Test
  void recheckReadsOrderAndTrackingAgainAndActsOnANewDelivery() {
    cases.openShipped(604, true);
    int orderReads = cases.orderReads(604);
    int trackerReads = cases.trackerReads(604);
    cases.stubParcel(604, "delivered", "2026-11-26T09:12:58Z", "in_transit", "delivered");

    Desk.Reply reply = cases.agentAction(604, "recheck");
    assertEquals(200, reply.status(), reply.body());
    assertEquals(orderReads + 1, cases.orderReads(604), "the order is read again");
    assertEquals(trackerReads + 1, cases.trackerReads(604), "the tracker is read again");
    JsonNode view = reply.json();
    assertCaseView(view, 604);
    assertEquals("awaiting_customer_decision", view.path("stage").asText());
    assertEquals("4.2", view.path("sopStep").asText());
    assertEquals("delivered", view.path("tracking").path("status").asText());
    assertEquals(
        CaseDriver.MACRO_KEEP_OR_RETURN, view.path("suggestedMacro").path("title").asText());

    JsonNode update = cases.update(604, 2);
    assertTrue(tags(update).contains("cxl_delivered_after_refusal"));
  }

  @Test
  void unknownActionIsABadRequestAndChangesNothing() {
    cases.openShipped(605, false);
    String path = "/api/app/tickets/605/actions";
    assertError(
        desk.post(
            path,
            Desk.APP_TOKEN,
            "{\"action\": \"escalate\", \"agent\": {\"id\": 42, \"name\": \"Ana Agent\"}}"),
        400);
    assertError(
        desk.post(path, Desk.APP_TOKEN, "{\"agent\": {\"id\": 42, \"name\": \"Ana Agent\"}}"), 400);
    assertError(desk.post(path, Desk.APP_TOKEN, "refusal_requested"), 400);
    assertError(
        desk.post("/api/app/tickets/abc/actions", Desk.APP_TOKEN, "{\"action\": \"recheck\"}"),
        400);

    JsonNode view = cases.view(605);
    assertFalse(view.path("refusalRequested").asBoolean());
    assertEquals("awaiting_logistics", view.path("stage").asText());
    assertEquals(1, cases.writes(605).size());
  }

  @Test
  void actionOnATicketWithoutACaseIsNotFound() {
    assertError(
        desk.post(
            "/api/app/tickets/69999/actions",
            Desk.APP_TOKEN,
            "{\"action\": \"recheck\", \"agent\": {\"id\": 42, \"name\": \"Ana Agent\"}}"),
        404);
    assertError(desk.get("/api/app/tickets/69999", Desk.APP_TOKEN), 404);
    assertNull(desk.caseOf(69999), "no case is made for it");
  }

  @Test
  void actionWithoutTheAppTokenIsUnauthorized() {
    cases.openShipped(606, false);
    String body =
        "{\"action\": \"refusal_requested\", \"agent\": {\"id\": 42, \"name\": \"Ana Agent\"}}";
    assertError(desk.post("/api/app/tickets/606/actions", "wrong-token", body), 401);
    assertError(desk.post("/api/app/tickets/606/actions", Desk.LOGISTICS_TOKEN, body), 401);
    assertError(desk.post("/api/app/tickets/606/actions", null, body), 401);
    assertError(desk.post("/api/app/tickets/69998/actions", "wrong-token", body), 401);
    assertError(desk.get("/api/app/tickets/606", "wrong-token"), 401);

    assertFalse(cases.view(606).path("refusalRequested").asBoolean(), "nothing changed");
  }
}
