package spark.desk.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.statement.PreparedBatch;
import spark.desk.App;
import spark.desk.config.Config;

/**
 * Not a test: fills a fresh database with 100,000 cases spread over a year (the tables the service
 * keeps: cases, inbox, writes, case_history, logistics_requests, then case_milestones from those as
 * migration V41 backfills it) and prints how long /api/stats, /api/ops/now, /ops, /api/cases.csv
 * and /metrics take to answer. Run by {@code bench/ops.sh}; {@code DATABASE_URL} (and user,
 * password) picks the database, an in-memory H2 by default.
 */
public final class OpsBench {
  private static final String TOKEN = "bench-admin-token-0123456789abcdef0123";
  private static final Map<String, String> ENV = new HashMap<>();
  private static final String[] CARRIERS = {"UPS", "DHL", "FedEx", "USPS", "GLS"};

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Map<String, String> env = ENV;
    env.put("PORT", "0");
    env.put("MODE", "shadow");
    env.put("ADMIN_TOKEN", TOKEN);
    env.put("APP_TOKEN", "bench-app-token-0123456789abcdef012345");
    env.put("LOGISTICS_TOKEN", "bench-logistics-token-0123456789abcdef01");
    env.put(
        "DATABASE_URL",
        System.getenv().getOrDefault("DATABASE_URL", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1"));
    if (System.getenv("DATABASE_USER") != null)
      env.put("DATABASE_USER", System.getenv("DATABASE_USER"));
    if (System.getenv("DATABASE_PASSWORD") != null)
      env.put("DATABASE_PASSWORD", System.getenv("DATABASE_PASSWORD"));
    Instant now = Instant.parse("2026-11-30T12:00:00Z");
    App app =
        App.create(
            Config.fromEnvironment(env),
            db ->
                spark.desk.ports.Ports.production(
                    Config.fromEnvironment(env), new okhttp3.OkHttpClient(), db),
            Clock.fixed(now, java.time.ZoneOffset.UTC),
            Duration.ofHours(1));
    try {
      long t0 = System.nanoTime();
      fill(app, n, now);
      System.out.printf("filled %,d cases in %.1f s (%s)%n", n, secs(t0), env.get("DATABASE_URL"));
      t0 = System.nanoTime();
      backfill(app);
      System.out.printf("case_milestones backfilled as V41 does in %.1f s%n", secs(t0));
      if (System.getenv("BENCH_QUERIES") != null) {
        queries(app, now);
        queries(app, now);
      }
      beforeAfter(app, "/api/stats (last 30 days)", LocalDate.parse("2026-11-01"));
      beforeAfter(app, "/api/stats (a year)", LocalDate.parse("2025-12-01"));
      app.start();
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://localhost:" + app.port();
      time(http, base + "/api/stats", "GET /api/stats (last 30 days)");
      time(http, base + "/api/stats?from=2025-12-01&to=2026-11-30", "GET /api/stats (a year)");
      time(http, base + "/api/ops/now", "GET /api/ops/now");
      time(http, base + "/ops", "GET /ops (the page itself)");
      time(http, base + "/api/cases.csv", "GET /api/cases.csv (last 30 days)");
      time(http, base + "/metrics", "GET /metrics");
    } finally {
      app.stop();
    }
  }

  /**
   * The stats of {@code from} to 30 November 2026 computed the old way ({@link OpsBenchBefore}) and
   * the new way ({@link OpsService#stats}), alternately, on the same data: medians of 5 after a
   * warm-up of each, and their ratio.
   */
  private static void beforeAfter(App app, String what, LocalDate from) {
    LocalDate to = LocalDate.parse("2026-11-30");
    var jdbi = app.database().jdbi();
    OpsStore store = new OpsStore();
    OpsService service =
        new OpsService(
            jdbi, store, spark.desk.calendar.WorkingCalendar.from(Config.fromEnvironment(ENV)));
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    Stats old = null;
    Stats now = null;
    for (int i = 0; i < 6; i++) {
      long t = System.nanoTime();
      old = jdbi.inTransaction(h -> OpsBenchBefore.stats(h, service, store, from, to));
      if (i > 0) before.add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      now = service.stats(from, to);
      if (i > 0) after.add((System.nanoTime() - t) / 1e6);
    }
    if (!old.equals(now))
      throw new IllegalStateException("the old and new stats differ:\n" + old + "\n" + now);
    Collections.sort(before);
    Collections.sort(after);
    double b = before.get(before.size() / 2);
    double a = after.get(after.size() / 2);
    System.out.printf(
        "%-28s before: median %8.1f ms, max %8.1f ms; after: median %7.1f ms, max %7.1f ms; %.1fx%n",
        what, b, before.get(before.size() - 1), a, after.get(after.size() - 1), b / a);
  }

  /** Each query of {@link OpsStore} alone, to see which one costs. */
  private static void queries(App app, Instant now) {
    OpsStore store = new OpsStore();
    Instant from = now.minus(Duration.ofDays(30));
    var jdbi = app.database().jdbi();
    Map<String, java.util.function.Consumer<org.jdbi.v3.core.Handle>> q =
        new java.util.LinkedHashMap<>();
    q.put("milestones (before)", h -> OpsBenchBefore.milestones(h, from, now, false));
    q.put("needsAttention (before)", h -> OpsBenchBefore.needsAttention(h));
    q.put("funnel", h -> store.funnel(h, from, now));
    q.put("carriers", h -> store.carriers(h, from, now));
    q.put("spans", h -> store.spans(h, from, now));
    q.put("milestones (CSV)", h -> store.milestones(h, from, now));
    q.put("openByStage", h -> store.openByStage(h));
    q.put("openCases", h -> store.openCases(h, 200));
    q.put("needsAttention", h -> store.needsAttention(h));
    if (System.getenv("BENCH_EXPLAIN") != null)
      jdbi.useHandle(
          h ->
              System.out.println(
                  h.createQuery("explain " + System.getenv("BENCH_EXPLAIN"))
                      .mapTo(String.class)
                      .list()));
    q.forEach(
        (name, f) -> {
          long t = System.nanoTime();
          jdbi.useHandle(f::accept);
          System.out.printf("  %-20s %8.1f ms%n", name, (System.nanoTime() - t) / 1e6);
        });
  }

  private static void time(HttpClient http, String url, String what) throws Exception {
    List<Double> ms = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < 6; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException(url + ": " + r.statusCode());
      if (i > 0) ms.add((System.nanoTime() - t) / 1e6); // the first warms up
      bytes = r.body().length();
    }
    Collections.sort(ms);
    System.out.printf(
        "%-38s median %7.1f ms, max %7.1f ms (%,d bytes)%n",
        what, ms.get(ms.size() / 2), ms.get(ms.size() - 1), bytes);
  }

  /**
   * Fills {@code case_milestones} from the history just filled with the statement migration V41
   * runs on an upgrade (the same SQL, read from the migration), as for cases decided before it.
   */
  private static void backfill(App app) throws java.io.IOException {
    String migration;
    try (var in =
        OpsBench.class.getResourceAsStream("/db/migration/common/V41__case_milestones.sql")) {
      migration = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String insert = migration.substring(migration.indexOf("insert into case_milestones")).trim();
    String sql = insert.substring(0, insert.length() - 1); // the trailing semicolon
    app.database().jdbi().useHandle(h -> h.execute(sql));
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Cases as the service leaves them: each with its first webhook, step-1 note, logistics request,
   * and the steps its end needs; 8 % still open.
   */
  private static void fill(App app, int n, Instant now) {
    Random random = new Random(42);
    int batch = 2_000;
    for (int from = 0; from < n; from += batch) {
      int start = from;
      int end = Math.min(n, from + batch);
      app.database()
          .jdbi()
          .useTransaction(
              h -> {
                PreparedBatch cases =
                    h.prepareBatch(
                        "insert into cases (ticket_id, stage, order_number, tracking_number, next_due_at, state, created_at, updated_at) "
                            + "values (:t, :stage, :o, :tn, null, :state, :at, :at)");
                PreparedBatch inbox =
                    h.prepareBatch(
                        "insert into inbox (ticket_id, kind, payload, received_at, processed_at) values (:t, 'ticket', '{}', :at, :at)");
                PreparedBatch writes =
                    h.prepareBatch(
                        "insert into writes (ticket_id, at, step, add_tags, remove_tags, note, shadow, applied_at, attempts) "
                            + "values (:t, :at, :step, :tags, '', :note, true, null, 0)");
                PreparedBatch history =
                    h.prepareBatch(
                        "insert into case_history (ticket_id, at, step, text) values (:t, :at, :step, :text)");
                PreparedBatch logistics =
                    h.prepareBatch(
                        "insert into logistics_requests (ticket_id, order_number, tracking_number, carrier, shipped, submitted_at, result, result_at, tracking_outcome, customer_outcome) "
                            + "values (:t, :o, :tn, :c, :shipped, :at, :result, :rat, :to, :co)");
                for (int i = start; i < end; i++) {
                  long t = 1_000_000L + i;
                  Instant at =
                      now.minus(Duration.ofMinutes(random.nextInt(365 * 24 * 60))).minusSeconds(30);
                  boolean shipped = random.nextInt(100) < 55;
                  int roll = random.nextInt(100);
                  String stage;
                  List<String[]> steps = new ArrayList<>(); // {step, offset minutes, tags}
                  steps.add(new String[] {shipped ? "1.2" : "1.1", "0", ""});
                  String result = "pending";
                  String trackingOutcome = null;
                  String customerOutcome = null;
                  int answer = 60 + random.nextInt(3 * 24 * 60);
                  if (roll < 8) {
                    stage =
                        roll < 5
                            ? "awaiting_logistics"
                            : roll < 7 ? "watching_tracking" : "order_not_found";
                  } else if (!shipped) {
                    result = "successful";
                    steps.add(new String[] {"3.1", "" + answer, "cxl_refund_escalated"});
                    stage = "refund_escalated";
                  } else {
                    result = "unsuccessful";
                    steps.add(new String[] {"3.2", "" + answer, ""});
                    int outcome = answer + 24 * 60 + random.nextInt(10 * 24 * 60);
                    if (random.nextInt(100) < 60) {
                      trackingOutcome = "return_to_sender";
                      steps.add(new String[] {"4.1", "" + outcome, "cxl_refund_escalated"});
                      stage = "refund_escalated";
                    } else {
                      trackingOutcome = "delivered";
                      steps.add(new String[] {"4.2", "" + outcome, ""});
                      boolean keeps = random.nextBoolean();
                      customerOutcome = keeps ? "order_kept" : "sales_return";
                      steps.add(new String[] {keeps ? "5.1" : "5.2", "" + (outcome + 600), ""});
                      stage = keeps ? "order_kept" : "sales_return";
                    }
                  }
                  String order = "SP-" + t;
                  String tracking = shipped ? "1Z" + t : null;
                  cases
                      .bind("t", t)
                      .bind("stage", stage)
                      .bind("o", order)
                      .bind("tn", tracking)
                      .bind(
                          "state",
                          "{\"ticketId\":" + t + ",\"nextAction\":\"Wait for logistics.\"}")
                      .bind("at", at)
                      .add();
                  inbox.bind("t", t).bind("at", at).add();
                  for (String[] s : steps) {
                    Instant wat = at.plusSeconds(2 + 60L * Integer.parseInt(s[1]));
                    writes
                        .bind("t", t)
                        .bind("at", wat)
                        .bind("step", s[0])
                        .bind("tags", s[2])
                        .bind("note", "Step " + s[0] + ": bench")
                        .add();
                    history
                        .bind("t", t)
                        .bind("at", wat)
                        .bind("step", s[0])
                        .bind("text", "Step " + s[0] + ": bench")
                        .add();
                  }
                  if (shipped)
                    history
                        .bind("t", t)
                        .bind("at", at.plusSeconds(600))
                        .bind("step", (String) null)
                        .bind("text", "The customer was asked to refuse the parcel (agent).")
                        .add();
                  logistics
                      .bind("t", t)
                      .bind("o", order)
                      .bind("tn", tracking)
                      .bind("c", shipped ? CARRIERS[random.nextInt(CARRIERS.length)] : null)
                      .bind("shipped", shipped)
                      .bind("at", at)
                      .bind("result", result)
                      .bind("rat", result.equals("pending") ? null : at.plusSeconds(60L * answer))
                      .bind("to", trackingOutcome)
                      .bind("co", customerOutcome)
                      .add();
                }
                cases.execute();
                inbox.execute();
                writes.execute();
                history.execute();
                logistics.execute();
              });
    }
  }
}
