package spark.desk.orders.shopify;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.http.JsonHttp;
import spark.desk.orders.Order;
import spark.desk.shared.UpstreamException;

/** The Shopify adapter against a WireMock shop answering with shopify.dev's shapes (6a). */
class ShopifyOrdersTest {
  WireMockServer wire;
  ShopifyStub shop;
  List<Duration> waits = new ArrayList<>();
  ShopifyOrders orders;

  @BeforeEach
  void start() {
    wire = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    wire.start();
    shop = new ShopifyStub(wire);
    URI url = URI.create(shop.shopUrl());
    orders =
        new ShopifyOrders(
            new ShopifyGraphql(JsonHttp.newClient(), url, "2026-10", ShopifyStub.TOKEN, waits::add),
            url);
  }

  @AfterEach
  void stop() {
    wire.stop();
  }

  @Test
  void picksTheOrderWhoseNameMatchesExactlyAmongSeveralNameHits() {
    shop.order("1001", "orders-name-1001-several-hits.json");
    Order o = orders.findOrder("1001").orElseThrow();
    assertEquals("1001", o.orderNumber());
    assertEquals("processing", o.status(), "#1001 has no fulfillment; #1001-A is another order");
    assertNull(o.trackingNumber());
    assertEquals("jane@example.com", o.customerEmail());
    assertEquals("59.90 USD", o.total().toString());
    assertEquals(Instant.parse("2026-11-20T10:15:00Z"), o.placedAt());
    assertEquals(shop.shopUrl() + "/admin/orders/5500000001001", o.link());
    assertEquals(
        "1001", orders.findOrder("#1001").orElseThrow().orderNumber(), "a leading # is ok");
    wire.verify(
        postRequestedFor(urlPathEqualTo(ShopifyStub.PATH))
            .withHeader("X-Shopify-Access-Token", equalTo(ShopifyStub.TOKEN))
            .withRequestBody(matchingJsonPath("$.variables.q", equalTo("name:\"1001\""))));
  }

  @Test
  void aTokenMatchWithoutAnExactNameIsNotFound() {
    shop.order("1001-B", "orders-name-1001-several-hits.json");
    assertTrue(orders.findOrder("1001-B").isEmpty());
  }

  @Test
  void fulfilledWithTrackingIsShippedWithItsNumberAndCarrier() {
    shop.order("1002", "order-1002-shipped.json");
    Order o = orders.findOrder("1002").orElseThrow();
    assertEquals("shipped", o.status());
    assertEquals("1Z1002", o.trackingNumber());
    assertEquals("UPS", o.carrier());
    assertEquals(Instant.parse("2026-11-24T07:30:00Z"), o.shippedAt());
    assertNull(o.deliveredAt());
  }

  @Test
  void everyFulfillmentDeliveredIsDeliveredAtTheLatestDeliveredAt() {
    shop.order("1003", "order-1003-delivered.json");
    Order o = orders.findOrder("1003").orElseThrow();
    assertEquals("delivered", o.status());
    assertEquals(Instant.parse("2026-11-25T12:00:00Z"), o.deliveredAt());
    assertEquals("9400100000000000001003", o.trackingNumber());
  }

  @Test
  void cancelledAtMakesTheOrderCancelled() {
    shop.order("1004", "order-1004-cancelled.json");
    assertEquals("cancelled", orders.findOrder("1004").orElseThrow().status());
  }

  @Test
  void withSeveralFulfillmentsTheMostRecentOneNotDeliveredIsTheParcel() {
    shop.order("1005", "order-1005-several-fulfillments.json");
    Order o = orders.findOrder("1005").orElseThrow();
    assertEquals("shipped", o.status(), "one fulfillment is still in transit");
    assertEquals("JD0002", o.trackingNumber(), "the cancelled fulfillment does not count");
    assertEquals("DHL Express", o.carrier());
    assertNull(o.deliveredAt(), "a partial delivery is not the order's delivery");
  }

  @Test
  void throttledTwiceWaitsFromTheBucketThenAnswers() {
    shop.orderThrottledFirst("1002", 2, ShopifyStub.fixture("order-1002-shipped.json"));
    Order o = orders.findOrder("1002").orElseThrow();
    assertEquals("shipped", o.status());
    // (requestedQueryCost 52 − currentlyAvailable 40) / restoreRate 50 = 0.24 s, twice.
    assertEquals(List.of(Duration.ofMillis(240), Duration.ofMillis(240)), waits);
    assertEquals(3, shop.calls("CancellationDeskOrder").size());
  }

  @Test
  void throttledPastTheBoundIsARetryableFailureNeverNotFound() {
    shop.everything(okJson(ShopifyStub.fixture("throttled.json")));
    UpstreamException e = assertThrows(UpstreamException.class, () -> orders.findOrder("1002"));
    assertTrue(e.retryable());
    assertEquals(429, e.status());
    assertEquals(ShopifyGraphql.THROTTLE_RETRIES, waits.size());
  }

  @Test
  void a429WaitsItsRetryAfter() {
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .inScenario("429")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willSetStateTo("ok")
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2.0")));
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .inScenario("429")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(ShopifyStub.fixture("order-1002-shipped.json"))));
    assertEquals("1Z1002", orders.findOrder("1002").orElseThrow().trackingNumber());
    assertEquals(List.of(Duration.ofSeconds(2)), waits);
  }

  @Test
  void aRefusedTokenIsALastingFailureThatWaitsForAnOperator() {
    shop.unauthorized();
    UpstreamException e = assertThrows(UpstreamException.class, () -> orders.findOrder("1001"));
    assertEquals(401, e.status());
    assertTrue(e.retryable(), "kept and retried until an operator fixes the token");
    assertTrue(e.getMessage().contains("Invalid API key"), e.getMessage());
    assertTrue(waits.isEmpty(), "a refusal is not throttling");
  }

  @Test
  void checkAccessReportsTheShopAndMissingScopes() {
    shop.accessScopes(ShopifyStub.fixture("access-scopes.json"));
    ShopifyOrders.Access ok = orders.checkAccess(true);
    assertTrue(ok.ok(), ok.detail());
    assertTrue(ok.detail().contains("Spark Store"));

    shop.accessScopes(
        ShopifyStub.fixture("access-scopes.json")
            .replace(", {\"handle\": \"write_third_party_fulfillment_orders\"}", ""));
    ShopifyOrders.Access missing = orders.checkAccess(true);
    assertFalse(missing.ok());
    assertTrue(missing.detail().contains("write_third_party_fulfillment_orders"), missing.detail());
    assertTrue(orders.checkAccess(false).ok(), "the page channel needs read_orders only");

    shop.unauthorized();
    ShopifyOrders.Access refused = orders.checkAccess(false);
    assertFalse(refused.ok());
    assertTrue(refused.detail().contains("SHOPIFY_ACCESS_TOKEN"), refused.detail());
  }

  @Test
  void aDevDashboardAppGetsItsTokenByTheClientCredentialsGrantAndRenewsARefusedOne() {
    String tokenPath = "/shop/admin/oauth/access_token";
    wire.stubFor(
        post(urlPathEqualTo(tokenPath))
            .inScenario("grant")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willSetStateTo("second")
            .withRequestBody(containing("grant_type=client_credentials"))
            .withRequestBody(containing("client_id=client-1"))
            .withRequestBody(containing("client_secret=secret-1"))
            .willReturn(
                okJson(
                    ShopifyStub.fixture("client-credentials-token.json")
                        .replace("TOKEN", "shpat_one"))));
    wire.stubFor(
        post(urlPathEqualTo(tokenPath))
            .inScenario("grant")
            .whenScenarioStateIs("second")
            .willReturn(
                okJson(
                    ShopifyStub.fixture("client-credentials-token.json")
                        .replace("TOKEN", "shpat_two"))));
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .withHeader("X-Shopify-Access-Token", equalTo("shpat_one"))
            .willReturn(ShopifyStub.unauthorizedReply()));
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .withHeader("X-Shopify-Access-Token", equalTo("shpat_two"))
            .willReturn(okJson(ShopifyStub.fixture("order-1002-shipped.json"))));
    var config =
        spark.desk.config.Config.fromEnvironment(
                java.util.Map.of(
                    "SHOPIFY_URL", shop.shopUrl(),
                    "SHOPIFY_CLIENT_ID", "client-1",
                    "SHOPIFY_CLIENT_SECRET", "secret-1"))
            .shopify();
    assertEquals(
        "secret-1", config.signingSecret().orElseThrow(), "the client secret signs webhooks");
    ShopifyOrders cc =
        new ShopifyOrders(
            ShopifyGraphql.forConfig(JsonHttp.newClient(), config), URI.create(shop.shopUrl()));
    assertEquals("1Z1002", cc.findOrder("1002").orElseThrow().trackingNumber());
    assertEquals("1Z1002", cc.findOrder("1002").orElseThrow().trackingNumber());
    assertEquals(
        2, wire.findAll(postRequestedFor(urlPathEqualTo(tokenPath))).size(), "kept until refused");
  }
}
