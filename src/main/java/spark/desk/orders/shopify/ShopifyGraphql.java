package spark.desk.orders.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;

/**
 * Shopify's Admin GraphQL API for one shop: {@code POST
 * {SHOPIFY_URL}/admin/api/{version}/graphql.json} with {@code X-Shopify-Access-Token}
 * (shopify.dev/docs/api/admin-graphql, "Authentication"). Owns Shopify's failure translation:
 *
 * <ul>
 *   <li>Throttling (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): a throttled call
 *       is answered HTTP 200 with {@code errors[].extensions.code = "THROTTLED"} and {@code
 *       extensions.cost {requestedQueryCost, throttleStatus {maximumAvailable, currentlyAvailable,
 *       restoreRate}}}; a 429 may carry {@code Retry-After}. Both wait {@code (requestedQueryCost −
 *       currentlyAvailable) / restoreRate} seconds (or {@code Retry-After}) and try again, at most
 *       {@value #THROTTLE_RETRIES} times and {@link #MAX_WAIT} in all; after that the call fails as
 *       retryable, so the case's lookup is retried later and never read as "order not found".
 *   <li>401/403 and {@code ACCESS_DENIED}: a token or scope an operator must fix; retryable in the
 *       sense of {@link UpstreamException}: the work waits for them.
 *   <li>5xx and transport errors: retryable. Other GraphQL errors: not retryable.
 * </ul>
 *
 * Thread-safe; one instance per process shares the process's OkHttp client and its timeouts.
 */
public final class ShopifyGraphql {
  static final String SYSTEM = "Shopify";
  static final int THROTTLE_RETRIES = 4;
  static final Duration MAX_WAIT = Duration.ofSeconds(12);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** How the client waits between throttled attempts; tests record the waits instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final OkHttpClient client;
  private final HttpUrl endpoint;
  private final ShopifyToken token;
  private final Sleeper sleeper;
  private final ObjectMapper json = Json.mapper();

  public ShopifyGraphql(OkHttpClient client, URI shop, String apiVersion, String token) {
    this(client, shop, apiVersion, ShopifyToken.of(token));
  }

  public ShopifyGraphql(OkHttpClient client, URI shop, String apiVersion, ShopifyToken token) {
    this(client, shop, apiVersion, token, d -> Thread.sleep(d.toMillis()));
  }

  /** The shop of the configuration, with its lasting token or its client credentials. */
  public static ShopifyGraphql forConfig(OkHttpClient client, spark.desk.config.ShopifyConfig c) {
    return new ShopifyGraphql(
        client, c.url().orElseThrow(), c.apiVersion(), ShopifyToken.forConfig(client, c));
  }

  ShopifyGraphql(OkHttpClient client, URI shop, String apiVersion, String token, Sleeper sleeper) {
    this(client, shop, apiVersion, ShopifyToken.of(token), sleeper);
  }

  ShopifyGraphql(
      OkHttpClient client, URI shop, String apiVersion, ShopifyToken token, Sleeper sleeper) {
    this.client = client;
    this.endpoint =
        HttpUrl.get(shop.toString())
            .newBuilder()
            .addPathSegments("admin/api/" + apiVersion + "/graphql.json")
            .build();
    this.token = token;
    this.sleeper = sleeper;
  }

  /**
   * Runs one query or mutation and returns its {@code data}; throws {@link UpstreamException} when
   * Shopify did not answer it (after the throttle retries).
   */
  public JsonNode execute(String query, Map<String, Object> variables) {
    Duration waited = Duration.ZERO;
    boolean refreshed = false;
    for (int attempt = 0; ; attempt++) {
      Reply reply;
      try {
        reply = post(query, variables);
      } catch (UpstreamException e) {
        // A grant token Shopify no longer takes is fetched anew, once.
        if (e.status() != 401 || refreshed || !token.refresh()) throw e;
        refreshed = true;
        reply = post(query, variables);
      }
      Duration wait = reply.throttleWait();
      if (wait == null) return reply.data();
      if (attempt >= THROTTLE_RETRIES || waited.plus(wait).compareTo(MAX_WAIT) > 0)
        throw new UpstreamException(
            SYSTEM,
            429,
            true,
            "throttled (query cost "
                + reply.cost()
                + "); gave up after "
                + (attempt + 1)
                + " attempts and "
                + waited.toMillis()
                + " ms of waiting",
            null);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UpstreamException(SYSTEM, 429, true, "interrupted while throttled", e);
      }
      waited = waited.plus(wait);
    }
  }

  /** One answer: its data, or how long to wait when it was throttled. */
  private record Reply(JsonNode data, Duration throttleWait, String cost) {}

  private Reply post(String query, Map<String, Object> variables) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("variables", variables);
    Request request;
    try {
      request =
          new Request.Builder()
              .url(endpoint)
              .header("X-Shopify-Access-Token", token.get())
              .header("Accept", "application/json")
              .post(RequestBody.create(json.writeValueAsBytes(body), JSON))
              .build();
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    try (Response r = client.newCall(request).execute()) {
      String text = r.body() == null ? "" : r.body().string();
      JsonNode node = parse(text);
      if (r.code() == 429) {
        return new Reply(null, waitFor(node, r.header("Retry-After")), cost(node));
      }
      if (!r.isSuccessful()) throw UpstreamException.status(SYSTEM, r.code(), snippet(node, text));
      if (node == null)
        throw new UpstreamException(SYSTEM, r.code(), false, "answered something not JSON", null);
      JsonNode errors = node.path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        for (JsonNode e : errors) {
          String code = e.path("extensions").path("code").asText("");
          if (code.equals("THROTTLED") || e.path("message").asText("").equals("Throttled"))
            return new Reply(null, waitFor(node, null), cost(node));
        }
        String code = errors.get(0).path("extensions").path("code").asText("");
        String message = errors.get(0).path("message").asText("error");
        // ACCESS_DENIED: the app lacks a scope; like a 403, it waits for an operator.
        boolean operator = code.equals("ACCESS_DENIED");
        throw new UpstreamException(
            SYSTEM,
            operator ? 403 : 200,
            operator,
            "answered " + (code.isEmpty() ? "" : code + ": ") + message,
            null);
      }
      // An errors value that is not a list (e.g. "[API] Invalid API key or access token") comes
      // with 401; anything else without data is a reply we cannot use.
      if (!node.path("data").isObject())
        throw new UpstreamException(SYSTEM, r.code(), false, "answered no data", null);
      return new Reply(node.path("data"), null, cost(node));
    } catch (IOException e) {
      throw UpstreamException.transport(SYSTEM, e);
    }
  }

  /**
   * The wait before the next attempt: {@code Retry-After} when given, else (requestedQueryCost −
   * currentlyAvailable) / restoreRate seconds from {@code extensions.cost}, else one second.
   */
  static Duration waitFor(JsonNode body, String retryAfter) {
    if (retryAfter != null) {
      try {
        return Duration.ofMillis((long) (Double.parseDouble(retryAfter.trim()) * 1000));
      } catch (NumberFormatException e) {
        // An HTTP date: fall through to the bucket.
      }
    }
    JsonNode cost = body == null ? null : body.path("extensions").path("cost");
    if (cost == null || cost.isMissingNode()) return Duration.ofSeconds(1);
    JsonNode status = cost.path("throttleStatus");
    double requested = cost.path("requestedQueryCost").asDouble(0);
    double available = status.path("currentlyAvailable").asDouble(0);
    double maximum = status.path("maximumAvailable").asDouble(Double.MAX_VALUE);
    double restore = status.path("restoreRate").asDouble(0);
    if (requested > maximum)
      // A bucket smaller than the query (a tiny development-store bucket) never fills enough.
      throw new UpstreamException(
          SYSTEM,
          429,
          false,
          "the query costs "
              + (long) requested
              + " points but the shop's bucket holds only "
              + (long) maximum,
          null);
    if (restore <= 0) return Duration.ofSeconds(1);
    double seconds = Math.max(0, requested - available) / restore;
    return Duration.ofMillis(Math.max(1, (long) Math.ceil(seconds * 1000)));
  }

  private static String cost(JsonNode body) {
    if (body == null) return "unknown";
    JsonNode cost = body.path("extensions").path("cost");
    return cost.isMissingNode() ? "unknown" : cost.path("requestedQueryCost").asText("unknown");
  }

  private JsonNode parse(String text) {
    if (text.isBlank()) return null;
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static String snippet(JsonNode node, String text) {
    String s = node != null && node.has("errors") ? node.path("errors").toString() : text;
    s = s.replaceAll("\\s+", " ").trim();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
