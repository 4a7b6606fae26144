package spark.desk.ops;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import spark.desk.web.ApiException;
import spark.desk.web.Csv;
import spark.desk.web.Pages;
import spark.desk.web.Tokens;

/**
 * The team lead's page and its API (contract section 12): {@code GET /ops}, {@code GET /api/stats},
 * {@code GET /api/cases.csv}, {@code POST /api/cases/{ticketId}/retry}, and {@code GET
 * /api/ops/now} (what the page's "Now" section shows). The /api routes take {@code Bearer
 * ADMIN_TOKEN}; {@code /api/cases*} is already guarded by App.
 */
public final class OpsRoutes {
  private static final Set<String> ASSETS = Set.of("ops.js", "ops.css");
  private static final Set<String> VENDOR = Set.of("uPlot.iife.min.js", "uPlot.min.css");

  /** Default period: the last 30 days, today included. */
  private static final int DEFAULT_DAYS = 30;

  /** How many open cases the page lists (the counts by stage cover them all). */
  private static final int OPEN_LIST_LIMIT = 200;

  private final OpsService ops;
  private final Retry retry;
  private final Clock clock;
  private final Optional<URI> zendeskUrl;
  private final String adminToken;
  private final String logisticsToken;

  public OpsRoutes(
      OpsService ops,
      Retry retry,
      Clock clock,
      Optional<URI> zendeskUrl,
      String adminToken,
      String logisticsToken) {
    this.ops = ops;
    this.retry = retry;
    this.clock = clock;
    this.zendeskUrl = zendeskUrl;
    this.adminToken = adminToken;
    this.logisticsToken = logisticsToken;
  }

  public static OpsRoutes create(
      spark.desk.config.Config config,
      org.jdbi.v3.core.Jdbi jdbi,
      spark.desk.calendar.WorkingCalendar calendar,
      spark.desk.cases.CaseService cases,
      spark.desk.runner.Worker worker,
      Clock clock,
      Tokens tokens) {
    return new OpsRoutes(
        new OpsService(jdbi, new OpsStore(), calendar),
        new Retry(jdbi, cases, clock, worker::scheduleWrites, worker::scheduleInbox),
        clock,
        config.zendeskUrl(),
        tokens.admin(),
        tokens.logistics());
  }

  public void register(Javalin server) {
    server.before("/api/stats", ctx -> Tokens.require(ctx, adminToken, "admin"));
    server.before("/api/ops/*", ctx -> Tokens.require(ctx, adminToken, "admin"));
    server.get("/api/stats", ctx -> ctx.json(ops.stats(from(ctx), to(ctx))));
    server.get("/api/cases.csv", this::csv);
    server.post("/api/cases/{ticketId}/retry", this::retry);
    server.get("/api/ops/now", this::now);
    // The logistics page links tickets to Zendesk: it asks where Zendesk is with its own token.
    server.get(
        "/api/logistics/links",
        ctx -> {
          Tokens.require(ctx, logisticsToken, "logistics");
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("ticketUrl", ticketUrl());
          ctx.json(m);
        });
    Pages.register(server, "ops", ASSETS);
    server.get(
        "/ops/vendor/{file}",
        ctx -> {
          String file = ctx.pathParam("file");
          if (!VENDOR.contains(file)) throw ApiException.notFound("no such file");
          Pages.serve(ctx, uplotDir() + file, "ops");
          ctx.header("Cache-Control", "public, max-age=86400");
        });
  }

  /**
   * {@code ZENDESK_URL/agent/tickets/}, to which a ticket id is appended; null in shadow setups.
   */
  private String ticketUrl() {
    return zendeskUrl.map(u -> u.toString().replaceAll("/+$", "") + "/agent/tickets/").orElse(null);
  }

  private void now(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ticketUrl", ticketUrl());
    m.put("at", clock.instant());
    m.put("open", ops.openCases(OPEN_LIST_LIMIT));
    m.put("openLimit", OPEN_LIST_LIMIT);
    m.put("needsAttention", ops.needsAttention());
    ctx.json(m);
  }

  private void retry(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("ticketId"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the ticket id must be a number");
    }
    Retry.Outcome o =
        retry.retry(id).orElseThrow(() -> ApiException.notFound("no case for ticket " + id));
    if (!o.any())
      throw ApiException.conflict(
          "ticket " + id + " has no refused Zendesk update, set-aside input or stuck lookup");
    ctx.json(o);
  }

  private void csv(Context ctx) {
    LocalDate from = from(ctx);
    LocalDate to = to(ctx);
    List<Milestones> rows = ops.cases(from, to);
    StringBuilder s =
        new StringBuilder(
            "ticketId,ticketUrl,orderNumber,stage,sopStep,opened,requestReceived,step1NoteAt,"
                + "step1_1,step1_2,step1_3,logisticsRequested,logisticsResult,logisticsResultAt,"
                + "step3_1,step3_2,refusalAsked,step4_1,step4_2,step5_1,step5_2,refundEscalated,"
                + "carrier,trackingOutcome,customerOutcome\r\n");
    String url = ticketUrl();
    for (Milestones m : rows) {
      Object[] cells = {
        m.ticketId(),
        url == null ? null : url + m.ticketId(),
        m.orderNumber(),
        m.stage(),
        m.sopStep(),
        m.openedAt(),
        m.firstInputAt(),
        m.stepOneNoteAt(),
        m.step1_1(),
        m.step1_2(),
        m.step1_3(),
        m.logisticsRequestedAt(),
        m.logisticsResult(),
        m.logisticsResultAt(),
        m.step3_1(),
        m.step3_2(),
        m.refusalAskedAt(),
        m.step4_1(),
        m.step4_2(),
        m.step5_1(),
        m.step5_2(),
        m.refundAt(),
        m.carrier(),
        m.trackingOutcome(),
        m.customerOutcome()
      };
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) s.append(',');
        s.append(Csv.cell(cells[i]));
      }
      s.append("\r\n");
    }
    ctx.contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"cases-" + from + "-" + to + ".csv\"")
        .result(s.toString());
  }

  private LocalDate to(Context ctx) {
    LocalDate to = date(ctx, "to");
    return to != null ? to : LocalDate.ofInstant(clock.instant(), ops.zone());
  }

  private LocalDate from(Context ctx) {
    LocalDate from = date(ctx, "from");
    LocalDate to = to(ctx);
    if (from == null) from = to.minusDays(DEFAULT_DAYS - 1);
    if (from.isAfter(to))
      throw ApiException.badRequest("from (" + from + ") is after to (" + to + ")");
    return from;
  }

  private static LocalDate date(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return null;
    try {
      return LocalDate.parse(v.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + " must be a date, YYYY-MM-DD");
    }
  }

  /** Where the uPlot WebJar keeps its files, whatever version the build put on the classpath. */
  private static String uplotDir() {
    try (InputStream in =
        OpsRoutes.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) throw ApiException.notFound("the chart library is not part of this build");
      Properties p = new Properties();
      p.load(in);
      return "/META-INF/resources/webjars/uplot/" + p.getProperty("version") + "/dist/";
    } catch (IOException e) {
      throw ApiException.notFound("the chart library is not part of this build");
    }
  }
}
