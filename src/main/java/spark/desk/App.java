package spark.desk;

import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.app.AppRoutes;
import spark.desk.app.CaseViews;
import spark.desk.app.MacroIds;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.cases.CaseService;
import spark.desk.cases.Snapshots;
import spark.desk.check.ServiceChecks;
import spark.desk.check.StatusRoutes;
import spark.desk.config.Config;
import spark.desk.guard.CheckedLookups;
import spark.desk.http.JsonHttp;
import spark.desk.logistics.LogisticsRoutes;
import spark.desk.logistics.shopify.ShopifyWebhookRoutes;
import spark.desk.logistics.shopify.ShopifyWiring;
import spark.desk.metrics.DeskMetrics;
import spark.desk.metrics.MeteredZendesk;
import spark.desk.metrics.Metrics;
import spark.desk.ops.OpsRoutes;
import spark.desk.ports.Ports;
import spark.desk.runner.Worker;
import spark.desk.runner.WriteApplier;
import spark.desk.shared.DeskException;
import spark.desk.shared.Json;
import spark.desk.sop.Sop;
import spark.desk.store.CaseStore;
import spark.desk.store.Database;
import spark.desk.store.LogisticsStore;
import spark.desk.store.Retention;
import spark.desk.store.Settings;
import spark.desk.store.Stores;
import spark.desk.tracking.vendors.TrackingAdapters;
import spark.desk.web.AuthFailures;
import spark.desk.web.Bodies;
import spark.desk.web.Stopping;
import spark.desk.web.Tokens;
import spark.desk.web.WebServer;
import spark.desk.webhook.AggregatorWebhookRoutes;
import spark.desk.webhook.WebhookRoutes;
import spark.desk.webhook.WebhookSecret;
import spark.desk.zendesk.RateLimiter;
import spark.desk.zendesk.SigningSecretReader;
import spark.desk.zendesk.TicketStamps;

/**
 * The composition root: builds the whole service from a configuration and the outside systems
 * ("ports"), unstarted. {@code main} passes the real adapters; tests pass WireMock-backed or fake
 * ones and start on port 0.
 */
public final class App implements spark.desk.demo.Service {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Config config;
  private final Database database;
  private final CaseService cases;
  private final Worker worker;
  private final Javalin server;
  private final Tokens tokens;
  private final Stopping stopping;
  private final StatusRoutes status;
  private final ScheduledExecutorService background;
  private final WebhookSecret webhookSecret;
  private final MacroIds macroIds;
  private boolean stopped;

  private App(
      Config config,
      Database database,
      CaseService cases,
      Worker worker,
      Javalin server,
      Tokens tokens,
      StatusRoutes status,
      Stopping stopping,
      ScheduledExecutorService background,
      WebhookSecret webhookSecret,
      MacroIds macroIds) {
    this.background = background;
    this.webhookSecret = webhookSecret;
    this.macroIds = macroIds;
    this.status = status;
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

  /** {@code http}: the process's one OkHttp client, the one {@code ports} were built over. */
  public static App create(
      Config config, Function<Database, Ports> ports, Clock clock, OkHttpClient http) {
    Duration tick = Duration.ofSeconds(15);
    return create(config, ports, clock, tick, AuthFailures.standard(clock), http);
  }

  /** {@code tick}: how often due timers are checked and left-over work is swept up. */
  public static App create(
      Config config, Function<Database, Ports> portsOf, Clock clock, Duration tick) {
    return create(config, portsOf, clock, tick, AuthFailures.standard(clock));
  }

  /** {@code authFailures}: how refused credentials are slowed down, per remote address. */
  public static App create(
      Config config,
      Function<Database, Ports> portsOf,
      Clock clock,
      Duration tick,
      AuthFailures authFailures) {
    return create(config, portsOf, clock, tick, authFailures, JsonHttp.newClient());
  }

  public static App create(
      Config config,
      Function<Database, Ports> portsOf,
      Clock clock,
      Duration tick,
      AuthFailures authFailures,
      OkHttpClient http) {
    Database database = Database.open(config);
    // Reads of Zendesk that no request waits for (contract 3): the macros' ids, the webhook's
    // signing secret.
    ScheduledExecutorService background = background();
    try {
      DeskMetrics meters = new DeskMetrics();
      meters.bindPool(database.dataSource());
      Ports ports = portsOf.apply(database);
      ports =
          new Ports(
              ports.orders(),
              ports.tracking(),
              MeteredZendesk.around(ports.zendesk(), meters, database, clock, config));
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
              CheckedLookups.orders(ports.orders()),
              CheckedLookups.tracking(ports.tracking()),
              ports.zendesk(),
              clock,
              config.live());
      Optional<WriteApplier> writes =
          config.live()
              ? ports
                  .zendesk()
                  .map(z -> new WriteApplier(database.jdbi(), caseStore, stores.writes(), z, clock))
              : Optional.empty();
      Worker worker =
          new Worker(
              database.dataSource(),
              cases,
              writes,
              tick,
              meters.registry(),
              Optional.of(
                  new Retention(database.jdbi(), config.retention(), clock, Json.mapper())));
      // Inputs that could never be worked are set aside, not dropped in silence (issue 14).
      io.micrometer.core.instrument.FunctionCounter.builder(
              "desk_inputs_set_aside", cases, CaseService::inputsSetAside)
          .description("Inputs set aside because no retry could work them (see the case timeline)")
          .register(meters.registry());
      Tokens tokens = Tokens.resolve(config, new Settings(database.jdbi()));
      Config.Macros titles = config.macros();
      MacroIds macroIds =
          new MacroIds(
              ports.zendesk(),
              List.of(
                  titles.notShipped(), titles.shipped(), titles.delivered(), titles.keepOrReturn()),
              background,
              clock);
      CaseViews views = new CaseViews(database.jdbi(), caseStore, logisticsStore, macroIds);
      Metrics metrics = new Metrics(meters);
      Bodies bodies = new Bodies(Json.mapper());
      Javalin server = WebServer.create(Json.mapper(), authFailures);
      Stopping stopping = new Stopping();
      stopping.register(server, database::reachable);
      server.before("/api/app/*", ctx -> Tokens.require(ctx, tokens.app(), "app"));
      server.before(
          "/api/logistics/*", ctx -> Tokens.require(ctx, tokens.logistics(), "logistics"));
      server.before("/api/cases*", ctx -> Tokens.require(ctx, tokens.admin(), "admin"));
      WebhookSecret webhookSecret =
          new WebhookSecret(
              config.zendeskWebhookSecret(),
              Optional.of(new Settings(database.jdbi())),
              config.live() ? zendeskSigningSecret(config, database, http) : Optional.empty(),
              background,
              clock);
      // A webhook's ticket stamp is kept with its input, in the same transaction.
      if (ports.zendesk().isPresent()) cases.onTicketAccepted(TicketStamps::keepSeen);
      new WebhookRoutes(config, cases, metrics, webhookSecret).register(server);
      StatusRoutes status =
          new StatusRoutes(
              ServiceChecks.forService(
                  config, http, ports.orders(), ports.tracking(), webhookSecret::current),
              tokens,
              clock);
      status.register(server);
      new AggregatorWebhookRoutes(config.trackingProvider(), cases, metrics).register(server);
      new AppRoutes(cases, views, bodies).register(server);
      new LogisticsRoutes(database.jdbi(), logisticsStore, cases, bodies).register(server);
      ShopifyWiring.logistics(
              config, http, ports.orders(), database.jdbi(), caseStore, cases, worker, clock)
          .ifPresent(
              ch ->
                  new ShopifyWebhookRoutes(config.shopify().signingSecret().orElse(null), ch)
                      .register(server));
      OpsRoutes.create(config, database.jdbi(), calendar, cases, worker, clock, tokens)
          .register(server);
      server.get(
          "/metrics",
          ctx ->
              ctx.contentType("text/plain; version=0.0.4").result(meters.scrape(database.jdbi())));
      return new App(
          config,
          database,
          cases,
          worker,
          server,
          tokens,
          status,
          stopping,
          background,
          webhookSecret,
          macroIds);
    } catch (RuntimeException e) {
      background.shutdownNow();
      database.close();
      throw e;
    }
  }

  private static ScheduledExecutorService background() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newScheduledThreadPool(
        2,
        r -> {
          Thread t = new Thread(r, "background-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Live mode reads a missing or rotated signing secret from Zendesk itself (contract 8). */
  private static Optional<Supplier<Optional<String>>> zendeskSigningSecret(
      Config config, Database database, OkHttpClient http) {
    if (config.zendeskUrl().isEmpty()
        || config.zendeskEmail().isEmpty()
        || config.zendeskApiToken().isEmpty()) return Optional.empty();
    return Optional.of(
        new SigningSecretReader(
            http,
            config.zendeskUrl().get(),
            config.zendeskEmail().get(),
            config.zendeskApiToken().get(),
            RateLimiter.shared(config.zendeskRateLimitRpm(), database.sideJdbi())));
  }

  public App start() {
    return start(null);
  }

  /** {@code host}: the address to listen on (null: every interface); the demo keeps to loopback. */
  public App start(String host) {
    if (host == null) server.start(config.port());
    else server.start(host, config.port());
    worker.start();
    macroIds.start();
    webhookSecret.start();
    log.info(
        "Cancellation Desk listening on port {} ({} mode, {})",
        server.port(),
        config.mode().name().toLowerCase(),
        config);
    // Contract 8a: the checks run once at start-up, off the start-up path; failures are warnings.
    Thread checks = new Thread(status::runAndLog, "start-up checks");
    checks.setDaemon(true);
    checks.start();
    if (config.zendeskWebhookSecret().isEmpty())
      log.info(
          "ZENDESK_WEBHOOK_SECRET is not set: using the secret that provision stores in the database"
              + (config.live() ? ", or reading it from Zendesk" : ""));
    TrackingAdapters.warnings(config.trackingProvider()).forEach(log::warn);
    return this;
  }

  /**
   * A clean stop (SIGTERM runs this, issue 8 part 5): webhooks are answered 503 from now on, the
   * work queue stops taking work and lets what runs finish (up to 20 s), the background reads of
   * Zendesk end, then the server stops and the database closes last, so nothing runs against a
   * closed pool. Safe to call twice, from any thread: a second caller returns once the stop is
   * done.
   */
  public synchronized void stop() {
    if (stopped) return;
    stopped = true;
    stopping.begin();
    log.info("stopping: no more webhooks; letting running work finish");
    worker.stop();
    background.shutdownNow();
    try {
      if (!background.awaitTermination(5, TimeUnit.SECONDS))
        log.warn("a background read of Zendesk did not end within 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

  /** The suggested macros' ids, read in the background ({@code refresh()} reads them now). */
  public MacroIds macroIds() {
    return macroIds;
  }

  public Database database() {
    return database;
  }

  /** The unstarted server, for the {@code demo} command's extra pages. */
  public Javalin server() {
    return server;
  }
}
