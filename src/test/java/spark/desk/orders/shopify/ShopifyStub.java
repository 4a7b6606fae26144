package spark.desk.orders.shopify;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import spark.desk.testing.Desk;

/**
 * A WireMock stand-in for one shop's Admin GraphQL endpoint ({@code
 * {base}/admin/api/2026-10/graphql.json}), answering with the fixtures in {@code
 * src/test/resources/shopify/} (each names the shopify.dev page it follows). Operations are told
 * apart by their operation name in the query and by a substring of the variables.
 */
public final class ShopifyStub {
  public static final String TOKEN = "shpat_test_token";
  public static final String PATH = "/shop/admin/api/2026-10/graphql.json";

  private final WireMockServer wire;

  public ShopifyStub(WireMockServer wire) {
    this.wire = wire;
  }

  /**
   * The settings of a service whose orders come from the shop on {@link Desk#WIREMOCK} (and not
   * from {@code ORDERS_URL}), with {@code more}.
   */
  public static Map<String, String> serviceSettings(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put("SHOPIFY_URL", Desk.WIREMOCK + "/shop");
    settings.put("SHOPIFY_ACCESS_TOKEN", TOKEN);
    settings.put("ORDERS_URL", "");
    return settings;
  }

  public String shopUrl() {
    return wire.baseUrl() + "/shop";
  }

  public static String fixture(String name) {
    try (InputStream in = ShopifyStub.class.getResourceAsStream("/shopify/" + name)) {
      if (in == null) throw new IllegalArgumentException("no fixture " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture with {@code ORDER} replaced by the order's number. */
  public static String fixture(String name, String order) {
    return fixture(name).replace("ORDER", order);
  }

  private MappingBuilder call(String operation, String variablesContain) {
    MappingBuilder m =
        post(urlPathEqualTo(PATH))
            .withHeader("X-Shopify-Access-Token", equalTo(TOKEN))
            .withRequestBody(containing(operation));
    if (variablesContain != null)
      m = m.withRequestBody(matchingJsonPath("$.variables", containing(variablesContain)));
    return m;
  }

  public void order(String number, String fixtureName) {
    orderAnswers(number, okJson(fixture(fixtureName)));
  }

  public void orderAnswers(String number, ResponseDefinitionBuilder reply) {
    wire.stubFor(call("CancellationDeskOrder", "name:\\\"" + number + "\\\"").willReturn(reply));
  }

  public static ResponseDefinitionBuilder unauthorizedReply() {
    return aResponse()
        .withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody(fixture("unauthorized.json"));
  }

  /** The order lookup answers THROTTLED {@code times} times, then {@code body}. */
  public void orderThrottledFirst(String number, int times, String body) {
    String scenario = "throttle-" + number;
    for (int i = 0; i < times; i++) {
      wire.stubFor(
          call("CancellationDeskOrder", "name:\\\"" + number + "\\\"")
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i)
              .willSetStateTo("throttled-" + (i + 1))
              .willReturn(okJson(fixture("throttled.json"))));
    }
    wire.stubFor(
        call("CancellationDeskOrder", "name:\\\"" + number + "\\\"")
            .inScenario(scenario)
            .whenScenarioStateIs("throttled-" + times)
            .willReturn(okJson(body)));
  }

  public void everything(ResponseDefinitionBuilder reply) {
    wire.stubFor(post(urlPathEqualTo(PATH)).atPriority(1).willReturn(reply));
  }

  public void unauthorized() {
    everything(unauthorizedReply());
  }

  public void accessScopes(String fixtureBody) {
    wire.stubFor(call("CancellationDeskCheck", null).willReturn(okJson(fixtureBody)));
  }

  public void fulfillmentOrders(String number, String fixtureName) {
    wire.stubFor(
        call("CancellationDeskFulfillmentOrders", "name:\\\"" + number + "\\\"")
            .willReturn(okJson(fixture(fixtureName, number))));
  }

  public void cancellationRequestAnswers(String number, ResponseDefinitionBuilder reply) {
    wire.stubFor(
        call("CancellationDeskCancellationRequest", "FulfillmentOrder/" + number + "1")
            .willReturn(reply));
  }

  public List<LoggedRequest> calls(String operation) {
    return wire.findAll(
        postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(containing(operation)));
  }

  public List<LoggedRequest> cancellationRequests(String number) {
    return wire.findAll(
        postRequestedFor(urlPathEqualTo(PATH))
            .withRequestBody(containing("CancellationDeskCancellationRequest"))
            .withRequestBody(containing("FulfillmentOrder/" + number + "1")));
  }
}
