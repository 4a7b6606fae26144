package spark.desk.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import spark.desk.app.Metrics;
import spark.desk.cases.CaseService;
import spark.desk.config.TrackingProvider;
import spark.desk.shared.Json;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.aftership.AfterShipSignature;
import spark.desk.tracking.aftership.AfterShipTrackings;
import spark.desk.tracking.easypost.EasyPostSignature;
import spark.desk.tracking.easypost.EasyPostTrackers;
import spark.desk.web.ApiException;
import spark.desk.web.Bodies;

/**
 * Pushes from the tracking aggregators (contract section 6b), taken like every webhook: the
 * signature is checked on the raw bytes first (401, nothing stored), then the push is stored in the
 * inbox under its delivery id and answered 202 before any work; a repeated delivery is {@code 200
 * {"duplicate": true}}; an event that is not a tracker update, or a parcel no open case watches, is
 * {@code 200 {"ignored": true}} and not stored.
 */
public final class AggregatorWebhookRoutes {
  private final TrackingProvider provider;
  private final CaseService cases;
  private final Metrics metrics;

  public AggregatorWebhookRoutes(TrackingProvider provider, CaseService cases, Metrics metrics) {
    this.provider = provider;
    this.cases = cases;
    this.metrics = metrics;
  }

  public void register(Javalin server) {
    server.post("/webhooks/easypost", this::easypost);
    server.post("/webhooks/aftership", this::aftership);
  }

  /**
   * An EasyPost Event (docs.easypost.com/docs/events; EasyPost/examples {@code
   * official/guides/webhooks-guide/event/post_json_example.json}): {@code {"id": "evt_...",
   * "object": "Event", "description": "tracker.updated", "result": {Tracker}}}. Every other
   * description (including {@code tracker.created}, whose tracker the create reply already gave) is
   * ignored, as the contract says.
   */
  private void easypost(Context ctx) {
    byte[] body = Bodies.bytes(ctx);
    EasyPostSignature.verify(
        provider.easypostWebhookSecret().orElse(null), ctx.header(EasyPostSignature.HEADER), body);
    JsonNode event = parse(body);
    String id = required(event, "id");
    String description = event.path("description").asText("");
    if (!description.equals("tracker.updated")) {
      reply(ctx, "easypost", CaseService.Intake.IGNORED);
      return;
    }
    JsonNode result = event.path("result");
    if (!result.isObject() || result.path("tracking_code").asText("").isBlank())
      throw ApiException.badRequest("a tracker event needs result.tracking_code");
    reply(ctx, "easypost", accept("easypost:" + id, () -> EasyPostTrackers.toTracker(result)));
  }

  /**
   * An AfterShip webhook (aftership.com/docs/tracking/webhook/webhook-overview): {@code {"event":
   * "tracking_update", "event_id": "...", "msg": {Tracking}}}.
   */
  private void aftership(Context ctx) {
    byte[] body = Bodies.bytes(ctx);
    AfterShipSignature.verify(
        provider.aftershipWebhookSecret().orElse(null),
        ctx.header(AfterShipSignature.HEADER),
        body);
    JsonNode event = parse(body);
    String id = required(event, "event_id");
    if (!event.path("event").asText("").equals("tracking_update")) {
      reply(ctx, "aftership", CaseService.Intake.IGNORED);
      return;
    }
    JsonNode msg = event.path("msg");
    if (!msg.isObject() || msg.path("tracking_number").asText("").isBlank())
      throw ApiException.badRequest("a tracking_update needs msg.tracking_number");
    reply(ctx, "aftership", accept("aftership:" + id, () -> AfterShipTrackings.toTracker(msg)));
  }

  private CaseService.Intake accept(String deliveryId, Supplier<Tracker> read) {
    Tracker tracker;
    try {
      tracker = read.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the tracker cannot be read: " + e.getMessage());
    }
    return cases.acceptTrackerPush(deliveryId, tracker);
  }

  private void reply(Context ctx, String provider, CaseService.Intake intake) {
    switch (intake) {
      case ACCEPTED -> ctx.status(202).json(Map.of("accepted", true));
      case IGNORED -> ctx.status(200).json(Map.of("ignored", true));
      case DUPLICATE -> ctx.status(200).json(Map.of("duplicate", true));
    }
    metrics.count(
        "desk_tracking_pushes_total", "outcome", provider + "_" + intake.name().toLowerCase());
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode n = Json.mapper().readTree(body);
      if (n == null || !n.isObject())
        throw ApiException.badRequest("the body is not a JSON object");
      return n;
    } catch (IOException e) {
      throw ApiException.badRequest("the body is not JSON");
    }
  }

  private static String required(JsonNode n, String field) {
    return Optional.ofNullable(n.get(field))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> ApiException.badRequest("the body has no " + field));
  }
}
