package spark.desk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import spark.desk.ApiException;
import spark.desk.Json;
import spark.desk.cases.CaseService;
import spark.desk.guard.Bounded;
import spark.desk.sop.Stage;

/** The sidebar app's API and the ops view of cases (contract section 10). */
public final class AppRoutes {
  static final Set<String> ACTIONS =
      Set.of("refusal_requested", "customer_keeps", "customer_returns", "recheck");

  private final CaseService cases;
  private final CaseViews views;

  public AppRoutes(CaseService cases, CaseViews views) {
    this.cases = cases;
    this.views = views;
  }

  public void register(Javalin server) {
    server.get("/api/app/tickets/{ticketId}", ctx -> ctx.json(caseOf(ticketId(ctx), false)));
    server.post("/api/app/tickets/{ticketId}/actions", this::action);
    server.get("/api/cases", this::list);
    server.get("/api/cases/{ticketId}", ctx -> ctx.json(caseOf(ticketId(ctx), true)));
  }

  private void action(Context ctx) {
    long ticketId = ticketId(ctx);
    JsonNode body = jsonBody(ctx);
    String action = body.path("action").asText("");
    if (!ACTIONS.contains(action))
      throw ApiException.badRequest(
          "action must be one of " + String.join(", ", ACTIONS.stream().sorted().toList()));
    JsonNode agent = body.path("agent");
    String name = agent.path("name").asText("").trim();
    String who =
        name.isEmpty() ? (agent.has("id") ? "agent " + agent.path("id").asText() : null) : name;
    // Stored in the timeline: capped, so a huge name can never fail the insert (issue 14).
    who = Bounded.cap(who, Bounded.NAME);
    if (cases.agentAction(ticketId, action, who).isEmpty())
      throw ApiException.notFound("ticket " + ticketId + " has no cancellation case");
    ctx.json(caseOf(ticketId, false));
  }

  private void list(Context ctx) {
    Optional<Stage> stage =
        Optional.ofNullable(ctx.queryParam("stage"))
            .filter(s -> !s.isBlank())
            .map(
                s -> {
                  try {
                    return Stage.fromWire(s);
                  } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("unknown stage \"" + s + "\"");
                  }
                });
    ctx.json(Map.of("cases", views.list(stage)));
  }

  private Map<String, Object> caseOf(long ticketId, boolean withWrites) {
    return views
        .view(ticketId, withWrites)
        .orElseThrow(
            () -> ApiException.notFound("ticket " + ticketId + " has no cancellation case"));
  }

  static long ticketId(Context ctx) {
    String raw = ctx.pathParam("ticketId");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("ticketId must be a positive number");
  }

  /** The request body as a JSON object, or 400. */
  public static JsonNode jsonBody(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > spark.desk.App.MAX_BODY)
      throw new ApiException(413, "payload_too_large", "the body is over 256 KiB");
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node == null || !node.isObject())
        throw ApiException.badRequest("the body must be a JSON object");
      return node;
    } catch (IOException e) {
      throw ApiException.badRequest("the body is not JSON");
    }
  }
}
