package spark.desk.logistics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import spark.desk.cases.CaseService;
import spark.desk.store.LogisticsRequest;
import spark.desk.store.LogisticsStore;
import spark.desk.web.ApiException;
import spark.desk.web.Bodies;
import spark.desk.web.Csv;
import spark.desk.web.Pages;

/**
 * The logistics team's API and page (contract section 11): it replaces the form and its responses
 * sheet.
 */
public final class LogisticsRoutes {
  /** The page's files; desk.js and logistics.css are the ops page's too. */
  private static final Set<String> ASSETS = Set.of("desk.js", "logistics.js", "logistics.css");

  private final Jdbi jdbi;
  private final LogisticsStore store;
  private final CaseService cases;
  private final Bodies bodies;

  /** A logistics request as the API answers it (contract section 11). */
  record RequestView(
      long id,
      long ticketId,
      String orderNumber,
      String trackingNumber,
      String carrier,
      boolean shipped,
      Instant submittedAt,
      String result,
      Instant resultAt,
      String resultBy,
      String note,
      String trackingOutcome,
      String customerOutcome) {}

  record RequestList(List<RequestView> requests) {}

  /** The body of {@code POST /api/logistics/requests/{id}/result}. */
  record ResultRequest(String result, String by, String note) {}

  public LogisticsRoutes(Jdbi jdbi, LogisticsStore store, CaseService cases, Bodies bodies) {
    this.jdbi = jdbi;
    this.store = store;
    this.cases = cases;
    this.bodies = bodies;
  }

  public void register(Javalin server) {
    server.get("/api/logistics/requests", this::list);
    server.post("/api/logistics/requests/{id}/result", this::result);
    server.get("/api/logistics/responses.csv", this::csv);
    Pages.register(server, "logistics", ASSETS);
  }

  private void list(Context ctx) {
    String status = ctx.queryParamAsClass("status", String.class).getOrDefault("pending");
    if (!status.equals("pending") && !status.equals("all"))
      throw ApiException.badRequest("status must be pending or all");
    ctx.json(
        new RequestList(
            jdbi.withHandle(h -> store.list(h, status.equals("pending"))).stream()
                .map(LogisticsRoutes::json)
                .toList()));
  }

  private void result(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the request id must be a number");
    }
    ResultRequest body = bodies.json(ctx, ResultRequest.class);
    String result = body.result() == null ? "" : body.result();
    if (!result.equals("successful") && !result.equals("unsuccessful"))
      throw ApiException.badRequest("result must be successful or unsuccessful");
    String by = body.by() == null ? "" : body.by().trim();
    if (by.isEmpty()) throw ApiException.badRequest("by (who marks the request) is required");
    if (by.length() > 200) throw ApiException.badRequest("by is too long");
    String note = body.note() == null ? null : body.note().trim();
    if (note != null && note.length() > 4000)
      throw ApiException.badRequest("note is too long (4000 characters at most)");
    if (note != null && note.isEmpty()) note = null;
    switch (cases.recordLogisticsResult(id, result.equals("successful"), by, note)) {
      case UNKNOWN -> throw ApiException.notFound("no logistics request " + id);
      case CONFLICT -> {
        LogisticsRequest r = jdbi.withHandle(h -> store.find(h, id)).orElseThrow();
        throw ApiException.conflict(
            "request " + id + " is already marked " + r.result() + " by " + r.resultBy());
      }
      case RECORDED, SAME_AGAIN ->
          ctx.json(json(jdbi.withHandle(h -> store.find(h, id)).orElseThrow()));
    }
  }

  private void csv(Context ctx) {
    StringBuilder s =
        new StringBuilder(
            "id,ticketId,orderNumber,trackingNumber,carrier,shipped,submittedAt,result,resultAt,resultBy,note,trackingOutcome,customerOutcome\r\n");
    for (LogisticsRequest r : jdbi.withHandle(h -> store.list(h, false))) {
      s.append(r.id())
          .append(',')
          .append(r.ticketId())
          .append(',')
          .append(Csv.cell(r.orderNumber()))
          .append(',')
          .append(Csv.cell(r.trackingNumber()))
          .append(',')
          .append(Csv.cell(r.carrier()))
          .append(',')
          .append(r.shipped())
          .append(',')
          .append(Csv.cell(r.submittedAt()))
          .append(',')
          .append(Csv.cell(r.result()))
          .append(',')
          .append(Csv.cell(r.resultAt()))
          .append(',')
          .append(Csv.cell(r.resultBy()))
          .append(',')
          .append(Csv.cell(r.note()))
          .append(',')
          .append(Csv.cell(r.trackingOutcome()))
          .append(',')
          .append(Csv.cell(r.customerOutcome()))
          .append("\r\n");
    }
    ctx.contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"responses.csv\"")
        .result(s.toString());
  }

  static RequestView json(LogisticsRequest r) {
    return new RequestView(
        r.id(),
        r.ticketId(),
        r.orderNumber(),
        r.trackingNumber(),
        r.carrier(),
        r.shipped(),
        r.submittedAt(),
        r.result(),
        r.resultAt(),
        r.resultBy(),
        r.note(),
        r.trackingOutcome(),
        r.customerOutcome());
  }
}
