package spark.desk.provision;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.check.CheckCommand;
import spark.desk.check.ServiceChecks;
import spark.desk.config.Config;
import spark.desk.orders.shopify.ShopifyStub;

/**
 * Contract 8a: {@code check} on a provisioned, healthy account exits 0 with one {@code ok} line per
 * check; each dependency broken in turn gives exit 1 and that check's {@code FAIL} line.
 */
class CheckTest {
  private static final String EMAIL = "admin@spark.example";
  private static final String TOKEN = "api-token-123";
  private static final String ADMIN_T = "admin-token-0123456789abcdef0123456789";
  private static final String APP_T = "app-token-0123456789abcdef0123456789abc";
  private static final long REFUNDS = 360000777L;
  private static final long ORDER_FIELD = 360000123L;
  private static final List<String> CHECKS =
      List.of(
          "zendesk_credentials",
          "refund_group",
          "sales_return_group",
          "order_field",
          "macros",
          "webhook",
          "triggers",
          "app",
          "webhook_secret",
          "orders",
          "shopify",
          "tracking",
          "public_url");

  private final String database = "jdbc:h2:mem:check-" + UUID.randomUUID();
  private FakeZendesk zendesk;
  private WireMockServer wm;

  /** The order system, the tracking service and the service's own PUBLIC_URL. */
  private WireMockServer others;

  @BeforeEach
  void healthyAccount() {
    zendesk = new FakeZendesk(EMAIL, TOKEN);
    wm = new WireMockServer(options().dynamicPort().extensions(zendesk));
    wm.start();
    wm.stubFor(any(anyUrl()).willReturn(ok()));
    others = new WireMockServer(options().dynamicPort());
    others.start();
    others.stubFor(get(urlPathMatching("/orders/.*")).willReturn(notFound()));
    others.stubFor(get(urlPathMatching("/trackers/.*")).willReturn(notFound()));
    others.stubFor(get(urlPathEqualTo("/health")).willReturn(ok("{\"status\": \"ok\"}")));
    zendesk.groups.put(REFUNDS, "Refunds (Maines)");
    zendesk.ticketFields.put(ORDER_FIELD, "Order number");
    assertEquals(0, ProvisionTest.provision(env(Map.of()), List.of()).exit());
  }

  @AfterEach
  void stop() {
    wm.stop();
    others.stop();
  }

  @Test
  void aHealthyAccountPassesEveryCheck() {
    Run run = check(Map.of());

    assertEquals(0, run.exit(), run.out());
    List<String> lines = run.out().lines().toList();
    assertEquals(CHECKS.size(), lines.size(), run.out());
    for (int i = 0; i < CHECKS.size(); i++) {
      String expected =
          CHECKS.get(i).equals("sales_return_group") || CHECKS.get(i).equals("shopify")
              ? "skip "
              : "ok   ";
      assertTrue(lines.get(i).startsWith(expected + CHECKS.get(i) + ": "), lines.get(i));
    }
    assertTrue(
        run.out().contains("ok   zendesk_credentials: Ada Admin <admin@spark.example>, admin"));
    assertTrue(run.out().contains("ok   refund_group: group 360000777 \"Refunds (Maines)\""));
  }

  @Test
  void wrongApiToken() {
    assertFails(
        check(Map.of("ZENDESK_API_TOKEN", "wrong")),
        "FAIL zendesk_credentials: Zendesk refuses the API token (HTTP 401) (check ZENDESK_EMAIL");
  }

  @Test
  void unknownRefundGroup() {
    assertFails(
        check(Map.of("REFUND_GROUP_ID", "42")),
        "FAIL refund_group: group 42 does not exist (set REFUND_GROUP_ID");
  }

  @Test
  void missingRefundGroup() {
    Map<String, String> env = new HashMap<>(env(Map.of()));
    env.remove("REFUND_GROUP_ID");
    assertFails(run(env), "FAIL refund_group: REFUND_GROUP_ID is not set");
  }

  @Test
  void unknownSalesReturnGroup() {
    assertFails(
        check(Map.of("SALES_RETURN_GROUP_ID", "43")),
        "FAIL sales_return_group: group 43 does not exist");
  }

  @Test
  void unknownOrderField() {
    assertFails(
        check(Map.of("ZENDESK_ORDER_FIELD_ID", "77")),
        "FAIL order_field: ticket field 77 does not exist");
  }

  @Test
  void inactiveMacro() {
    zendesk.macroTitled("Spark Cancellation (Shipped)").put("active", false);
    assertFails(check(Map.of()), "FAIL macros: inactive: Spark Cancellation (Shipped)");
  }

  @Test
  void webhookPointingElsewhere() {
    zendesk
        .webhooks
        .values()
        .iterator()
        .next()
        .put("endpoint", "https://old.example/webhooks/zendesk");
    assertFails(
        check(Map.of()),
        "FAIL webhook: the webhook points at https://old.example/webhooks/zendesk, not "
            + others.baseUrl()
            + "/webhooks/zendesk (run provision)");
  }

  @Test
  void inactiveTrigger() {
    zendesk
        .triggers
        .values()
        .forEach(
            t -> {
              if (t.path("title").asText().equals("Cancellation Desk: tag cancellation requests"))
                t.put("active", false);
            });
    assertFails(
        check(Map.of()),
        "FAIL triggers: \"Cancellation Desk: tag cancellation requests\" is inactive (run provision)");
  }

  @Test
  void disabledApp() {
    zendesk.installations.values().iterator().next().put("enabled", false);
    assertFails(check(Map.of()), "FAIL app: installed but disabled");
  }

  @Test
  void unknownWebhookSecret() {
    // Another database: provision never stored the secret there.
    assertFails(
        check(Map.of("DATABASE_URL", "jdbc:h2:mem:other-" + UUID.randomUUID())),
        "FAIL webhook_secret: not known");
  }

  @Test
  void orderSystemRefusingTheToken() {
    others.stubFor(get(urlPathMatching("/orders/.*")).willReturn(status(401)));
    assertFails(check(Map.of()), "FAIL orders: the order system refuses the credentials");
  }

  @Test
  void trackingServiceDown() {
    others.stubFor(get(urlPathMatching("/trackers/.*")).willReturn(serverError()));
    assertFails(check(Map.of()), "FAIL tracking: the tracking service does not answer");
  }

  /** ORDERS_PROVIDER=shopify with the 3PL channel, against a Shopify stand-in on {@code others}. */
  private Map<String, String> shopifyEnv() {
    Map<String, String> env = new HashMap<>(env(Map.of()));
    env.remove("ORDERS_URL");
    env.remove("ORDERS_TOKEN");
    ShopifyStub shop = new ShopifyStub(others);
    env.put("SHOPIFY_URL", shop.shopUrl());
    env.put("SHOPIFY_ACCESS_TOKEN", ShopifyStub.TOKEN);
    env.put("LOGISTICS_CHANNEL", "shopify");
    shop.order(ServiceChecks.MADE_UP, "orders-none.json");
    return env;
  }

  @Test
  void shopifyTokenWithTheScopesItNeeds() {
    new ShopifyStub(others).accessScopes(ShopifyStub.fixture("access-scopes.json"));
    Run run = run(shopifyEnv());
    assertEquals(0, run.exit(), run.out());
    assertTrue(
        run.out()
            .contains(
                "ok   shopify: shop \"Spark Store\", scopes read_orders,"
                    + " write_third_party_fulfillment_orders\n"),
        run.out());
    assertTrue(
        run.out().contains("ok   orders: the order system answers: a made-up number is not found"),
        run.out());
  }

  @Test
  void shopifyAppWithoutTheFulfillmentScope() {
    new ShopifyStub(others)
        .accessScopes(
            ShopifyStub.fixture("access-scopes.json")
                .replace(", {\"handle\": \"write_third_party_fulfillment_orders\"}", ""));
    Map<String, String> env = shopifyEnv();
    assertFails(
        run(env),
        "FAIL shopify: shop \"Spark Store\": the app lacks the scope(s)"
            + " write_third_party_fulfillment_orders (granted: read_orders) (give the app the"
            + " scope(s) write_third_party_fulfillment_orders (custom app:");
    // The page channel needs read_orders only.
    env.put("LOGISTICS_CHANNEL", "page");
    Run page = run(env);
    assertEquals(0, page.exit(), page.out());
    assertTrue(page.out().contains("ok   shopify: shop \"Spark Store\""), page.out());
  }

  @Test
  void shopifyRefusingTheToken() {
    Map<String, String> env = shopifyEnv();
    new ShopifyStub(others).unauthorized();
    Run run = run(env);
    assertFails(run, "FAIL shopify: the access token is refused (HTTP 401)");
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("FAIL shopify: ")
                        && l.endsWith(
                            "(check SHOPIFY_URL and SHOPIFY_ACCESS_TOKEN (or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET))")),
        run.out());
    assertTrue(
        run.out().contains("FAIL orders: the order system refuses the credentials"), run.out());
  }

  /** TRACKING_PROVIDER=easypost against an EasyPost stand-in on {@code others}. */
  private Map<String, String> easypostEnv() {
    Map<String, String> env = new HashMap<>(env(Map.of()));
    env.remove("TRACKING_URL");
    env.remove("TRACKING_TOKEN");
    env.put("TRACKING_PROVIDER", "easypost");
    env.put("EASYPOST_URL", others.baseUrl());
    env.put("EASYPOST_API_KEY", "EZTK-check-key");
    return env;
  }

  @Test
  void easypostTrackingCheckListsTrackersAndNeverCreatesOne() {
    others.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .withQueryParam("page_size", equalTo("1"))
            .willReturn(okJson(fixture("/easypost/trackers-empty.json"))));
    Run run = run(easypostEnv());
    assertEquals(0, run.exit(), run.out());
    assertTrue(
        run.out()
            .contains("ok   tracking: the tracking service answers: the trackers list answers"),
        run.out());
    others.verify(
        1,
        getRequestedFor(urlPathEqualTo("/v2/trackers")).withQueryParam("page_size", equalTo("1")));
    // Creating a tracker is billed by EasyPost: check must never do it.
    others.verify(0, postRequestedFor(urlPathMatching("/v2/trackers.*")));
  }

  @Test
  void easypostRefusingTheApiKey() {
    others.stubFor(
        get(urlPathEqualTo("/v2/trackers"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(fixture("/easypost/error-unauthorized.json"))));
    assertFails(run(easypostEnv()), "FAIL tracking: the tracking service refuses the credentials");
    Run run = run(easypostEnv());
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("FAIL tracking: ")
                        && l.endsWith("(check EASYPOST_URL and EASYPOST_API_KEY)")),
        run.out());
    others.verify(0, postRequestedFor(urlPathMatching("/v2/trackers.*")));
  }

  private static String fixture(String path) {
    try (java.io.InputStream in = CheckTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void publicUrlNotReachingTheService() {
    others.stubFor(get(urlPathEqualTo("/health")).willReturn(status(503)));
    assertFails(
        check(Map.of()), "FAIL public_url: " + others.baseUrl() + "/health answers HTTP 503");
  }

  @Test
  void unconfiguredSystemsAreSkipped() {
    Map<String, String> env = new HashMap<>(env(Map.of()));
    env.remove("ORDERS_URL");
    env.remove("TRACKING_URL");
    Run run = run(env);
    assertEquals(0, run.exit(), run.out());
    assertTrue(run.out().contains("skip orders: ORDERS_URL is not set"), run.out());
    assertTrue(run.out().contains("skip tracking: TRACKING_URL is not set"), run.out());
  }

  @Test
  void statusAnswersTheChecksToTheAdminAndTheSidebarAndNobodyElse() throws Exception {
    Map<String, String> env = new HashMap<>(env(Map.of("PORT", "0")));
    env.put("ADMIN_TOKEN", ADMIN_T);
    env.put("APP_TOKEN", APP_T);
    env.put("REFUND_GROUP_ID", "42");
    Config config = Config.fromEnvironment(env);
    spark.desk.App app =
        spark.desk.App.create(
                config,
                db ->
                    spark.desk.App.Ports.production(
                        config, spark.desk.http.JsonHttp.newClient(), db),
                java.time.Clock.systemUTC())
            .start();
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, java.net.http.HttpResponse<String>> get =
          token -> {
            var b =
                java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + app.port() + "/api/status"));
            if (token != null) b.header("Authorization", "Bearer " + token);
            try {
              return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      assertEquals(401, get.apply(null).statusCode());
      assertEquals(401, get.apply("wrong").statusCode());
      var answer = get.apply(APP_T);
      assertEquals(200, answer.statusCode(), answer.body());
      var checks =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("checks");
      assertEquals(CHECKS.size(), checks.size(), answer.body());
      var refund = checks.get(1);
      assertEquals("refund_group", refund.path("name").asText());
      assertEquals(false, refund.path("ok").asBoolean());
      assertTrue(
          refund.path("detail").asText().startsWith("group 42 does not exist"), answer.body());
      assertEquals(200, get.apply(ADMIN_T).statusCode());
      assertTrue(!answer.body().contains(TOKEN) && !answer.body().contains(APP_T));
    } finally {
      app.stop();
    }
  }

  private static void assertFails(Run run, String line) {
    assertEquals(1, run.exit(), run.out());
    assertTrue(
        run.out().lines().anyMatch(l -> l.startsWith(line)),
        "expected " + line + " in\n" + run.out());
  }

  private Run check(Map<String, String> extra) {
    return run(env(extra));
  }

  private static Run run(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        CheckCommand.run(
            Config.fromEnvironment(env), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  private record Run(int exit, String out) {}

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("ZENDESK_URL", wm.baseUrl());
    env.put("ZENDESK_EMAIL", EMAIL);
    env.put("ZENDESK_API_TOKEN", TOKEN);
    env.put("PUBLIC_URL", others.baseUrl());
    env.put("DATABASE_URL", database);
    env.put("ZENDESK_ORDER_FIELD_ID", String.valueOf(ORDER_FIELD));
    env.put("REFUND_GROUP_ID", String.valueOf(REFUNDS));
    env.put("ORDERS_URL", others.baseUrl());
    env.put("ORDERS_TOKEN", "orders-token");
    env.put("TRACKING_URL", others.baseUrl());
    env.put("TRACKING_TOKEN", "tracking-token");
    env.putAll(extra);
    return env;
  }
}
