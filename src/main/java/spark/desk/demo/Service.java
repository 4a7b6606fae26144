package spark.desk.demo;

import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import spark.desk.cases.CaseService;
import spark.desk.config.Config;
import spark.desk.ports.Ports;
import spark.desk.runner.Worker;
import spark.desk.store.Database;
import spark.desk.web.Tokens;

/**
 * The running service as the demo drives it. The composition root ({@code App}) is one, and {@code
 * Main} hands in {@code App::create} as the {@link Factory}, so {@code demo/} never imports the
 * root package (issue 7).
 */
public interface Service {
  CaseService cases();

  Tokens tokens();

  Javalin server();

  Worker worker();

  Service start(String host);

  void stop();

  /** Builds an unstarted service on these stand-ins, clock and timer tick. */
  interface Factory {
    Service create(Config config, Function<Database, Ports> ports, Clock clock, Duration tick);
  }
}
