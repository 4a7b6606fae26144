package spark.desk;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import spark.desk.config.Config;
import spark.desk.config.ConfigException;
import spark.desk.http.JsonHttp;
import spark.desk.provision.Provision;
import spark.desk.simulate.Simulation;
import spark.desk.store.Database;
import spark.desk.store.Settings;
import spark.desk.web.Tokens;

/**
 * {@code java -jar cancellation-desk.jar [serve | provision [--dry-run] | simulate FILE | tokens]}.
 * Exit codes: 0 done, 1 failed, 2 bad configuration or usage.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0 || !(args.length == 0 || args[0].equals("serve") || args[0].equals("demo")))
      System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "serve" : args[0];
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    // simulate builds its own configuration: the scenario's variables, no real system.
    if (command.equals("simulate")) return Simulation.run(rest, out, err);
    // demo builds its own configuration too, and refuses an environment that asks for live.
    if (command.equals("demo")) return spark.desk.demo.Demo.run(rest, env, out, err, App::create);
    Config config;
    try {
      config = Config.fromEnvironment(env);
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 2;
    }
    try {
      return switch (command) {
        case "serve" -> serve(config);
        case "provision" -> Provision.run(config, JsonHttp.newClient(), rest, out, err);
        case "check" -> spark.desk.check.CheckCommand.run(config, out);
        case "tokens" -> tokens(config, out);
        case "-h", "--help", "help" -> usage(out, 0);
        default -> usage(err, 2);
      };
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    }
  }

  private static int serve(Config config) {
    // The process's one OkHttp client: every adapter, check and secret reader shares its pool.
    OkHttpClient http = JsonHttp.newClient();
    App app =
        App.create(
                config,
                db -> spark.desk.ports.Ports.production(config, http, db),
                Clock.systemUTC(),
                http)
            .start();
    stopOnSignals(app);
    // Any other way out (System.exit, SIGHUP) stops the service in a shutdown hook.
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
    return 0;
  }

  /**
   * SIGTERM and SIGINT run the whole stop sequence before the JVM begins to shut down, then exit
   * (128 + the signal's number, as the JVM would). Stopping inside a shutdown hook is not enough:
   * the JVM runs every hook at once, and H2's own hook closes the embedded database under work
   * still running ("Database is already closed"). H2 lets a URL turn that hook off with {@code
   * DB_CLOSE_ON_EXIT=FALSE}, but not together with {@code AUTO_SERVER=TRUE}, which the default URL
   * needs so that {@code tokens} can open the database beside the service. A JVM started with
   * {@code -Xrs} keeps its own handling: then only the shutdown hook stops the service.
   */
  private static void stopOnSignals(App app) {
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              app.stop();
              System.exit(128 + signal.getNumber());
            });
      } catch (IllegalArgumentException notAvailable) {
        // the shutdown hook still stops the service
      }
    }
  }

  private static int tokens(Config config, PrintStream out) {
    try (Database db = Database.open(config)) {
      Tokens t = Tokens.resolve(config, new Settings(db.jdbi()));
      out.println("APP_TOKEN=" + t.app());
      out.println("LOGISTICS_TOKEN=" + t.logistics());
      out.println("ADMIN_TOKEN=" + t.admin());
    }
    return 0;
  }

  private static int usage(PrintStream s, int code) {
    s.println(
        "usage: java -jar cancellation-desk.jar [serve | provision [--dry-run] [--skip-app] | check | simulate FILE | tokens | demo [--speed N] [--port P] [--data DIR]]");
    return code;
  }
}
