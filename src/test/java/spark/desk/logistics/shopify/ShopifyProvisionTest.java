package spark.desk.logistics.shopify;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.config.Config;
import spark.desk.config.ConfigException;
import spark.desk.http.JsonHttp;
import spark.desk.orders.shopify.ShopifyGraphql;
import spark.desk.orders.shopify.ShopifyStub;

/** {@code provision}'s Shopify part and the Shopify variables (contract 2 and 6a). */
class ShopifyProvisionTest {
  static final String URI_ = "https://desk.spark.example/webhooks/shopify";

  WireMockServer wire;
  ShopifyGraphql graphql;
  ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    wire = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    wire.start();
    graphql =
        new ShopifyGraphql(
            JsonHttp.newClient(),
            URI.create(wire.baseUrl() + "/shop"),
            "2026-10",
            ShopifyStub.TOKEN);
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .withRequestBody(containing("CancellationDeskSubscribe"))
            .willReturn(
                okJson(
                    ShopifyStub.fixture("webhook-subscription-create.json").replace("URI", URI_))));
  }

  @AfterEach
  void stop() {
    wire.stop();
  }

  private void existing(String body) {
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .withRequestBody(containing("CancellationDeskWebhooks"))
            .willReturn(okJson(body)));
  }

  private int creates() {
    return wire.findAll(
            postRequestedFor(urlPathEqualTo(ShopifyStub.PATH))
                .withRequestBody(containing("CancellationDeskSubscribe")))
        .size();
  }

  private void run(boolean dryRun) {
    ShopifyProvision.run(graphql, URI_, new PrintStream(out, true, StandardCharsets.UTF_8), dryRun);
  }

  @Test
  void subscribesOnlyTheMissingTopicToOurAddress() {
    existing(ShopifyStub.fixture("webhook-subscriptions.json").replace("URI", URI_));
    run(false);
    assertEquals(1, creates());
    wire.verify(
        postRequestedFor(urlPathEqualTo(ShopifyStub.PATH))
            .withRequestBody(containing("CancellationDeskSubscribe"))
            .withRequestBody(
                matchingJsonPath(
                    "$.variables.topic",
                    equalTo("FULFILLMENT_ORDERS_CANCELLATION_REQUEST_REJECTED")))
            .withRequestBody(matchingJsonPath("$.variables.sub.uri", equalTo(URI_)))
            .withRequestBody(matchingJsonPath("$.variables.sub.format", equalTo("JSON"))));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("FULFILLMENT_ORDERS_CANCELLATION_REQUEST_ACCEPTED: unchanged"), printed);
  }

  @Test
  void aSecondRunWritesNothingAndADryRunNeverWrites() {
    existing(
        ShopifyStub.fixture("webhook-subscriptions.json")
            .replace("URI", URI_)
            .replace("\"ORDERS_CREATE\"", "\"FULFILLMENT_ORDERS_CANCELLATION_REQUEST_REJECTED\"")
            .replace("https://elsewhere.example/hooks", URI_));
    run(false);
    assertEquals(0, creates());

    existing("{\"data\": {\"webhookSubscriptions\": {\"nodes\": []}}}");
    run(true);
    assertEquals(0, creates(), "dry run");
  }

  @Test
  void aUserErrorFailsProvision() {
    existing("{\"data\": {\"webhookSubscriptions\": {\"nodes\": []}}}");
    wire.stubFor(
        post(urlPathEqualTo(ShopifyStub.PATH))
            .withRequestBody(containing("CancellationDeskSubscribe"))
            .atPriority(1)
            .willReturn(
                okJson(
                    "{\"data\": {\"webhookSubscriptionCreate\": {\"webhookSubscription\": null,"
                        + " \"userErrors\": [{\"field\": [\"webhookSubscription\", \"callbackUrl\"],"
                        + " \"message\": \"Address for this topic has already been taken\"}]}}}")));
    var e = assertThrows(spark.desk.shared.UpstreamException.class, () -> run(false));
    assertTrue(e.getMessage().contains("already been taken"), e.getMessage());
  }

  @Test
  void shopifyVariablesAreValidatedAndTheTokenIsNeverShown() {
    Config c =
        Config.fromEnvironment(
            Map.of(
                "SHOPIFY_URL", "https://spark-store.myshopify.com/",
                "SHOPIFY_ACCESS_TOKEN", "shpat_secret",
                "SHOPIFY_WEBHOOK_SECRET", "whsec"));
    assertTrue(c.shopify().ordersFromShopify(), "the default with SHOPIFY_URL set");
    assertEquals("2026-10", c.shopify().apiVersion());
    assertFalse(c.shopify().logisticsThroughShopify());
    assertFalse(c.toString().contains("shpat_secret") || c.toString().contains("whsec"));
    assertEquals("http", Config.fromEnvironment(Map.of()).shopify().ordersProvider());

    ConfigException noUrl =
        assertThrows(
            ConfigException.class,
            () -> Config.fromEnvironment(Map.of("ORDERS_PROVIDER", "shopify")));
    assertEquals("SHOPIFY_URL", noUrl.variable());
    ConfigException noToken =
        assertThrows(
            ConfigException.class,
            () -> Config.fromEnvironment(Map.of("SHOPIFY_URL", "https://s.myshopify.com")));
    assertEquals("SHOPIFY_ACCESS_TOKEN", noToken.variable());
    ConfigException channel =
        assertThrows(
            ConfigException.class,
            () -> Config.fromEnvironment(Map.of("LOGISTICS_CHANNEL", "fax")));
    assertEquals("LOGISTICS_CHANNEL", channel.variable());
  }
}
