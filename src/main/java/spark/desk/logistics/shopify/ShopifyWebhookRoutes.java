package spark.desk.logistics.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import spark.desk.shared.Json;
import spark.desk.web.ApiException;
import spark.desk.web.Bodies;
import spark.desk.webhook.Signatures;

/**
 * {@code POST /webhooks/shopify} (contract 6a), as
 * shopify.dev/docs/apps/build/webhooks/verify-deliveries describes deliveries: {@code
 * X-Shopify-Hmac-Sha256} is the Base64 HMAC-SHA256 of the raw body keyed with the app's secret
 * ({@code SHOPIFY_WEBHOOK_SECRET}), compared in constant time before anything else; {@code
 * X-Shopify-Webhook-Id} identifies a delivery (a repeat is a duplicate); {@code X-Shopify-Topic}
 * names the topic. Replies: 401 bad signature (nothing stored), 202 stored, 200 duplicate or a
 * topic the service does not use, 503 when it cannot be stored now (Shopify retries).
 */
public final class ShopifyWebhookRoutes {
  private final String secret;
  private final ShopifyChannel channel;

  public ShopifyWebhookRoutes(String secret, ShopifyChannel channel) {
    this.secret = secret;
    this.channel = channel;
  }

  public void register(Javalin server) {
    server.post("/webhooks/shopify", this::receive);
  }

  private void receive(Context ctx) {
    byte[] body = Bodies.bytes(ctx);
    verify(secret, ctx.header("X-Shopify-Hmac-Sha256"), body);
    String topic = trimmed(ctx.header("X-Shopify-Topic"));
    if (!ShopifyChannel.ACCEPTED_TOPIC.equals(topic)
        && !ShopifyChannel.REJECTED_TOPIC.equals(topic)) {
      ctx.status(200).json(Map.of("ignored", true));
      return;
    }
    String webhookId = trimmed(ctx.header("X-Shopify-Webhook-Id"));
    if (webhookId == null) throw ApiException.badRequest("missing X-Shopify-Webhook-Id");
    if (webhookId.length() > 200) throw ApiException.badRequest("X-Shopify-Webhook-Id is too long");
    JsonNode payload;
    try {
      payload = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new ApiException(400, "malformed", "the body is not JSON");
    }
    String fulfillmentOrder = fulfillmentOrderId(payload);
    if (fulfillmentOrder == null)
      throw new ApiException(400, "malformed", "the body names no fulfillment_order.id");
    JsonNode m = payload.path("message");
    String message = m.isTextual() && !m.asText().isBlank() ? m.asText().trim() : null;
    ShopifyChannel.Intake intake;
    try {
      intake = channel.accept(webhookId, topic, fulfillmentOrder, message);
    } catch (JdbiException e) {
      ctx.header("Retry-After", "5");
      throw new ApiException(503, "unavailable", "the delivery cannot be stored right now");
    }
    switch (intake) {
      case ACCEPTED -> ctx.status(202).json(Map.of("accepted", true));
      case DUPLICATE -> ctx.status(200).json(Map.of("duplicate", true));
      case IGNORED -> ctx.status(200).json(Map.of("ignored", true));
    }
  }

  /**
   * The fulfillment order's global id. The payload's shape is not in Shopify's reference (vendor
   * notes: unconfirmed); Shopify's webhook payloads carry REST-style objects whose {@code
   * admin_graphql_api_id} is the global id, so that, a gid in {@code id}, or a numeric {@code id}
   * are all read.
   */
  static String fulfillmentOrderId(JsonNode payload) {
    JsonNode fo = payload.path("fulfillment_order");
    String gid = fo.path("admin_graphql_api_id").asText("");
    if (gid.startsWith("gid://")) return gid;
    String id = fo.path("id").asText("");
    if (id.startsWith("gid://shopify/FulfillmentOrder/")) return id;
    if (id.matches("\\d+")) return "gid://shopify/FulfillmentOrder/" + id;
    return null;
  }

  static void verify(String secret, String signature, byte[] body) {
    if (secret == null)
      throw new ApiException(
          401, "unauthorized", "SHOPIFY_WEBHOOK_SECRET is not set, so no delivery can be verified");
    if (signature == null || signature.isBlank())
      throw new ApiException(401, "unauthorized", "missing X-Shopify-Hmac-Sha256");
    byte[] expected = Signatures.sign(secret, "", body).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8)))
      throw new ApiException(401, "unauthorized", "bad webhook signature");
  }

  private static String trimmed(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
