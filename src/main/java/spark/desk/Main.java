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
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
    return 0;
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
