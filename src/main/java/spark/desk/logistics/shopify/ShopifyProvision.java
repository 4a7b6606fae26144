package spark.desk.logistics.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spark.desk.config.Config;
import spark.desk.http.JsonHttp;
import spark.desk.orders.shopify.ShopifyGraphql;

/**
 * {@code provision}'s Shopify part (contract 6a): with {@code LOGISTICS_CHANNEL=shopify},
 * subscribes the two cancellation-request topics to {@code PUBLIC_URL/webhooks/shopify}.
 * Idempotent: lists the app's subscriptions first and creates only what is missing; a dry run
 * writes nothing.
 *
 * <p>shopify.dev/docs/api/admin-graphql/latest/mutations/webhookSubscriptionCreate with {@code
 * WebhookSubscriptionInput.uri}: since API 2025-10 the input's {@code callbackUrl} is deprecated in
 * favour of {@code uri} (…/input-objects/WebhookSubscriptionInput), so {@code uri} is used.
 */
public final class ShopifyProvision {
  static final List<String> TOPICS =
      List.of(
          "FULFILLMENT_ORDERS_CANCELLATION_REQUEST_ACCEPTED",
          "FULFILLMENT_ORDERS_CANCELLATION_REQUEST_REJECTED");

  static final String LIST =
      """
      query CancellationDeskWebhooks($topics: [WebhookSubscriptionTopic!]) {
        webhookSubscriptions(first: 100, topics: $topics) { nodes { id topic uri } }
      }""";

  static final String CREATE =
      """
      mutation CancellationDeskSubscribe($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
        webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
          webhookSubscription { id topic uri }
          userErrors { field message }
        }
      }""";

  private ShopifyProvision() {}

  /** Runs when the Shopify channel is chosen; does nothing otherwise. */
  public static void run(Config config, PrintStream out, boolean dryRun) {
    if (!config.shopify().logisticsThroughShopify()) return;
    ShopifyGraphql graphql = ShopifyGraphql.forConfig(JsonHttp.newClient(), config.shopify());
    String uri = config.publicUrl().orElseThrow() + "/webhooks/shopify";
    run(graphql, uri, out, dryRun);
  }

  static void run(ShopifyGraphql graphql, String uri, PrintStream out, boolean dryRun) {
    JsonNode data = graphql.execute(LIST, Map.of("topics", TOPICS));
    for (String topic : TOPICS) {
      String name = "Shopify webhook " + topic;
      boolean present = false;
      for (JsonNode n : data.path("webhookSubscriptions").path("nodes"))
        present |= topic.equals(n.path("topic").asText()) && uri.equals(n.path("uri").asText());
      if (present) {
        out.println(name + ": unchanged");
        continue;
      }
      if (!dryRun) {
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("uri", uri);
        sub.put("format", "JSON");
        JsonNode created =
            graphql
                .execute(CREATE, Map.of("topic", topic, "sub", sub))
                .path("webhookSubscriptionCreate");
        JsonNode errors = created.path("userErrors");
        if (errors.isArray() && !errors.isEmpty())
          throw new spark.desk.shared.UpstreamException(
              "Shopify", 200, false, "refused " + name + ": " + errors, null);
      }
      out.println(name + ": created (" + uri + ")");
    }
    out.println(
        "Shopify signs these webhooks with the app's client secret: SHOPIFY_WEBHOOK_SECRET (or"
            + " SHOPIFY_CLIENT_SECRET) must be it.");
  }
}
