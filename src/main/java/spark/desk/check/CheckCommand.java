package spark.desk.check;

import java.io.PrintStream;
import java.util.List;
import okhttp3.OkHttpClient;
import spark.desk.App;
import spark.desk.config.Config;
import spark.desk.http.JsonHttp;
import spark.desk.store.Database;
import spark.desk.store.Settings;
import spark.desk.webhook.WebhookSecret;

/**
 * The {@code check} sub-command (contract 8a): the same configuration as {@code serve}, one line
 * per check, exit 0 when none failed, 1 when one did (2, bad configuration, comes from Main).
 */
public final class CheckCommand {
  private CheckCommand() {}

  public static int run(Config config, PrintStream out) {
    OkHttpClient http = JsonHttp.newClient();
    try (Database db = Database.open(config)) {
      App.Ports ports = App.Ports.production(config, http, db);
      Settings settings = new Settings(db.jdbi());
      Checks checks =
          ServiceChecks.forService(
              config,
              http,
              ports.orders(),
              ports.tracking(),
              () ->
                  config
                      .zendeskWebhookSecret()
                      .or(() -> settings.find(WebhookSecret.SETTING))
                      .map(s -> "known"));
      List<CheckResult> results = checks.run();
      results.forEach(r -> out.println(r.line()));
      return results.stream().anyMatch(CheckResult::failed) ? 1 : 0;
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
