package spark.desk.app;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import spark.desk.app.CaseView.CaseList;
import spark.desk.cases.CaseService;
import spark.desk.guard.Bounded;
import spark.desk.sop.Stage;
import spark.desk.web.ApiException;
import spark.desk.web.Bodies;

/** The sidebar app's API and the ops view of cases (contract section 10). */
public final class AppRoutes {
  static final Set<String> ACTIONS =
      Set.of("refusal_requested", "customer_keeps", "customer_returns", "recheck");

  /** The body of {@code POST /api/app/tickets/{id}/actions}. */
  record ActionRequest(String action, Agent agent) {
    record Agent(String id, String name) {}

    /** Who to name in the timeline: the agent's name, else "agent {id}", else nobody. */
    String who() {
      if (agent == null) return null;
      String name = agent.name() == null ? "" : agent.name().trim();
      if (!name.isEmpty()) return name;
      return agent.id() == null ? null : "agent " + agent.id();
    }
  }

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;
  private static final String CURSOR_PREFIX = "t:";

  private final CaseService cases;
  private final CaseViews views;
  private final Bodies bodies;

  public AppRoutes(CaseService cases, CaseViews views, Bodies bodies) {
    this.cases = cases;
    this.views = views;
    this.bodies = bodies;
  }

  public void register(Javalin server) {
    server.get("/api/app/tickets/{ticketId}", ctx -> ctx.json(caseOf(ticketId(ctx), false)));
    server.post("/api/app/tickets/{ticketId}/actions", this::action);
    server.get("/api/cases", this::list);
    server.get("/api/cases/{ticketId}", ctx -> ctx.json(caseOf(ticketId(ctx), true)));
  }

  private void action(Context ctx) {
    long ticketId = ticketId(ctx);
    ActionRequest body = bodies.json(ctx, ActionRequest.class);
    if (body.action() == null || !ACTIONS.contains(body.action()))
      throw ApiException.badRequest(
          "action must be one of " + String.join(", ", ACTIONS.stream().sorted().toList()));
    // Stored in the timeline: capped, so a huge name can never fail the insert (issue 14).
    String who = Bounded.cap(body.who(), Bounded.NAME);
    if (cases.agentAction(ticketId, body.action(), who).isEmpty())
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
    int limit = limit(ctx.queryParam("limit"));
    long after = after(ctx.queryParam("after"));
    CaseViews.Page page = views.page(stage, after, limit);
    ctx.json(new CaseList(page.cases(), page.lastTicket().map(AppRoutes::cursor).orElse(null)));
  }

  /** {@code ?limit=}: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
  static int limit(String raw) {
    if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) return limit;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit must be a number from 1 to " + MAX_LIMIT);
  }

  /**
   * The cursor of the page after the one that ends at this ticket: opaque to clients (they pass
   * back {@code next} as {@code after}), so its form can change without breaking them.
   */
  static String cursor(long lastTicket) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + lastTicket).getBytes(StandardCharsets.US_ASCII));
  }

  /** The ticket id a cursor stands for; 0 (from the start) when there is none. */
  static long after(String cursor) {
    if (cursor == null || cursor.isBlank()) return 0;
    try {
      String decoded =
          new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
      if (decoded.startsWith(CURSOR_PREFIX)) {
        long ticket = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
        if (ticket > 0) return ticket;
      }
    } catch (IllegalArgumentException e) {
      // answered below (NumberFormatException is one)
    }
    throw ApiException.badRequest("after must be the \"next\" of an earlier page");
  }

  private CaseView caseOf(long ticketId, boolean withWrites) {
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
}
