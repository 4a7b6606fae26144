package spark.desk.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import spark.desk.config.Config;
import spark.desk.config.ShopifyConfig;
import spark.desk.config.TrackingProvider;
import spark.desk.http.JsonHttp;
import spark.desk.logistics.shopify.ShopifyWiring;
import spark.desk.orders.OrderSystem;
import spark.desk.orders.shopify.ShopifyOrders;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;
import spark.desk.tracking.TrackingService;

/**
 * The checks of contract section 8a, in its order. Zendesk's objects are read as its API reference
 * documents them (developer.zendesk.com/api-reference/): users/me, groups/{id}, ticket_fields/{id},
 * macros, webhooks, triggers, apps/installations. Names of objects are those {@code provision}
 * creates.
 */
public final class ServiceChecks {
  static final String WEBHOOK = "Cancellation Desk";
  static final List<String> TRIGGERS =
      List.of(
          "Cancellation Desk: tag cancellation requests",
          "Cancellation Desk: cancellation tickets");
  static final String APP = "Cancellation Desk";

  /** The order and tracking number the connection checks look up: no shop has it. */
  public static final String MADE_UP = "CXLCHECK-000000000";

  private ServiceChecks() {}

  /**
   * @param webhookSecret whether the service knows the webhook's secret, and where from
   */
  public static Checks forService(
      Config config,
      OkHttpClient http,
      OrderSystem orders,
      TrackingService tracking,
      Supplier<Optional<String>> webhookSecret) {
    List<Check> checks = new ArrayList<>();
    Optional<JsonHttp> zendesk =
        config
            .zendeskUrl()
            .filter(u -> config.zendeskEmail().isPresent() && config.zendeskApiToken().isPresent())
            .map(
                u ->
                    new JsonHttp(
                        http,
                        "Zendesk",
                        u,
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    (config.zendeskEmail().get()
                                            + "/token:"
                                            + config.zendeskApiToken().get())
                                        .getBytes(StandardCharsets.UTF_8)),
                        Json.mapper()));
    ZendeskReads z = new ZendeskReads(zendesk);
    checks.add(Check.of("zendesk_credentials", z::credentials));
    checks.add(
        Check.of(
            "refund_group",
            () -> z.group(config.refundGroupId(), "REFUND_GROUP_ID", "the refunds team", true)));
    checks.add(
        Check.of(
            "sales_return_group",
            () ->
                z.group(
                    config.salesReturnGroupId(),
                    "SALES_RETURN_GROUP_ID",
                    "the sales-return team",
                    false)));
    checks.add(Check.of("order_field", () -> z.orderField(config.orderFieldId())));
    checks.add(Check.of("macros", () -> z.macros(config.macros().all())));
    checks.add(Check.of("webhook", () -> z.webhook(config.publicUrl())));
    checks.add(Check.of("triggers", z::triggers));
    checks.add(Check.of("app", z::app));
    checks.add(
        Check.of(
            "webhook_secret",
            () ->
                webhookSecret.get().isPresent()
                    ? Check.Outcome.ok("known to the service")
                    : Check.Outcome.fail(
                        "not known: every Zendesk delivery is refused",
                        "run provision, or set ZENDESK_WEBHOOK_SECRET")));
    checks.add(
        Check.of(
            "orders",
            () ->
                !config.shopify().ordersFromShopify() && config.ordersUrl().isEmpty()
                    ? Check.Outcome.skip("ORDERS_URL is not set")
                    : lookup(
                        () -> orders.findOrder(MADE_UP).isEmpty(),
                        "the order system",
                        config.shopify().ordersFromShopify()
                            ? SHOPIFY_CREDENTIALS
                            : "ORDERS_URL and ORDERS_TOKEN")));
    checks.add(Check.of("shopify", () -> shopify(config, http, orders)));
    checks.add(
        Check.of(
            "tracking",
            () ->
                config.trackingProvider().kind() == TrackingProvider.Kind.HTTP
                        && config.trackingUrl().isEmpty()
                    ? Check.Outcome.skip("TRACKING_URL is not set")
                    : probe(tracking, trackingSettings(config.trackingProvider().kind()))));
    checks.add(Check.of("public_url", () -> publicUrl(http, config.publicUrl())));
    return new Checks(checks);
  }

  private static final String SHOPIFY_CREDENTIALS =
      "SHOPIFY_URL and SHOPIFY_ACCESS_TOKEN (or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET)";

  /**
   * Issue 10: whether Shopify takes the app's token and granted the scopes the service needs
   * ({@code read_orders}; with LOGISTICS_CHANNEL=shopify also {@code
   * write_third_party_fulfillment_orders}). Its own line rather than part of {@code orders}: a
   * missing write scope only shows when step 2 is first sent, and the fix (the app's scopes, then
   * reinstalling it) is not the fix of a refused lookup.
   */
  private static Check.Outcome shopify(Config config, OkHttpClient http, OrderSystem orders) {
    ShopifyConfig s = config.shopify();
    if (!s.ordersFromShopify() && !s.logisticsThroughShopify())
      return Check.Outcome.skip("neither ORDERS_PROVIDER nor LOGISTICS_CHANNEL is shopify");
    ShopifyOrders shop = orders instanceof ShopifyOrders o ? o : ShopifyWiring.orders(config, http);
    ShopifyOrders.Access access = shop.checkAccess(s.logisticsThroughShopify());
    if (access.ok()) return Check.Outcome.ok(access.detail());
    if (!access.missingScopes().isEmpty())
      return Check.Outcome.fail(
          access.detail(),
          "give the app the scope(s) "
              + String.join(", ", access.missingScopes())
              + " (custom app: Configuration > Admin API integration; Dev Dashboard app: its"
              + " version's scopes), then install the new version on the shop");
    return Check.Outcome.fail(access.detail(), "check " + SHOPIFY_CREDENTIALS);
  }

  private static String trackingSettings(TrackingProvider.Kind kind) {
    return switch (kind) {
      case HTTP -> "TRACKING_URL and TRACKING_TOKEN";
      case EASYPOST -> "EASYPOST_URL and EASYPOST_API_KEY";
      case AFTERSHIP -> "AFTERSHIP_URL and AFTERSHIP_API_KEY";
    };
  }

  private static Check.Outcome probe(TrackingService tracking, String settings) {
    try {
      return Check.Outcome.ok("the tracking service answers: " + tracking.probe(MADE_UP));
    } catch (UpstreamException e) {
      boolean refused = e.status() == 401 || e.status() == 403;
      return Check.Outcome.fail(
          "the tracking service"
              + (refused ? " refuses the credentials" : " does not answer")
              + ": "
              + e.getMessage(),
          "check " + settings);
    }
  }

  /** A lookup of a made-up number must be a clean "not found" (contract 8a). */
  private static Check.Outcome lookup(Supplier<Boolean> notFound, String system, String settings) {
    try {
      return notFound.get()
          ? Check.Outcome.ok(system + " answers: a made-up number is not found")
          : Check.Outcome.ok(system + " answers");
    } catch (UpstreamException e) {
      boolean refused = e.status() == 401 || e.status() == 403;
      return Check.Outcome.fail(
          system
              + (refused ? " refuses the credentials" : " does not answer")
              + ": "
              + e.getMessage(),
          "check " + settings);
    }
  }

  private static Check.Outcome publicUrl(OkHttpClient http, Optional<URI> publicUrl) {
    if (publicUrl.isEmpty())
      return Check.Outcome.fail(
          "PUBLIC_URL is not set", "set it to the service's address as Zendesk reaches it");
    HttpUrl health = HttpUrl.get(publicUrl.get().toString().replaceAll("/+$", "") + "/health");
    try (Response r = http.newCall(new Request.Builder().url(health).get().build()).execute()) {
      return r.isSuccessful()
          ? Check.Outcome.ok(health + " answers")
          : Check.Outcome.fail(
              health + " answers HTTP " + r.code(),
              "make PUBLIC_URL reach this service over HTTPS");
    } catch (java.io.IOException e) {
      return Check.Outcome.fail(
          health + " is unreachable (" + e.getMessage() + ")",
          "make PUBLIC_URL reach this service over HTTPS");
    }
  }

  /** The Zendesk reads, each a check's outcome; skipped when Zendesk is not configured. */
  private record ZendeskReads(Optional<JsonHttp> http) {
    private static final String NOT_SET = "ZENDESK_URL, ZENDESK_EMAIL or ZENDESK_API_TOKEN not set";

    Check.Outcome credentials() {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      JsonHttp.Reply r =
          http.get().exchange("GET", http.get().url("api/v2/users/me.json").build(), null);
      JsonNode user = r.body() == null ? null : r.body().path("user");
      if (r.status() == 401 || r.status() == 403 || user == null || user.path("id").isNull())
        return Check.Outcome.fail(
            "Zendesk refuses the API token (HTTP " + r.status() + ")",
            "check ZENDESK_EMAIL and ZENDESK_API_TOKEN (Admin Center > Apps and integrations > Zendesk API)");
      if (r.status() / 100 != 2) return failed(r, "reading users/me");
      String role = user.path("role").asText();
      String who = user.path("name").asText() + " <" + user.path("email").asText() + ">, " + role;
      return role.equals("end-user")
          ? Check.Outcome.fail(who, "use an agent's or admin's API token")
          : Check.Outcome.ok(who);
    }

    Check.Outcome group(Optional<Long> id, String variable, String team, boolean required) {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      if (id.isEmpty())
        return required
            ? Check.Outcome.fail(
                variable + " is not set: refunds cannot be escalated",
                "set it to " + team + "'s group id (Admin Center > People > Team > Groups)")
            : Check.Outcome.skip(variable + " is not set");
      JsonHttp.Reply r =
          http.get()
              .exchange("GET", http.get().url("api/v2/groups/" + id.get() + ".json").build(), null);
      if (r.status() == 404)
        return Check.Outcome.fail(
            "group " + id.get() + " does not exist",
            "set "
                + variable
                + " to "
                + team
                + "'s group id (Admin Center > People > Team > Groups)");
      if (r.status() / 100 != 2) return failed(r, "reading group " + id.get());
      return Check.Outcome.ok(
          "group " + id.get() + " \"" + r.body().path("group").path("name").asText() + "\"");
    }

    Check.Outcome orderField(Optional<Long> id) {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      if (id.isEmpty())
        return Check.Outcome.skip(
            "ZENDESK_ORDER_FIELD_ID is not set: order numbers are read from subject and description");
      JsonHttp.Reply r =
          http.get()
              .exchange(
                  "GET",
                  http.get().url("api/v2/ticket_fields/" + id.get() + ".json").build(),
                  null);
      if (r.status() == 404)
        return Check.Outcome.fail(
            "ticket field " + id.get() + " does not exist",
            "set ZENDESK_ORDER_FIELD_ID to the order-number field's id (Admin Center > Objects and rules > Tickets > Fields)");
      if (r.status() / 100 != 2) return failed(r, "reading ticket field " + id.get());
      JsonNode field = r.body().path("ticket_field");
      if (!field.path("active").asBoolean(true))
        return Check.Outcome.fail(
            "ticket field " + id.get() + " is inactive", "activate it in Admin Center");
      return Check.Outcome.ok(
          "ticket field " + id.get() + " \"" + field.path("title").asText() + "\"");
    }

    Check.Outcome macros(List<String> titles) {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      List<JsonNode> all =
          pages(
              http.get().url("api/v2/macros.json").addQueryParameter("per_page", "100").build(),
              "macros");
      List<String> missing = new ArrayList<>();
      List<String> inactive = new ArrayList<>();
      for (String title : titles) {
        Optional<JsonNode> m =
            all.stream().filter(n -> n.path("title").asText().equals(title)).findFirst();
        if (m.isEmpty()) missing.add(title);
        else if (!m.get().path("active").asBoolean(true)) inactive.add(title);
      }
      if (!missing.isEmpty())
        return Check.Outcome.fail("missing: " + String.join(", ", missing), "run provision");
      if (!inactive.isEmpty())
        return Check.Outcome.fail(
            "inactive: " + String.join(", ", inactive),
            "activate them in Admin Center > Workspaces > Agent tools > Macros");
      return Check.Outcome.ok("the " + titles.size() + " macros exist and are active");
    }

    Check.Outcome webhook(Optional<URI> publicUrl) {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      List<JsonNode> hooks =
          pages(
                  http.get()
                      .url("api/v2/webhooks")
                      .addQueryParameter("filter[name_contains]", WEBHOOK)
                      .build(),
                  "webhooks")
              .stream()
              .filter(w -> w.path("name").asText().equals(WEBHOOK))
              .toList();
      if (hooks.isEmpty())
        return Check.Outcome.fail("no webhook named " + WEBHOOK, "run provision");
      JsonNode w =
          hooks.stream()
              .filter(h -> "active".equals(h.path("status").asText()))
              .findFirst()
              .orElse(hooks.get(0));
      String endpoint = w.path("endpoint").asText();
      if (!"active".equals(w.path("status").asText()))
        return Check.Outcome.fail("the webhook is inactive", "run provision");
      String wanted =
          publicUrl.map(u -> u.toString().replaceAll("/+$", "") + "/webhooks/zendesk").orElse(null);
      if (wanted != null && !wanted.equals(endpoint))
        return Check.Outcome.fail(
            "the webhook points at " + endpoint + ", not " + wanted, "run provision");
      return Check.Outcome.ok("active, " + endpoint);
    }

    Check.Outcome triggers() {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      List<JsonNode> all = pages(http.get().url("api/v2/triggers.json").build(), "triggers");
      List<String> problems = new ArrayList<>();
      for (String title : TRIGGERS) {
        Optional<JsonNode> t =
            all.stream().filter(n -> n.path("title").asText().equals(title)).findFirst();
        if (t.isEmpty()) problems.add("\"" + title + "\" is missing");
        else if (!t.get().path("active").asBoolean()) problems.add("\"" + title + "\" is inactive");
      }
      return problems.isEmpty()
          ? Check.Outcome.ok("both exist and are active")
          : Check.Outcome.fail(String.join(", ", problems), "run provision");
    }

    Check.Outcome app() {
      if (http.isEmpty()) return Check.Outcome.skip(NOT_SET);
      JsonHttp.Reply r =
          http.get().exchange("GET", http.get().url("api/v2/apps/installations").build(), null);
      if (r.status() / 100 != 2) return failed(r, "listing app installations");
      for (JsonNode i : r.body().path("installations")) {
        if (!APP.equals(i.path("settings").path("name").asText())) continue;
        return i.path("enabled").asBoolean()
            ? Check.Outcome.ok("installed and enabled")
            : Check.Outcome.fail("installed but disabled", "enable it, or run provision");
      }
      return Check.Outcome.fail("the sidebar app is not installed", "run provision");
    }

    private List<JsonNode> pages(HttpUrl first, String key) {
      List<JsonNode> items = new ArrayList<>();
      HttpUrl url = first;
      for (int page = 0; url != null && page < 50; page++) {
        JsonHttp.Reply r = http.get().exchange("GET", url, null);
        if (r.status() / 100 != 2)
          throw UpstreamException.status("Zendesk", r.status(), "reading " + key);
        r.body().path(key).forEach(items::add);
        String next = r.body().path("next_page").asText("");
        if (next.isBlank() || next.equals("null"))
          next =
              r.body().path("meta").path("has_more").asBoolean()
                  ? r.body().path("links").path("next").asText("")
                  : "";
        HttpUrl parsed = next.isBlank() ? null : HttpUrl.parse(next);
        url =
            parsed != null && parsed.host().equals(first.host()) && parsed.port() == first.port()
                ? parsed
                : null;
      }
      return items;
    }

    private static Check.Outcome failed(JsonHttp.Reply r, String what) {
      return Check.Outcome.fail(
          "Zendesk answered HTTP " + r.status() + " " + what,
          r.status() == 403 ? "use an admin's API token" : "see Zendesk's status page");
    }
  }
}
