package spark.desk.logistics;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import spark.desk.ApiException;
import spark.desk.app.AppRoutes;
import spark.desk.cases.CaseService;
import spark.desk.store.LogisticsRequest;
import spark.desk.store.LogisticsStore;

/**
 * The logistics team's API and page (contract section 11): it replaces the form and its responses
 * sheet.
 */
public final class LogisticsRoutes {
  private static final Set<String> ASSETS = Set.of("logistics.js", "logistics.css");

  private final Jdbi jdbi;
  private final LogisticsStore store;
  private final CaseService cases;

  public LogisticsRoutes(Jdbi jdbi, LogisticsStore store, CaseService cases) {
    this.jdbi = jdbi;
    this.store = store;
    this.cases = cases;
  }

  public void register(Javalin server) {
    server.get("/api/logistics/requests", this::list);
    server.post("/api/logistics/requests/{id}/result", this::result);
    server.get("/api/logistics/responses.csv", this::csv);
    server.get("/logistics", ctx -> asset(ctx, "index.html", "text/html; charset=utf-8"));
    server.get(
        "/logistics/{file}",
        ctx -> {
          String file = ctx.pathParam("file");
          if (!ASSETS.contains(file)) throw ApiException.notFound("no such file");
          asset(
              ctx,
              file,
              file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        });
  }

  private void list(Context ctx) {
    String status = ctx.queryParamAsClass("status", String.class).getOrDefault("pending");
    if (!status.equals("pending") && !status.equals("all"))
      throw ApiException.badRequest("status must be pending or all");
    List<Map<String, Object>> out = new ArrayList<>();
    for (LogisticsRequest r : jdbi.withHandle(h -> store.list(h, status.equals("pending"))))
      out.add(json(r));
    ctx.json(Map.of("requests", out));
  }

  private void result(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the request id must be a number");
    }
    JsonNode body = AppRoutes.jsonBody(ctx);
    String result = body.path("result").asText("");
    if (!result.equals("successful") && !result.equals("unsuccessful"))
      throw ApiException.badRequest("result must be successful or unsuccessful");
    String by = body.path("by").asText("").trim();
    if (by.isEmpty()) throw ApiException.badRequest("by (who marks the request) is required");
    if (by.length() > 200) throw ApiException.badRequest("by is too long");
    String note = body.path("note").isTextual() ? body.path("note").asText().trim() : null;
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
          .append(cell(r.orderNumber()))
          .append(',')
          .append(cell(r.trackingNumber()))
          .append(',')
          .append(cell(r.carrier()))
          .append(',')
          .append(r.shipped())
          .append(',')
          .append(cell(r.submittedAt()))
          .append(',')
          .append(cell(r.result()))
          .append(',')
          .append(cell(r.resultAt()))
          .append(',')
          .append(cell(r.resultBy()))
          .append(',')
          .append(cell(r.note()))
          .append(',')
          .append(cell(r.trackingOutcome()))
          .append(',')
          .append(cell(r.customerOutcome()))
          .append("\r\n");
    }
    ctx.contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"responses.csv\"")
        .result(s.toString());
  }

  /**
   * RFC 4180 quoting; a leading formula character is defused so a spreadsheet never runs a cell.
   */
  static String cell(Object value) {
    if (value == null) return "";
    String v = value.toString();
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) v = "'" + v;
    if (v.contains(",")
        || v.contains("\"")
        || v.contains("\n")
        || v.contains("\r")
        || v.startsWith("'")) v = "\"" + v.replace("\"", "\"\"") + "\"";
    return v;
  }

  static Map<String, Object> json(LogisticsRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("ticketId", r.ticketId());
    m.put("orderNumber", r.orderNumber());
    m.put("trackingNumber", r.trackingNumber());
    m.put("carrier", r.carrier());
    m.put("shipped", r.shipped());
    m.put("submittedAt", r.submittedAt());
    m.put("result", r.result());
    m.put("resultAt", r.resultAt());
    m.put("resultBy", r.resultBy());
    m.put("note", r.note());
    m.put("trackingOutcome", r.trackingOutcome());
    m.put("customerOutcome", r.customerOutcome());
    return m;
  }

  private static void asset(Context ctx, String file, String type) {
    InputStream in = LogisticsRoutes.class.getResourceAsStream("/web/logistics/" + file);
    if (in == null) throw ApiException.notFound("the logistics page is not part of this build");
    ctx.contentType(type).result(in);
  }
}
