package spark.desk.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where orders are read and how step 2 reaches the logistics team (contract sections 2 and 6a):
 * {@code ORDERS_PROVIDER}, {@code LOGISTICS_CHANNEL} and the {@code SHOPIFY_*} variables. {@link
 * #toString()} never shows the token or a secret. A Dev Dashboard app (every new app since 2026)
 * has no lasting token: with {@code SHOPIFY_CLIENT_ID} and {@code SHOPIFY_CLIENT_SECRET} the
 * service gets its tokens through the client credentials grant instead of {@code
 * SHOPIFY_ACCESS_TOKEN}.
 */
public record ShopifyConfig(
    String ordersProvider,
    String logisticsChannel,
    Optional<URI> url,
    Optional<String> accessToken,
    String apiVersion,
    Optional<String> webhookSecret,
    Optional<String> clientId,
    Optional<String> clientSecret) {

  public static final String DEFAULT_API_VERSION = "2026-10";

  public ShopifyConfig {
    if (!ordersProvider.equals("http") && !ordersProvider.equals("shopify"))
      throw new ConfigException("ORDERS_PROVIDER", "must be http or shopify");
    if (!logisticsChannel.equals("page") && !logisticsChannel.equals("shopify"))
      throw new ConfigException("LOGISTICS_CHANNEL", "must be page or shopify");
    if (!apiVersion.matches("\\d{4}-\\d{2}|unstable"))
      throw new ConfigException("SHOPIFY_API_VERSION", "must look like 2026-10");
    boolean needed = ordersProvider.equals("shopify") || logisticsChannel.equals("shopify");
    if (needed && url.isEmpty())
      throw new ConfigException(
          "SHOPIFY_URL", "is required by ORDERS_PROVIDER=shopify or LOGISTICS_CHANNEL=shopify");
    if (clientId.isPresent() != clientSecret.isPresent())
      throw new ConfigException(
          clientId.isPresent() ? "SHOPIFY_CLIENT_SECRET" : "SHOPIFY_CLIENT_ID",
          "is required with the other: the client credentials grant needs both");
    if (needed && accessToken.isEmpty() && clientId.isEmpty())
      throw new ConfigException(
          "SHOPIFY_ACCESS_TOKEN",
          "(or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET) is required by ORDERS_PROVIDER=shopify"
              + " or LOGISTICS_CHANNEL=shopify");
  }

  /**
   * The secret that signs Shopify webhooks: SHOPIFY_WEBHOOK_SECRET, else the app's client secret,
   * which is what Shopify signs with (shopify.dev/docs/apps/build/webhooks/verify-deliveries).
   */
  public Optional<String> signingSecret() {
    return webhookSecret.or(() -> clientSecret);
  }

  /** Reads the variables; {@code ORDERS_PROVIDER} defaults to shopify when SHOPIFY_URL is set. */
  static ShopifyConfig fromEnvironment(Map<String, String> env) {
    Optional<URI> url = text(env, "SHOPIFY_URL").map(v -> shopUrl(v));
    return new ShopifyConfig(
        text(env, "ORDERS_PROVIDER")
            .map(v -> v.toLowerCase(Locale.ROOT))
            .orElse(url.isPresent() ? "shopify" : "http"),
        text(env, "LOGISTICS_CHANNEL").map(v -> v.toLowerCase(Locale.ROOT)).orElse("page"),
        url,
        text(env, "SHOPIFY_ACCESS_TOKEN"),
        text(env, "SHOPIFY_API_VERSION").orElse(DEFAULT_API_VERSION),
        text(env, "SHOPIFY_WEBHOOK_SECRET"),
        text(env, "SHOPIFY_CLIENT_ID"),
        text(env, "SHOPIFY_CLIENT_SECRET"));
  }

  public boolean ordersFromShopify() {
    return ordersProvider.equals("shopify");
  }

  /** Step 2 is a fulfillment-order cancellation request through Shopify. */
  public boolean logisticsThroughShopify() {
    return logisticsChannel.equals("shopify");
  }

  @Override
  public String toString() {
    return "ordersProvider="
        + ordersProvider
        + ", logisticsChannel="
        + logisticsChannel
        + (url.isPresent() ? ", shopify=" + url.get() + " (" + apiVersion + ")" : "");
  }

  private static Optional<String> text(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static URI shopUrl(String v) {
    try {
      URI uri = URI.create(v.replaceAll("/+$", ""));
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) throw new IllegalArgumentException();
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "SHOPIFY_URL", "must be the shop's admin base, e.g. https://spark-store.myshopify.com");
    }
  }
}
