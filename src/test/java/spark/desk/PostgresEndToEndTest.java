package spark.desk;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.CREATED;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import spark.desk.testing.Desk;
import spark.desk.testing.Postgres;
import spark.desk.testing.TestDatabase;

/**
 * The whole service on PostgreSQL (migrations, db-scheduler's queue, every statement of a case's
 * life up to step 3), in a schema of its own. Skipped when no PostgreSQL answers, except on CI with
 * TEST_DATABASE_URL set (see {@link Postgres}).
 */
@ExtendWith(Postgres.Required.class)
class PostgresEndToEndTest {
  static TestDatabase schema;
  static Desk desk;

  @BeforeAll
  static void start() {
    Postgres.assumeAvailable();
    schema = Postgres.freshSchema();
    Map<String, String> env = schema.env();
    desk = Desk.start(env, Desk.START);
  }

  @AfterAll
  static void stop() {
    try {
      if (desk != null) desk.close();
    } finally {
      if (schema != null) schema.close();
    }
  }

  @Test
  void shippedOrderIsAskedOfLogisticsAndAnUnsuccessfulResultGivesStep32() {
    JsonNode request = fileShippedOrder(201, "SP-20001", "1Z201");

    assertEquals(200, markResult(request, "unsuccessful", "Parcel already left").status());
    Desk.await("the step 3.2 update", () -> desk.zendeskUpdates(201).size() == 2);
    JsonNode update = desk.zendeskUpdates(201).get(1).path("ticket");
    assertTrue(
        update.path("comment").path("body").asText().startsWith("Step 3.2"), update.toString());
    assertTrue(tags(update).contains("cxl_logistics_unsuccessful"), update.toString());
    assertEquals("watching_tracking", desk.caseOf(201).path("stage").asText());
  }

  @Test
  void shippedOrderIsAskedOfLogisticsAndASuccessfulResultEscalatesTheRefundInStep31() {
    JsonNode request = fileShippedOrder(202, "SP-20002", "1Z202");

    assertEquals(200, markResult(request, "successful", "Stopped at the depot").status());
    Desk.await("the step 3.1 update", () -> desk.zendeskUpdates(202).size() == 2);
    JsonNode update = desk.zendeskUpdates(202).get(1).path("ticket");
    assertTrue(
        update.path("comment").path("body").asText().startsWith("Step 3.1"), update.toString());
    assertEquals(Desk.REFUND_GROUP, update.path("group_id").asLong(), update.toString());
    assertEquals("refund_escalated", desk.caseOf(202).path("stage").asText());
    JsonNode recorded =
        desk.get("/api/logistics/requests?status=all", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests");
    assertTrue(recorded.toString().contains("Stopped at the depot"), recorded.toString());
  }

  /**
   * Steps 1.2 and 2 through a signed webhook: one Zendesk update, one pending logistics request.
   */
  private JsonNode fileShippedOrder(long ticketId, String orderNumber, String trackingNumber) {
    desk.stubOrder(Desk.order(orderNumber, "shipped", trackingNumber, null));
    desk.stubTracker(
        Desk.tracker(trackingNumber, "in_transit", "2026-11-25T08:00:00Z", "in_transit"));
    var reply =
        desk.zendeskWebhook(
            Desk.triggerBody(ticketId, CREATED, "cancellation_request", "Cancel", orderNumber),
            "inv-" + ticketId);
    assertEquals(202, reply.status(), reply.body());
    assertEquals(
        200,
        desk.zendeskWebhook(
                Desk.triggerBody(ticketId, CREATED, "cancellation_request", "Cancel", orderNumber),
                "inv-" + ticketId)
            .status(),
        "a repeated delivery is recognised");

    Desk.await(
        "the step 1.2 update of ticket " + ticketId,
        () -> desk.zendeskUpdates(ticketId).size() >= 1);
    JsonNode first = desk.zendeskUpdates(ticketId).get(0).path("ticket");
    assertTrue(
        first.path("comment").path("body").asText().startsWith("Step 1.2"), first.toString());
    assertTrue(
        tags(first).containsAll(List.of("cxl_shipped", "cxl_logistics_requested")),
        first.toString());

    JsonNode request = null;
    for (JsonNode r :
        desk.get("/api/logistics/requests?status=pending", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests")) {
      if (r.path("ticketId").asLong() == ticketId) request = r;
    }
    assertNotNull(request, "a logistics request for ticket " + ticketId);
    assertEquals(orderNumber, request.path("orderNumber").asText());
    assertEquals(trackingNumber, request.path("trackingNumber").asText());
    assertTrue(request.path("shipped").asBoolean());
    return request;
  }

  private Desk.Reply markResult(JsonNode request, String result, String note) {
    String body =
        "{\"result\": \"" + result + "\", \"by\": \"Ana Logistics\", \"note\": \"" + note + "\"}";
    return desk.post(
        "/api/logistics/requests/" + request.path("id").asLong() + "/result",
        Desk.LOGISTICS_TOKEN,
        body);
  }
}
