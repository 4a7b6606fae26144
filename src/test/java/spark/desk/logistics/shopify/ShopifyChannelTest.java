package spark.desk.logistics.shopify;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.CREATED;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.desk.orders.shopify.ShopifyStub;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.webhook.Signatures;

/**
 * Step 2 through the 3PL ({@code LOGISTICS_CHANNEL=shopify}, contract 6a) end to end through the
 * real server: the cancellation request is submitted to Shopify once per case, and signed Shopify
 * webhooks are the logistics result (3.1 / 3.2). One service for the class; every test has its own
 * tickets and orders, and only the last one moves the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopifyChannelTest {
  static final String SECRET = "shopify-app-client-secret";

  Desk desk;
  ShopifyStub shop;
  CaseDriver cases;

  @BeforeAll
  void start() {
    desk =
        Desk.start(
            ShopifyStub.serviceSettings(
                Map.of("SHOPIFY_WEBHOOK_SECRET", SECRET, "LOGISTICS_CHANNEL", "shopify")),
            Desk.START);
    shop = new ShopifyStub(desk.wire);
    cases = new CaseDriver(desk);
  }

  @AfterAll
  void stop() {
    desk.close();
  }

  /** An unfulfilled order {@code #number} whose fulfillment order is at a fulfillment service. */
  private void orderAtThirdParty(String number, String fulfillmentOrders) {
    shop.orderAnswers(
        number,
        okJson(
            ShopifyStub.fixture("orders-name-1001-several-hits.json")
                .replace("#1001", "#" + number)));
    shop.fulfillmentOrders(number, fulfillmentOrders);
    shop.cancellationRequestAnswers(
        number, okJson(ShopifyStub.fixture("submit-cancellation-request.json", number)));
  }

  private JsonNode open(long ticketId, String number) {
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(ticketId, CREATED, "cancellation_request", "Cancel", number),
                "open-" + ticketId)
            .status());
    return cases.update(ticketId, 1);
  }

  Desk.Reply webhook(String topic, String webhookId, String body, String signature) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/shopify"))
            .header("Content-Type", "application/json")
            .header("X-Shopify-Topic", topic)
            .header("X-Shopify-Webhook-Id", webhookId)
            .header("X-Shopify-Shop-Domain", "spark-store.myshopify.com")
            .header("X-Shopify-API-Version", "2026-10")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) b.header("X-Shopify-Hmac-Sha256", signature);
    return desk.send(b.build());
  }

  Desk.Reply signedWebhook(String topic, String webhookId, String number, String requestStatus) {
    String body =
        ShopifyStub.fixture("webhook-cancellation-request.json", number)
            .replace("STATUS", requestStatus);
    return webhook(
        topic, webhookId, body, Signatures.sign(SECRET, "", body.getBytes(StandardCharsets.UTF_8)));
  }

  private String timeline(long ticketId) {
    return desk.caseOf(ticketId).path("timeline").toString();
  }

  private int storedWebhooks() {
    return desk.app
        .database()
        .jdbi()
        .withHandle(
            h -> h.createQuery("select count(*) from shopify_webhooks").mapTo(Integer.class).one());
  }

  @Test
  void requestIsSubmittedOnceAndAnAcceptedWebhookEscalatesOnce() {
    orderAtThirdParty("2001", "fulfillment-orders-accepted.json");
    JsonNode first = open(7001, "2001");
    assertTrue(tags(first).contains("cxl_logistics_requested"), first.toString());

    Desk.await("the cancellation request", () -> shop.cancellationRequests("2001").size() == 1);
    var sent = desk.readTree(shop.cancellationRequests("2001").get(0).getBodyAsString());
    assertEquals(
        "gid://shopify/FulfillmentOrder/20011", sent.path("variables").path("id").asText());
    String message = sent.path("variables").path("message").asText();
    assertTrue(message.contains("7001") && message.contains("step 2"), message);
    Desk.await("the submission recorded", () -> timeline(7001).contains("sent through Shopify"));
    desk.runDue();
    desk.runDue();
    assertEquals(1, shop.cancellationRequests("2001").size(), "submitted exactly once");

    Desk.Reply accepted =
        signedWebhook(ShopifyChannel.ACCEPTED_TOPIC, "wh-7001", "2001", "CANCELLATION_ACCEPTED");
    assertEquals(202, accepted.status(), accepted.body());
    JsonNode escalation = cases.update(7001, 2);
    assertTrue(note(escalation).startsWith("Step 3.1"), note(escalation));
    assertTrue(
        tags(escalation)
            .containsAll(java.util.List.of("cxl_logistics_successful", "cxl_refund_escalated")));
    assertEquals(Desk.REFUND_GROUP, escalation.path("group_id").asLong());

    Desk.Reply again =
        signedWebhook(ShopifyChannel.ACCEPTED_TOPIC, "wh-7001", "2001", "CANCELLATION_ACCEPTED");
    assertEquals(200, again.status());
    assertTrue(again.json().path("duplicate").asBoolean());
    desk.runDue();
    assertEquals(2, cases.updateCount(7001), "one escalation");

    JsonNode request = null;
    for (JsonNode r :
        desk.get("/api/logistics/requests?status=all", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests")) if (r.path("ticketId").asLong() == 7001) request = r;
    assertNotNull(request);
    assertEquals("successful", request.path("result").asText());
    assertEquals("shopify", request.path("resultBy").asText(), "shown like a clerk's result");
    assertEquals("Stopped at the warehouse", request.path("note").asText());
  }

  @Test
  void aRejectedWebhookIsUnsuccessful() {
    orderAtThirdParty("2002", "fulfillment-orders-accepted.json");
    open(7002, "2002");
    Desk.await("the cancellation request", () -> shop.cancellationRequests("2002").size() == 1);
    Desk.await("the submission recorded", () -> timeline(7002).contains("sent through Shopify"));
    assertEquals(
        202,
        signedWebhook(ShopifyChannel.REJECTED_TOPIC, "wh-7002", "2002", "CANCELLATION_REJECTED")
            .status());
    JsonNode second = cases.update(7002, 2);
    assertTrue(note(second).startsWith("Step 3.2"), note(second));
    assertTrue(tags(second).contains("cxl_logistics_unsuccessful"));
    assertTrue(note(second).contains("(shopify)"), note(second));
  }

  @Test
  void aBadSignatureIs401AndStoresNothing() {
    int before = storedWebhooks();
    String body = ShopifyStub.fixture("webhook-cancellation-request.json", "2001");
    Desk.Reply forged =
        webhook(
            ShopifyChannel.ACCEPTED_TOPIC,
            "wh-forged",
            body,
            Signatures.sign("not-the-secret", "", body.getBytes(StandardCharsets.UTF_8)));
    CaseDriver.assertError(forged, 401);
    CaseDriver.assertError(webhook(ShopifyChannel.ACCEPTED_TOPIC, "wh-forged", body, null), 401);
    assertEquals(before, storedWebhooks(), "nothing stored");
    // The id was not remembered: the genuine delivery with that id is taken.
    Desk.Reply genuine =
        webhook(
            ShopifyChannel.ACCEPTED_TOPIC,
            "wh-forged",
            body,
            Signatures.sign(SECRET, "", body.getBytes(StandardCharsets.UTF_8)));
    assertEquals(202, genuine.status(), genuine.body());
  }

  @Test
  void otherTopicsAreIgnored() {
    String body = "{\"id\": 1}";
    Desk.Reply r =
        webhook(
            "orders/updated",
            "wh-other",
            body,
            Signatures.sign(SECRET, "", body.getBytes(StandardCharsets.UTF_8)));
    assertEquals(200, r.status());
    assertTrue(r.json().path("ignored").asBoolean());
  }

  @Test
  void anOrderWithNothingAtAFulfillmentServiceStaysWithTheLogisticsPage() {
    orderAtThirdParty("2003", "fulfillment-orders-merchant-managed.json");
    open(7003, "2003");
    Desk.await("the page fallback", () -> timeline(7003).contains("logistics page"));
    assertEquals(0, shop.cancellationRequests("2003").size());
    boolean pending = false;
    for (JsonNode r :
        desk.get("/api/logistics/requests?status=pending", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests")) pending |= r.path("ticketId").asLong() == 7003;
    assertTrue(pending, "the clerk answers it on the page");
  }

  @Test
  void aRetryAfterAnUnknownOutcomeDoesNotSubmitTwice() {
    orderAtThirdParty("2004", "fulfillment-orders-accepted.json");
    // The call reaches Shopify, but its answer is lost.
    shop.cancellationRequestAnswers("2004", aResponse().withStatus(502));
    open(7004, "2004");
    Desk.await("the first attempt", () -> shop.cancellationRequests("2004").size() == 1);
    desk.runDue();
    assertEquals(
        1, shop.cancellationRequests("2004").size(), "a fresh claim is not retried at once");

    shop.fulfillmentOrders("2004", "fulfillment-orders-cancellation-requested.json");
    shop.cancellationRequestAnswers(
        "2004", okJson(ShopifyStub.fixture("submit-cancellation-request.json", "2004")));
    desk.clock.advance(ShopifyChannel.CLAIM_TIMEOUT.plus(Duration.ofSeconds(1)));
    desk.runDue();
    Desk.await("the submission recorded", () -> timeline(7004).contains("sent through Shopify"));
    assertEquals(
        1, shop.cancellationRequests("2004").size(), "Shopify already had it: not sent again");
    assertTrue(timeline(7004).contains("already CANCELLATION_REQUESTED"), timeline(7004));

    assertEquals(
        202,
        signedWebhook(ShopifyChannel.ACCEPTED_TOPIC, "wh-7004", "2004", "CANCELLATION_ACCEPTED")
            .status());
    assertTrue(note(cases.update(7004, 2)).startsWith("Step 3.1"));
  }
}
