package spark.desk.zendeskapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import spark.desk.testing.Desk;

/**
 * The real service for the sidebar's browser test: the project's {@link Desk} fixture (the whole
 * App on a random port, WireMock standing in for Zendesk, the order system and tracking), with
 * cases moved along the way the outside world moves them: signed Zendesk webhooks and tracking
 * pushes. Only the Shipped macro exists in Zendesk, so the Keep or Return macro has no id.
 */
final class DeskBackend implements AutoCloseable {

  static final long SHIPPED_MACRO_ID = 360001;
  static final String TOKEN = Desk.APP_TOKEN;

  private final Desk desk = Desk.start(Map.of(), Instant.now().truncatedTo(ChronoUnit.SECONDS));

  DeskBackend() {
    desk.stubMacro(SHIPPED_MACRO_ID, "Spark Cancellation (Shipped)");
  }

  String baseUrl() {
    return desk.baseUrl();
  }

  /** A cancellation request for an order that has shipped and is in transit: SOP step 1.2. */
  void shippedOrderInTransit(long ticketId) {
    Instant now = desk.clock.instant();
    desk.stubOrder(Desk.order(orderNumber(ticketId), "shipped", trackingNumber(ticketId), null));
    desk.stubTracker(
        Desk.tracker(
            trackingNumber(ticketId),
            "in_transit",
            now.minus(Duration.ofHours(2)).toString(),
            "in_transit"));
    ticketWebhook(ticketId, "cancellation_request", "created");
    Desk.await("step 1 for ticket " + ticketId, () -> sopStepIs(ticketId, "1.2"));
  }

  /**
   * Step 1.2 with a tracker that carries the carrier's latest words and its tracking page, as the
   * EasyPost and AfterShip adapters read them.
   */
  void shippedOrderWithCarrierWords(long ticketId, String message, String url) {
    desk.stubOrder(Desk.order(orderNumber(ticketId), "shipped", trackingNumber(ticketId), null));
    com.fasterxml.jackson.databind.node.ObjectNode tracker =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            desk.readTree(
                Desk.tracker(
                    trackingNumber(ticketId),
                    "in_transit",
                    desk.clock.instant().minus(Duration.ofHours(2)).toString(),
                    "in_transit"));
    tracker.put("message", message).put("url", url);
    desk.stubTracker(tracker.toString());
    ticketWebhook(ticketId, "cancellation_request", "created");
    Desk.await("step 1 for ticket " + ticketId, () -> sopStepIs(ticketId, "1.2"));
  }

  /** The Shipped macro adds its tag and Zendesk's trigger reports the ticket again. */
  void customerAskedToRefuse(long ticketId) {
    ticketWebhook(ticketId, "cancellation_request cxl_refusal_requested", "refusal");
    Desk.await(
        "the refusal on ticket " + ticketId,
        () -> desk.caseOf(ticketId).path("refusalRequested").asBoolean());
  }

  /** The carrier pushes a delivery to the customer despite the refusal: SOP step 4.2. */
  void parcelDeliveredToCustomer(long ticketId) {
    String tracker =
        Desk.tracker(
            trackingNumber(ticketId),
            "delivered",
            desk.clock.instant().toString(),
            "in_transit",
            "delivered");
    desk.stubTracker(tracker);
    desk.trackingPush(tracker);
    Desk.await("step 4.2 for ticket " + ticketId, () -> sopStepIs(ticketId, "4.2"));
  }

  /** The case view as the sidebar app's API answers it. */
  JsonNode caseView(long ticketId) {
    Desk.Reply reply = desk.get("/api/app/tickets/" + ticketId, TOKEN);
    if (reply.status() != 200) {
      throw new AssertionError("GET case " + ticketId + ": " + reply.status() + " " + reply.body());
    }
    return reply.json();
  }

  static String trackingNumber(long ticketId) {
    return "1Z999AA10" + ticketId;
  }

  static String orderNumber(long ticketId) {
    return "SP-" + ticketId;
  }

  @Override
  public void close() {
    desk.close();
  }

  private void ticketWebhook(long ticketId, String tags, String what) {
    String createdAt = desk.clock.instant().minus(Duration.ofMinutes(30)).toString();
    Desk.Reply reply =
        desk.zendeskWebhook(
            Desk.triggerBody(
                ticketId,
                createdAt,
                tags,
                "Please cancel " + orderNumber(ticketId),
                orderNumber(ticketId)),
            "sidebar-" + ticketId + "-" + what);
    if (reply.status() != 202) {
      throw new AssertionError(
          "webhook for ticket " + ticketId + ": " + reply.status() + " " + reply.body());
    }
  }

  private boolean sopStepIs(long ticketId, String step) {
    JsonNode c = desk.caseOf(ticketId);
    return c != null && step.equals(c.path("sopStep").asText());
  }
}
