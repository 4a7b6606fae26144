package spark.desk.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import spark.desk.config.Config;
import spark.desk.config.ConfigException;
import spark.desk.shared.DeskException;
import spark.desk.shared.Json;

/**
 * {@code simulate FILE} (contract section 9): runs a scenario through the real engine and store on
 * a virtual clock and prints the trace, one JSON line per Zendesk update the service decides, on
 * standard output (logs go to standard error). Exit codes: 0 done, 1 the run failed, 2 bad usage, a
 * malformed scenario or bad configuration.
 */
public final class Simulation {
  private Simulation() {}

  /**
   * Variables that point at real systems, the server or secrets: a simulation uses none of them.
   */
  static final Set<String> REAL_SYSTEMS =
      Set.of(
          "PORT",
          "PUBLIC_URL",
          "DATABASE_URL",
          "DATABASE_USER",
          "DATABASE_PASSWORD",
          "MODE",
          "ZENDESK_URL",
          "ZENDESK_EMAIL",
          "ZENDESK_API_TOKEN",
          "ZENDESK_WEBHOOK_SECRET",
          "ZENDESK_ORDER_FIELD_ID",
          "ORDERS_URL",
          "ORDERS_TOKEN",
          "TRACKING_URL",
          "TRACKING_TOKEN",
          "TRACKING_WEBHOOK_SECRET",
          "LOGISTICS_TOKEN",
          "APP_TOKEN",
          "ADMIN_TOKEN");

  /**
   * The section 2 variables a scenario's {@code config} may set (the real-system ones are ignored).
   */
  static final Set<String> VARIABLES =
      Stream.concat(
              REAL_SYSTEMS.stream(),
              Stream.of(
                  "ZENDESK_RATE_LIMIT_RPM",
                  "CANCELLATION_TAGS",
                  "ORDER_NUMBER_PATTERN",
                  "REFUND_GROUP_ID",
                  "SALES_RETURN_GROUP_ID",
                  "TRACKING_POLL_INTERVAL",
                  "TRACKING_WATCH_LIMIT",
                  "BUSINESS_TIMEZONE",
                  "BUSINESS_DAYS",
                  "BUSINESS_HOLIDAYS",
                  "FOLLOWUP_TIME",
                  "CLOSE_WHEN_ORDER_KEPT",
                  "MACRO_NOT_SHIPPED",
                  "MACRO_SHIPPED",
                  "MACRO_DELIVERED",
                  "MACRO_KEEP_OR_RETURN"))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** {@code args}: the scenario file. The process environment is not read. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    quietLogging();
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      err.println("usage: java -jar cancellation-desk.jar simulate FILE");
      return 2;
    }
    Path file = Path.of(args.get(0));
    Scenario scenario;
    Config config;
    try {
      scenario = Scenario.parse(Files.readString(file));
      config = config(scenario.config(), err);
    } catch (IOException e) {
      err.println("simulate: cannot read " + file + ": " + e);
      return 2;
    } catch (ScenarioException | ConfigException e) {
      err.println("simulate: " + file + ": " + e.getMessage());
      return 2;
    }
    ObjectMapper json = Json.mapper();
    try (ScenarioRun run = new ScenarioRun(scenario, config, err)) {
      run.run(line -> out.println(line.toJson(json)));
    } catch (ScenarioException e) {
      out.flush();
      err.println("simulate: " + file + ": " + e.getMessage());
      return 2;
    } catch (DeskException e) {
      out.flush();
      err.println("simulate: " + file + ": the run failed: " + e.getMessage());
      return 1;
    }
    out.flush();
    return 0;
  }

  /**
   * The scenario's variables alone (the process environment is not read, so a scenario gives the
   * same trace on every machine), without anything that points at a real system: an in-memory
   * database of the run's own, and no Zendesk, order or tracking address.
   */
  static Config config(Map<String, String> scenario, PrintStream err) {
    Map<String, String> merged = new HashMap<>();
    for (var e : scenario.entrySet()) {
      if (!VARIABLES.contains(e.getKey()))
        throw new ScenarioException(
            "config." + e.getKey() + ": not a configuration variable (contract section 2)");
      if (REAL_SYSTEMS.contains(e.getKey())) {
        err.println(
            "simulate: config." + e.getKey() + " is ignored: a simulation uses no real system");
        continue;
      }
      merged.put(e.getKey(), e.getValue());
    }
    merged.put("DATABASE_URL", ScenarioRun.databaseUrl());
    merged.put("MODE", "shadow");
    try {
      return Config.fromEnvironment(merged);
    } catch (ConfigException e) {
      String problem = e.getMessage().substring(e.variable().length()).strip();
      throw new ScenarioException("config." + e.variable() + ": " + problem);
    }
  }

  /**
   * Standard output carries the trace only: slf4j-simple writes to standard error, and below
   * warnings nothing at all, unless the caller chose otherwise. Set before the first logger exists.
   */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null)
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null)
      System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }
}
