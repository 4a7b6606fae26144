package spark.desk;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.app.AppRoutes;
import spark.desk.app.CaseViews;
import spark.desk.app.Metrics;
import spark.desk.app.Tokens;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.cases.CaseService;
import spark.desk.cases.Snapshots;
import spark.desk.config.Config;
import spark.desk.logistics.LogisticsRoutes;
import spark.desk.orders.HttpOrderSystem;
import spark.desk.orders.OrderSystem;
import spark.desk.runner.Worker;
import spark.desk.runner.WriteApplier;
import spark.desk.sop.Sop;
import spark.desk.store.CaseStore;
import spark.desk.store.Database;
import spark.desk.store.LogisticsStore;
import spark.desk.store.Settings;
import spark.desk.store.Stores;
import spark.desk.tracking.HttpTrackingService;
import spark.desk.tracking.TrackingService;
import spark.desk.webhook.WebhookRoutes;
import spark.desk.zendesk.HttpZendesk;
import spark.desk.zendesk.RateLimiter;
import spark.desk.zendesk.Zendesk;

/**
 * The composition root: builds the whole service from a configuration and the outside systems
 * ("ports"), unstarted. {@code main} passes the real adapters; tests pass WireMock-backed or fake
 * ones and start on port 0.
 */
public final class App {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  /** Request bodies above this are refused with 413 (contract section 3). */
  public static final int MAX_BODY = 256 * 1024;

  /** The outside systems the service talks to. */
  public record Ports(OrderSystem orders, TrackingService tracking, Optional<Zendesk> zendesk) {
    /**
     * The production adapters over one shared OkHttp client; a system that is not configured fails
     * every call. The Zendesk budget is kept in the database, shared by every instance on it.
     */
    public static Ports production(Config config, OkHttpClient http, Database database) {
      OrderSystem orders =
          config
              .ordersUrl()
              .<OrderSystem>map(
                  u -> new HttpOrderSystem(http, u, config.ordersToken().orElse(null)))
              .orElse(
                  n -> {
                    throw new UpstreamException(
                        "order system", 0, true, "ORDERS_URL is not set", null);
                  });
      TrackingService tracking =
          config
              .trackingUrl()
              .<TrackingService>map(
                  u -> new HttpTrackingService(http, u, config.trackingToken().orElse(null)))
              .orElse(
                  (n, c) -> {
                    throw new UpstreamException(
                        "tracking service", 0, true, "TRACKING_URL is not set", null);
                  });
      Optional<Zendesk> zendesk =
          config
              .zendeskUrl()
              .filter(
                  u -> config.zendeskEmail().isPresent() && config.zendeskApiToken().isPresent())
              .map(
                  u ->
                      new HttpZendesk(
                          http,
                          u,
                          config.zendeskEmail().get(),
                          config.zendeskApiToken().get(),
                          config.orderFieldId().orElse(null),
                          RateLimiter.shared(config.zendeskRateLimitRpm(), database.sideJdbi())));
      return new Ports(orders, tracking, zendesk);
    }
  }

  private final Config config;
  private final Database database;
  private final CaseService cases;
  private final Worker worker;
  private final Javalin server;
  private final Tokens tokens;
  private final java.util.concurrent.atomic.AtomicBoolean stopping;

  private App(
      Config config,
      Database database,
      CaseService cases,
      Worker worker,
      Javalin server,
      Tokens tokens,
      java.util.concurrent.atomic.AtomicBoolean stopping) {
    this.stopping = stopping;
    this.config = config;
    this.database = database;
    this.cases = cases;
    this.worker = worker;
    this.server = server;
    this.tokens = tokens;
  }

  public static App create(Config config, Function<Database, Ports> ports, Clock clock) {
    return create(config, ports, clock, Duration.ofSeconds(15));
  }

  /** {@code tick}: how often due timers are checked and left-over work is swept up. */
  public static App create(
      Config config, Function<Database, Ports> portsOf, Clock clock, Duration tick) {
    Database database = Database.open(config);
    try {
      Ports ports = portsOf.apply(database);
      Stores stores = Stores.create();
      CaseStore caseStore = stores.cases();
      LogisticsStore logisticsStore = stores.logistics();
      WorkingCalendar calendar = WorkingCalendar.from(config);
      try {
        calendar.nextFollowup(clock.instant());
      } catch (DeskException e) {
        throw new spark.desk.config.ConfigException(
            "BUSINESS_HOLIDAYS", "leave no working day in the coming year");
      }
      Sop sop = new Sop(Snapshots.settings(config), calendar);
      CaseService cases =
          new CaseService(
              database.jdbi(),
              stores,
              sop,
              ports.orders(),
              ports.tracking(),
              ports.zendesk(),
              clock,
              config.live());
      Optional<WriteApplier> writes =
          config.live()
              ? ports
                  .zendesk()
                  .map(z -> new WriteApplier(database.jdbi(), caseStore, stores.writes(), z, clock))
              : Optional.empty();
      Worker worker = new Worker(database.dataSource(), cases, writes, tick);
      Tokens tokens = Tokens.resolve(config, new Settings(database.jdbi()));
      CaseViews views = new CaseViews(database.jdbi(), caseStore, logisticsStore, ports.zendesk());
      Metrics metrics = new Metrics();
      var stopping = new java.util.concurrent.atomic.AtomicBoolean();
      Javalin server =
          Javalin.create(
              cfg -> {
                cfg.showJavalinBanner = false;
                cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
                cfg.http.maxRequestSize = MAX_BODY;
                cfg.useVirtualThreads = false;
              });
      errors(server);
      // A stopping service takes no more webhooks: 503 with Retry-After, which Zendesk and the
      // tracking providers retry (contract section 3), while the work already taken finishes.
      server.before(
          "/webhooks/*",
          ctx -> {
            if (stopping.get()) {
              ctx.header("Retry-After", "10");
              throw new ApiException(503, "unavailable", "the service is stopping; retry shortly");
            }
          });
      server.before("/api/app/*", ctx -> Tokens.require(ctx, tokens.app(), "app"));
      server.before(
          "/api/logistics/*", ctx -> Tokens.require(ctx, tokens.logistics(), "logistics"));
      server.before("/api/cases*", ctx -> Tokens.require(ctx, tokens.admin(), "admin"));
      new WebhookRoutes(config, cases, metrics).register(server);
      new AppRoutes(cases, views).register(server);
      new LogisticsRoutes(database.jdbi(), logisticsStore, cases).register(server);
      server.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
      server.get(
          "/ready",
          ctx -> {
            boolean up = database.reachable();
            ctx.status(up ? 200 : 503)
                .json(Map.of("status", up ? "ready" : "database unreachable"));
          });
      server.get(
          "/metrics",
          ctx ->
              ctx.contentType("text/plain; version=0.0.4")
                  .result(metrics.render(database.jdbi().withHandle(caseStore::gauges))));
      return new App(config, database, cases, worker, server, tokens, stopping);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static void errors(Javalin server) {
    server.exception(
        ApiException.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.getMessage()));
    server.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int status = e.getStatus();
          String error =
              switch (status) {
                case 404 -> "not_found";
                case 413 -> "payload_too_large";
                case 405 -> "method_not_allowed";
                default -> status < 500 ? "bad_request" : "server_error";
              };
          error(ctx, status, error, status == 413 ? "the body is over 256 KiB" : e.getMessage());
        });
    server.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, "server_error", "the request could not be handled; it changed nothing");
        });
    server.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty())
            error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
        });
  }

  private static void error(Context ctx, int status, String error, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("detail", detail == null ? "" : detail);
    ctx.status(status).json(body);
  }

  public App start() {
    server.start(config.port());
    worker.start();
    log.info(
        "Cancellation Desk listening on port {} ({} mode, {})",
        server.port(),
        config.mode().name().toLowerCase(),
        config);
    if (config.zendeskWebhookSecret().isEmpty())
      log.warn("ZENDESK_WEBHOOK_SECRET is not set: Zendesk webhooks will be refused");
    return this;
  }

  /**
   * A clean stop (SIGTERM runs this): webhooks are answered 503 from now on, the work queue stops
   * taking work and lets what runs finish (up to 20 s), then the server stops and the database
   * closes last, so nothing runs against a closed pool. Safe to call twice.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) return;
    log.info("stopping: no more webhooks; letting running work finish");
    worker.stop();
    server.stop();
    database.close();
    log.info("stopped");
  }

  public int port() {
    return server.port();
  }

  public CaseService cases() {
    return cases;
  }

  public Worker worker() {
    return worker;
  }

  public Tokens tokens() {
    return tokens;
  }

  public Database database() {
    return database;
  }
}
