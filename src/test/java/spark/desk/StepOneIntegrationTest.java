package spark.desk;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.CREATED;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.Desk;
import spark.desk.testing.WorkQueue;

/** Step 1 end to end: a signed webhook in, one Zendesk update out, through the real server. */
class StepOneIntegrationTest {
  Desk desk;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  private JsonNode onlyUpdate(long ticketId) {
    Desk.await(
        "one Zendesk update of ticket " + ticketId,
        () -> desk.zendeskUpdates(ticketId).size() >= 1);
    List<JsonNode> updates = desk.zendeskUpdates(ticketId);
    assertEquals(1, updates.size(), "exactly one update");
    return updates.get(0).path("ticket");
  }

  @Test
  void notShippedOrderGetsStep11TagsNoteAndLogisticsRequest() {
    desk.stubOrder(Desk.order("SP-10001", "processing", null, null));
    desk.stubMacro(360001, "Spark Cancellation (Not Shipped)");
    var reply =
        desk.zendeskWebhook(
            Desk.triggerBody(
                101, CREATED, "cancellation_request web_form", "Cancel please", "SP-10001"),
            "inv-1");
    assertEquals(202, reply.status());
    assertEquals(true, reply.json().path("accepted").asBoolean());

    JsonNode t = onlyUpdate(101);
    assertTrue(tags(t).containsAll(List.of("cxl_not_shipped", "cxl_logistics_requested")));
    assertFalse(t.path("comment").path("public").asBoolean(true), "the note is private");
    String note = t.path("comment").path("body").asText();
    assertTrue(note.startsWith("Step 1.1"), note);
    assertTrue(note.contains("processing"), "evidence: order status");
    assertTrue(note.contains("Spark Cancellation (Not Shipped)"), "names the macro");
    assertTrue(t.path("safe_update").asBoolean());

    var requests =
        desk.get("/api/logistics/requests?status=pending", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests");
    assertEquals(1, requests.size());
    assertEquals(101, requests.get(0).path("ticketId").asLong());
    assertEquals("SP-10001", requests.get(0).path("orderNumber").asText());
    assertFalse(requests.get(0).path("shipped").asBoolean());

    JsonNode view = desk.get("/api/app/tickets/101", Desk.APP_TOKEN).json();
    assertEquals("awaiting_logistics", view.path("stage").asText());
    assertEquals("1.1", view.path("sopStep").asText());
    assertEquals(360001, view.path("suggestedMacro").path("id").asLong());
  }

  @Test
  void shippedOrderGetsStep12WithTrackingEvidence() {
    desk.stubOrder(Desk.order("SP-10002", "shipped", "1Z999", null));
    desk.stubTracker(Desk.tracker("1Z999", "in_transit", "2026-11-25T08:00:00Z", "in_transit"));
    desk.zendeskWebhook(
        Desk.triggerBody(102, CREATED, "cancellation_request", "Cancel", "SP-10002"), "inv-2");
    JsonNode t = onlyUpdate(102);
    assertTrue(tags(t).containsAll(List.of("cxl_shipped", "cxl_logistics_requested")));
    String note = t.path("comment").path("body").asText();
    assertTrue(note.startsWith("Step 1.2"), note);
    assertTrue(note.contains("1Z999") && note.contains("UPS") && note.contains("in_transit"), note);
    assertTrue(note.contains("Spark Cancellation (Shipped)"), note);
    desk.wire.verify(
        getRequestedFor(urlPathEqualTo("/tracking-system/trackers/1Z999"))
            .withQueryParam("carrier", equalTo("UPS"))
            .withHeader("Authorization", equalTo("Bearer tracking-token")));
    desk.wire.verify(
        getRequestedFor(urlPathEqualTo("/orders-system/orders/SP-10002"))
            .withHeader("Authorization", equalTo("Bearer orders-token")));
  }

  @Test
  void orderDeliveredBeforeTheRequestGetsStep13SalesReturn() {
    desk.stubOrder(Desk.order("SP-10003", "delivered", "1Z3", "2026-11-25T12:00:00Z"));
    desk.stubTracker(
        Desk.tracker("1Z3", "delivered", "2026-11-25T12:00:00Z", "in_transit", "delivered"));
    desk.zendeskWebhook(
        Desk.triggerBody(103, CREATED, "cancellation_request", "Cancel", "SP-10003"), "inv-3");
    JsonNode t = onlyUpdate(103);
    assertTrue(tags(t).containsAll(List.of("cxl_delivered_before_request", "cxl_sales_return")));
    assertFalse(tags(t).contains("cxl_logistics_requested"), "nothing to ask logistics");
    assertTrue(t.path("comment").path("body").asText().startsWith("Step 1.3"));
    assertEquals(
        0,
        desk.get("/api/logistics/requests?status=all", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests")
            .size());
  }

  @Test
  void missingOrderNumberIsAskedForThenTheCaseResumesWhenALaterWebhookCarriesIt() {
    desk.zendeskWebhook(
        Desk.triggerBody(104, CREATED, "cancellation_request", "Cancel my order", null), "inv-4a");
    JsonNode first = onlyUpdate(104);
    assertTrue(tags(first).contains("cxl_needs_order_number"));
    assertEquals("needs_order_number", desk.caseOf(104).path("stage").asText());

    desk.stubOrder(Desk.order("SP-10004", "processing", null, null));
    // Zendesk now shows our tag on the ticket, and the agent filled in the field.
    desk.wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathEqualTo("/api/v2/tickets/104.json"))
            .willReturn(
                okJson(
                    "{\"ticket\": {\"id\": 104, \"tags\": [\"cancellation_request\", \"cxl_needs_order_number\"], \"updated_at\": \"2026-11-26T09:20:00Z\"}}")));
    desk.zendeskWebhook(
        Desk.triggerBody(
            104,
            CREATED,
            "cancellation_request cxl_needs_order_number",
            "Cancel my order",
            "SP-10004"),
        "inv-4b");
    Desk.await("second update", () -> desk.zendeskUpdates(104).size() == 2);
    JsonNode second = desk.zendeskUpdates(104).get(1).path("ticket");
    assertTrue(tags(second).contains("cxl_not_shipped"));
    assertFalse(
        tags(second).contains("cxl_needs_order_number"),
        "the problem tag is removed by the update that resolves it");
  }

  @Test
  void unknownOrderGetsOrderNotFound() {
    desk.stubOrderMissing("SP-404");
    desk.zendeskWebhook(
        Desk.triggerBody(105, CREATED, "cancellation_request", "Cancel SP-404", "SP-404"), "inv-5");
    JsonNode t = onlyUpdate(105);
    assertTrue(tags(t).contains("cxl_order_not_found"));
    assertTrue(t.path("comment").path("body").asText().startsWith("Step 1"));
  }

  @Test
  void orderNumberIsFoundInTheSubjectWhenTheFieldIsEmpty() {
    desk.stubOrder(Desk.order("SP-20001", "processing", null, null));
    desk.zendeskWebhook(
        Desk.triggerBody(
            106, CREATED, "cancellation_request", "Please cancel order SP-20001 today", null),
        "inv-6");
    JsonNode t = onlyUpdate(106);
    assertTrue(tags(t).contains("cxl_not_shipped"));
    assertEquals("SP-20001", desk.caseOf(106).path("orderNumber").asText());
  }

  @Test
  void eventStyleWebhookReadsTheOrderFieldFromZendesk() {
    desk.stubOrder(Desk.order("SP-30001", "processing", null, null));
    desk.wire.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                urlPathEqualTo("/api/v2/tickets/35436.json"))
            .willReturn(
                okJson(
                    "{\"ticket\": {\"id\": 35436, \"tags\": [\"cancellation_request\"], \"updated_at\": \"2026-11-26T09:40:18Z\","
                        + " \"custom_fields\": [{\"id\": "
                        + Desk.ORDER_FIELD
                        + ", \"value\": \"SP-30001\"}]}}")));
    String event =
        "{\"type\": \"zen:event-type:ticket.created\", \"id\": \"e1\", \"time\": \"2026-11-26T09:12:40Z\","
            + " \"detail\": {\"id\": \"35436\", \"status\": \"NEW\", \"subject\": \"Cancel\", \"description\": \"no number here\","
            + " \"tags\": [\"cancellation_request\"], \"created_at\": \"2026-11-26T09:12:40Z\", \"updated_at\": \"2026-11-26T09:12:40Z\"}}";
    assertEquals(202, desk.zendeskWebhook(event, "inv-7").status());
    JsonNode t = onlyUpdate(35436);
    assertTrue(tags(t).contains("cxl_not_shipped"));
    assertEquals("SP-30001", desk.caseOf(35436).path("orderNumber").asText());
  }

  @Test
  void ticketWithoutCancellationTagIsIgnored() {
    var reply =
        desk.zendeskWebhook(Desk.triggerBody(107, CREATED, "billing", "Invoice", "SP-1"), "inv-8");
    assertEquals(200, reply.status());
    assertTrue(reply.json().path("ignored").asBoolean());
    assertNull(desk.caseOf(107));
  }

  @Test
  void shadowModeRecordsTheDecisionButWritesNothingToZendesk() throws Exception {
    desk.close();
    desk = Desk.start(Map.of("MODE", "shadow"), Desk.START);
    desk.stubOrder(Desk.order("SP-10001", "processing", null, null));
    desk.zendeskWebhook(
        Desk.triggerBody(108, CREATED, "cancellation_request", "Cancel", "SP-10001"), "inv-9");
    Desk.await(
        "the decision",
        () -> desk.caseOf(108) != null && desk.caseOf(108).path("writes").size() == 1);
    JsonNode write = desk.caseOf(108).path("writes").get(0);
    assertEquals("1.1", write.path("step").asText());
    assertFalse(write.path("applied").asBoolean());
    WorkQueue.awaitEmpty(desk); // a wrongly started write would be sent by now
    desk.wire.verify(0, putRequestedFor(urlMatching("/api/v2/tickets/.*")));
  }
}
