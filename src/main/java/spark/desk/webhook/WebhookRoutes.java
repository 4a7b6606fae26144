package spark.desk.webhook;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import spark.desk.cases.CaseService;
import spark.desk.config.Config;
import spark.desk.metrics.Metrics;
import spark.desk.shared.Json;
import spark.desk.tracking.Tracker;
import spark.desk.web.ApiException;
import spark.desk.web.Bodies;
import spark.desk.web.StoreUnavailable;

/**
 * Intake: verify the signature on the raw bytes, store, acknowledge; the work happens afterwards.
 */
public final class WebhookRoutes {
  private final Config config;
  private final CaseService cases;
  private final Metrics metrics;
  private final WebhookSecret secret;

  public WebhookRoutes(Config config, CaseService cases, Metrics metrics) {
    this(config, cases, metrics, WebhookSecret.fixed(config.zendeskWebhookSecret()));
  }

  public WebhookRoutes(Config config, CaseService cases, Metrics metrics, WebhookSecret secret) {
    this.config = config;
    this.cases = cases;
    this.metrics = metrics;
    this.secret = secret;
  }

  public void register(Javalin server) {
    server.post("/webhooks/zendesk", this::zendesk);
    server.post("/webhooks/tracking", this::tracking);
  }

  private void zendesk(Context ctx) {
    try {
      byte[] body = Bodies.bytes(ctx);
      Optional<String> used = secret.current();
      try {
        verifyZendesk(ctx, body, used);
      } catch (ApiException refused) {
        if (!Signatures.zendeskHeadersUsable(
            ctx.header("X-Zendesk-Webhook-Signature"),
            ctx.header("X-Zendesk-Webhook-Signature-Timestamp"),
            cases.clock().instant())) throw refused;
        // The secret may have been rotated or stored since (contract 8): one more try with a
        // newer one, if there is one; while Zendesk is being asked for it, 503 and Zendesk
        // retries the delivery (contract 3: the delivery does not wait on Zendesk).
        WebhookSecret.Retry retry = secret.afterRefused(used);
        if (retry.pending()) {
          ctx.header("Retry-After", String.valueOf(StoreUnavailable.RETRY_AFTER_SECONDS));
          throw new ApiException(
              503, "unavailable", "the webhook's signing secret is being read; retry shortly");
        }
        if (retry.newer().isEmpty()) throw refused;
        verifyZendesk(ctx, body, retry.newer());
      }
      ZendeskPayload p = ZendeskPayload.parse(body);
      Optional<String> invocation =
          Optional.ofNullable(ctx.header("X-Zendesk-Webhook-Invocation-Id"))
              .filter(s -> !s.isBlank());
      // The header is not signed and its column holds 200 characters (issue 14).
      if (invocation.isPresent() && invocation.get().length() > 200)
        throw ApiException.badRequest("X-Zendesk-Webhook-Invocation-Id is too long");
      boolean readField = p.readOrderField() && config.orderFieldId().isPresent();
      switch (cases.acceptTicket(invocation, p.ticket(), readField)) {
        case ACCEPTED -> ctx.status(202).json(Map.of("accepted", true));
        case IGNORED -> ctx.status(200).json(Map.of("ignored", true));
        case DUPLICATE -> ctx.status(200).json(Map.of("duplicate", true));
      }
      metrics.count(
          "desk_zendesk_webhooks_total",
          "outcome",
          ctx.statusCode() == 202 ? "accepted" : ctx.statusCode() + "");
    } catch (ApiException e) {
      metrics.count("desk_zendesk_webhooks_total", "outcome", "refused");
      throw e;
    }
  }

  private void verifyZendesk(Context ctx, byte[] body, Optional<String> key) {
    Signatures.verifyZendesk(
        key.orElse(null),
        ctx.header("X-Zendesk-Webhook-Signature"),
        ctx.header("X-Zendesk-Webhook-Signature-Timestamp"),
        body,
        cases.clock().instant());
  }

  private void tracking(Context ctx) {
    byte[] body = Bodies.bytes(ctx);
    Signatures.verifyTracking(
        config.trackingWebhookSecret().orElse(null), ctx.header("X-Tracking-Signature"), body);
    Tracker tracker;
    try {
      tracker = Json.mapper().readValue(body, Tracker.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ApiException(
          400, "malformed", "the body is not a tracker: " + firstLine(e.getMessage()));
    }
    int matched = cases.acceptTracker(tracker).size();
    metrics.count("desk_tracking_pushes_total", "outcome", "accepted");
    ctx.status(202).json(Map.of("accepted", true, "cases", matched));
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
