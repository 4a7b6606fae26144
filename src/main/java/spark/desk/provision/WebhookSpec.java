package spark.desk.provision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The webhook that carries the trigger's body to {@code PUBLIC_URL/webhooks/zendesk}. Zendesk signs
 * every request with the webhook's signing secret, so it needs no authentication of its own.
 */
record WebhookSpec(String endpoint) {
  static final String NAME = "Cancellation Desk";

  /** The one subscription that lets a trigger use the webhook (and no event subscriptions). */
  static final List<String> SUBSCRIPTIONS = List.of("conditional_ticket_events");

  WebhookSpec {
    Objects.requireNonNull(endpoint, "endpoint");
  }

  static WebhookSpec forPublicUrl(String publicUrl) {
    return new WebhookSpec(publicUrl.replaceAll("/+$", "") + "/webhooks/zendesk");
  }

  Webhook create() {
    return new Webhook(null, NAME, "active", endpoint, "POST", "json", SUBSCRIPTIONS);
  }

  /** The fields to patch so the webhook matches; empty when it already does. */
  Map<String, Object> changes(Webhook existing) {
    Map<String, Object> changes = new LinkedHashMap<>();
    if (!endpoint.equals(existing.endpoint())) changes.put("endpoint", endpoint);
    if (!"POST".equalsIgnoreCase(existing.httpMethod())) changes.put("http_method", "POST");
    if (!"json".equalsIgnoreCase(existing.requestFormat())) changes.put("request_format", "json");
    if (!"active".equals(existing.status())) changes.put("status", "active");
    if (!SUBSCRIPTIONS.equals(existing.subscriptions()))
      changes.put("subscriptions", SUBSCRIPTIONS);
    return changes;
  }
}
