package spark.desk.logistics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A stand-in for the service's logistics side, for testing the page on its own: serves the page
 * from the classpath exactly as the real server does ({@code GET /logistics} and
 * {@code /logistics/*} from {@code /web/logistics}) and answers the logistics API of contract
 * section 11 from memory, recording every API call it receives. Starts on a free port.
 */
final class FakeLogisticsServer implements AutoCloseable {
  static final String TOKEN = "logistics-token-for-tests";

  /** One call to {@code /api/logistics/...} as the browser made it. */
  record Call(String method, String path, String query, String authorization, String body) {}

  private final Map<Long, Map<String, Object>> requests = new LinkedHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile String token = TOKEN;
  private final Javalin app;

  FakeLogisticsServer() {
    app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/logistics";
                    files.directory = "/web/logistics";
                    files.location = Location.CLASSPATH;
                  });
            });
    app.get("/logistics", ctx -> ctx.contentType("text/html; charset=utf-8").result(page()));
    app.before("/api/*", this::recordAndAuthenticate);
    app.get("/api/logistics/requests", this::list);
    app.post("/api/logistics/requests/{id}/result", this::markResult);
    app.get("/api/logistics/responses.csv", ctx -> ctx.contentType("text/csv; charset=utf-8").result(csv()));
    app.start(0);
  }

  String baseUrl() {
    return "http://localhost:" + app.port();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Makes the server refuse the token the page holds, as after an admin rotates it. */
  void rotateToken() {
    token = TOKEN + "-rotated";
  }

  synchronized void addPending(
      long id, long ticketId, String orderNumber, String trackingNumber, String carrier, Instant submittedAt) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("ticketId", ticketId);
    r.put("orderNumber", orderNumber);
    r.put("trackingNumber", trackingNumber);
    r.put("carrier", carrier);
    r.put("shipped", trackingNumber != null);
    r.put("submittedAt", submittedAt.toString());
    r.put("result", "pending");
    r.put("resultAt", null);
    r.put("resultBy", null);
    r.put("note", null);
    r.put("trackingOutcome", null);
    r.put("customerOutcome", null);
    requests.put(id, r);
  }

  /** Records a result as if someone else had marked it (another tab, another clerk). */
  synchronized void mark(long id, String result, String by, String note, Instant at) {
    Map<String, Object> r = requests.get(id);
    r.put("result", result);
    r.put("resultBy", by);
    r.put("note", note);
    r.put("resultAt", at.toString());
  }

  synchronized void setOutcomes(long id, String trackingOutcome, String customerOutcome) {
    requests.get(id).put("trackingOutcome", trackingOutcome);
    requests.get(id).put("customerOutcome", customerOutcome);
  }

  synchronized String csv() {
    List<String> columns = List.of(
        "id", "ticketId", "orderNumber", "trackingNumber", "carrier", "shipped", "submittedAt", "result",
        "resultAt", "resultBy", "note", "trackingOutcome", "customerOutcome");
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", columns));
    for (Map<String, Object> r : requests.values()) {
      lines.add(columns.stream().map(c -> csvField(r.get(c))).collect(Collectors.joining(",")));
    }
    return String.join("\r\n", lines) + "\r\n";
  }

  @Override
  public void close() {
    app.stop();
  }

  private void recordAndAuthenticate(Context ctx) {
    calls.add(new Call(ctx.method().name(), ctx.path(), ctx.queryString(), ctx.header("Authorization"), ctx.body()));
    if (!("Bearer " + token).equals(ctx.header("Authorization"))) {
      error(ctx, HttpStatus.UNAUTHORIZED, "unauthorized", "missing or unknown logistics token");
      ctx.skipRemainingHandlers();
    }
  }

  private synchronized void list(Context ctx) {
    String status = ctx.queryParamAsClass("status", String.class).getOrDefault("pending");
    if (!status.equals("pending") && !status.equals("all")) {
      error(ctx, HttpStatus.BAD_REQUEST, "bad_request", "status must be pending or all");
      return;
    }
    Stream<Map<String, Object>> rows = requests.values().stream();
    if (status.equals("pending")) rows = rows.filter(r -> "pending".equals(r.get("result")));
    ctx.json(Map.of("requests", rows.map(LinkedHashMap::new).toList()));
  }

  private synchronized void markResult(Context ctx) {
    long id = Long.parseLong(ctx.pathParam("id"));
    Map<String, Object> r = requests.get(id);
    if (r == null) {
      error(ctx, HttpStatus.NOT_FOUND, "not_found", "no logistics request " + id);
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = ctx.bodyAsClass(Map.class);
    Object result = body.get("result");
    if (!"successful".equals(result) && !"unsuccessful".equals(result)) {
      error(ctx, HttpStatus.BAD_REQUEST, "bad_request", "result must be successful or unsuccessful");
      return;
    }
    if (!"pending".equals(r.get("result")) && !result.equals(r.get("result"))) {
      error(ctx, HttpStatus.CONFLICT, "conflict", "already marked " + r.get("result") + " by " + r.get("resultBy"));
      return;
    }
    if ("pending".equals(r.get("result"))) {
      mark(id, (String) result, (String) body.get("by"), (String) body.get("note"), Instant.now());
    }
    ctx.json(new LinkedHashMap<>(r));
  }

  private static void error(Context ctx, HttpStatus status, String error, String detail) {
    ctx.status(status).json(Map.of("error", error, "detail", detail));
  }

  private static InputStream page() {
    InputStream in = FakeLogisticsServer.class.getResourceAsStream("/web/logistics/index.html");
    if (in == null) throw new IllegalStateException("/web/logistics/index.html is not on the classpath");
    return in;
  }

  private static String csvField(Object value) {
    if (value == null) return "";
    String s = value.toString();
    return s.matches(".*[\",\r\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
