package spark.desk.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.config.Config;
import spark.desk.config.ConfigException;
import spark.desk.ports.Ports;
import spark.desk.zendesk.Ticket;

/**
 * {@code demo [--speed N] [--port P] [--data DIR]}: the real service (engine, store, worker, pages)
 * on a fresh embedded database under {@code ./data/demo/}, with Zendesk, the order system and the
 * tracking service played in the process, on a clock {@code N} times faster than the wall's
 * (default 1,440: a working day in about a minute). It opens the demo tickets and prints the
 * address of its start page, on 127.0.0.1 only. Nothing reaches the outside world: the service's
 * configuration is the demo's own (the process environment is not read, like {@code simulate}), and
 * it refuses to start when the environment asks for the live service.
 */
public final class Demo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  static final double DEFAULT_SPEED = 1440;
  static final String DEFAULT_DATA = "data/demo";
  static final String LOOPBACK = "127.0.0.1";

  /** The command line's options. */
  public record Options(double speed, int port, Path data) {
    static Options parse(List<String> args) {
      double speed = DEFAULT_SPEED;
      int port = 8080;
      Path data = Path.of(DEFAULT_DATA);
      for (int i = 0; i < args.size(); i++) {
        String name = args.get(i);
        if (i + 1 >= args.size()) throw new ConfigException(name, "needs a value");
        String value = args.get(++i);
        try {
          switch (name) {
            case "--speed" -> speed = Double.parseDouble(value);
            case "--port" -> port = Integer.parseInt(value);
            case "--data" -> data = Path.of(value);
            default -> throw new ConfigException(name, "unknown option");
          }
        } catch (NumberFormatException e) {
          throw new ConfigException(name, "is not a number: " + value);
        }
      }
      if (!(speed >= 1 && speed <= 1_000_000))
        throw new ConfigException("--speed", "must be between 1 and 1000000");
      if (port < 0 || port > 65535) throw new ConfigException("--port", "must be 0 to 65535");
      return new Options(speed, port, data);
    }
  }

  private final Service app;
  private final DemoZendesk zendesk;
  private final DemoWorld world;
  private final ExecutorService trigger;
  private final ScheduledExecutorService ticker;
  private final String url;

  private Demo(
      Service app,
      DemoZendesk zendesk,
      DemoWorld world,
      ExecutorService trigger,
      ScheduledExecutorService ticker,
      String url) {
    this.app = app;
    this.zendesk = zendesk;
    this.world = world;
    this.trigger = trigger;
    this.ticker = ticker;
    this.url = url;
  }

  /** The command: starts the demo and leaves it running; exit code 0, or 2 for bad usage. */
  public static int run(
      List<String> args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Service.Factory service) {
    Demo demo;
    try {
      demo = start(Options.parse(args), env, service);
    } catch (ConfigException e) {
      err.println("demo: " + e.getMessage());
      err.println(
          "usage: java -jar cancellation-desk.jar demo [--speed N] [--port P] [--data DIR]");
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo shutdown"));
    out.println(
        "Cancellation Desk demo: open "
            + demo.url()
            + "  (one working day ≈ "
            + Math.round(Duration.ofDays(1).toSeconds() / demo.speed())
            + " s; Ctrl-C stops)");
    return 0;
  }

  /** Refuses an environment that asks for the real thing (exit 2 from {@link #run}). */
  static void refuseLive(Map<String, String> env) {
    String mode = env.getOrDefault("MODE", "").trim();
    if (mode.toLowerCase(Locale.ROOT).equals("live"))
      throw new ConfigException(
          "MODE", "is live: the demo plays Zendesk itself and never runs live; unset MODE");
    String zendesk = env.getOrDefault("ZENDESK_URL", "").trim();
    if (!zendesk.isEmpty() && !loopback(zendesk))
      throw new ConfigException(
          "ZENDESK_URL",
          "points at a real Zendesk ("
              + zendesk
              + "); the demo never talks to one: unset ZENDESK_URL to run it");
  }

  private static boolean loopback(String url) {
    try {
      String host = URI.create(url).getHost();
      if (host == null) return false;
      if (host.equalsIgnoreCase("localhost")) return true;
      if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) return false;
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  public static Demo start(Options options, Map<String, String> env, Service.Factory service) {
    refuseLive(env);
    quietLogs();
    int port = options.port() == 0 ? freePort() : options.port();
    Path data = options.data().toAbsolutePath().normalize();
    fresh(data);
    Instant start = firstWorkingMorning(LocalDate.now(ZoneOffset.UTC));
    FastClock clock = new FastClock(start, options.speed());
    String base = "http://" + LOOPBACK + ":" + port;
    Config config =
        Config.fromEnvironment(
            Map.ofEntries(
                Map.entry("PORT", Integer.toString(port)),
                Map.entry("DATABASE_URL", "jdbc:h2:file:" + data.resolve("cancellation-desk")),
                // Live, so the service writes its decisions; to the stand-in below, not over HTTP.
                Map.entry("MODE", "live"),
                Map.entry("ZENDESK_URL", base),
                Map.entry("ZENDESK_EMAIL", "demo@example.invalid"),
                Map.entry("ZENDESK_API_TOKEN", "demo-stand-in"),
                Map.entry("ZENDESK_WEBHOOK_SECRET", randomHex()),
                Map.entry("REFUND_GROUP_ID", "360000777"),
                Map.entry("SALES_RETURN_GROUP_ID", "360000888"),
                Map.entry("BUSINESS_TIMEZONE", "UTC")));
    DemoWorld world = new DemoWorld(start);
    DemoZendesk zendesk = new DemoZendesk(clock, config.macros());
    // Real time between due checks: ten minutes of the demo's, at least every 250 ms.
    Duration tick = clock.real(Duration.ofMinutes(10));
    if (tick.compareTo(Duration.ofMillis(250)) < 0) tick = Duration.ofMillis(250);
    Service app =
        service.create(
            config,
            db -> new Ports(world.orders(), world.tracking(clock), Optional.of(zendesk)),
            clock,
            tick);
    ExecutorService trigger = Executors.newSingleThreadExecutor(daemon("demo zendesk trigger"));
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(daemon("demo due checks"));
    try {
      DemoRoutes routes = new DemoRoutes(zendesk, world, app.cases(), app.tokens(), clock);
      routes.backend(base);
      routes.register(app.server());
      app.start(LOOPBACK);
      // db-scheduler polls every 2 s of real time; the fast clock needs its due checks oftener.
      ticker.scheduleWithFixedDelay(
          app.worker()::runDueAndSweep, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
      AtomicLong deliveries = new AtomicLong();
      zendesk.onChange(
          id ->
              trigger.execute(
                  () -> {
                    try {
                      Ticket t = zendesk.getTicket(id);
                      app.cases()
                          .acceptTicket(
                              Optional.of("demo-" + deliveries.incrementAndGet()), t, false);
                    } catch (RuntimeException e) {
                      log.warn("demo trigger for ticket {} failed: {}", id, e.toString());
                    }
                  }));
      clock.go();
      for (DemoWorld.DemoCase c : world.cases())
        zendesk.create(
            c.ticketId(), c.subject(), c.order().orderNumber(), Set.of("cancellation_request"));
    } catch (RuntimeException e) {
      ticker.shutdownNow();
      trigger.shutdownNow();
      app.stop();
      throw e;
    }
    return new Demo(app, zendesk, world, trigger, ticker, base + "/demo");
  }

  public String url() {
    return url;
  }

  public double speed() {
    return ((FastClock) app.cases().clock()).speed();
  }

  /** Calls the stand-ins answered: Zendesk's, and the order system's and tracking service's. */
  public long zendeskServed() {
    return zendesk.served();
  }

  public long ordersAndTrackingServed() {
    return world.served();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    trigger.shutdownNow();
    app.stop();
  }

  /** The demo's clock starts at 09:00 UTC of today, or of the next working day (Monday–Friday). */
  static Instant firstWorkingMorning(LocalDate today) {
    LocalDate d = today;
    while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY)
      d = d.plusDays(1);
    return d.atTime(9, 0).toInstant(ZoneOffset.UTC);
  }

  /** A fresh database each run: the previous demo's files go; nothing else in the folder. */
  private static void fresh(Path data) {
    try {
      // Readable by its owner only, like ./data (the demo's tokens are kept there too).
      if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
        Files.createDirectories(
            data,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      else Files.createDirectories(data);
      for (String f : List.of("cancellation-desk.mv.db", "cancellation-desk.trace.db"))
        Files.deleteIfExists(data.resolve(f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * slf4j-simple reads a logger's level when the logger is made: set before the service's classes
   * load. The start-up checks look for real Zendesk objects (the stand-in has none, so all would
   * fail), and the sweep's "inputs left waiting" fires on every tick at this speed.
   */
  private static void quietLogs() {
    for (String quiet :
        List.of("spark.desk.check.StatusRoutes", "spark.desk.runner.Worker", "io.javalin.Javalin"))
      if (System.getProperty("org.slf4j.simpleLogger.log." + quiet) == null)
        System.setProperty("org.slf4j.simpleLogger.log." + quiet, "error");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomHex() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
