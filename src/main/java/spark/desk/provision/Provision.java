package spark.desk.provision;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import spark.desk.config.Config;
import spark.desk.shared.UpstreamException;
import spark.desk.store.Database;
import spark.desk.store.Settings;
import spark.desk.web.Tokens;

/**
 * The {@code provision} sub-command (contract section 8): sets up the Zendesk account from the
 * configuration and prints the webhook's signing secret for {@code ZENDESK_WEBHOOK_SECRET}.
 */
public final class Provision {
  static final String USAGE = "usage: cancellation-desk provision [--dry-run] [--skip-app]";
  static final int DONE = 0;
  static final int ZENDESK_REFUSED = 1;
  static final int BAD_CONFIGURATION = 2;

  private Provision() {}

  /**
   * Runs the sub-command. {@code args} are the words after {@code provision}. Returns the exit
   * code: 0 done, 1 Zendesk refused something (the message on {@code err} says what), 2 bad
   * configuration or arguments.
   */
  public static int run(
      Config config, OkHttpClient http, List<String> args, PrintStream out, PrintStream err) {
    return run(config, http, args, out, err, Duration.ofSeconds(2));
  }

  /** {@code poll}: how often the app's build job is asked about. */
  static int run(
      Config config,
      OkHttpClient http,
      List<String> args,
      PrintStream out,
      PrintStream err,
      Duration poll) {
    List<String> unknown =
        args.stream().filter(a -> !a.equals("--dry-run") && !a.equals("--skip-app")).toList();
    if (!unknown.isEmpty()) {
      err.println("provision: unknown argument " + String.join(" ", unknown));
      err.println(USAGE);
      return BAD_CONFIGURATION;
    }
    boolean dryRun = args.contains("--dry-run");
    boolean skipApp = args.contains("--skip-app");
    List<String> missing = new ArrayList<>();
    if (config.publicUrl().isEmpty())
      missing.add("PUBLIC_URL (the service's address as Zendesk reaches it)");
    if (config.zendeskUrl().isEmpty()) missing.add("ZENDESK_URL");
    if (config.zendeskEmail().isEmpty()) missing.add("ZENDESK_EMAIL");
    if (config.zendeskApiToken().isEmpty()) missing.add("ZENDESK_API_TOKEN");
    if (!missing.isEmpty()) {
      missing.forEach(variable -> err.println("provision: " + variable + " is required"));
      return BAD_CONFIGURATION;
    }
    if (config.orderFieldId().isEmpty())
      err.println(
          "warning: ZENDESK_ORDER_FIELD_ID is not set: the trigger sends an empty order_number,"
              + " and the service reads the order number from the subject and description");
    if (dryRun) out.println("Dry run: the plan only, nothing is written to Zendesk.");

    WebhookSpec webhook =
        WebhookSpec.forPublicUrl(config.publicUrl().map(URI::toString).orElseThrow());
    List<TriggerPlan> triggers =
        List.of(
            new TaggingTriggerSpec(config.cancellationKeywords(), config.firstCancellationTag()),
            TriggerSpec.forConfig(config.cancellationTags(), config.orderFieldId()));
    URI publicUrl = config.publicUrl().orElseThrow();
    // The same database as the service: the secret and the app's state are handed over there.
    try (Database db = Database.open(config);
        ZendeskAdmin zendesk =
            HttpZendeskAdmin.connect(
                http,
                config.zendeskUrl().orElseThrow(),
                config.zendeskEmail().orElseThrow(),
                config.zendeskApiToken().orElseThrow())) {
      Settings settings = new Settings(db.jdbi());
      Optional<AppSpec> app =
          skipApp
              ? Optional.empty()
              : Optional.of(
                  new AppSpec(
                      AppPackage.forHost(publicUrl.getHost()),
                      publicUrl.toString(),
                      Tokens.resolve(config, settings).app()));
      Provisioner.ProvisionState state =
          new Provisioner.ProvisionState() {
            @Override
            public Optional<String> find(String name) {
              return settings.find(name);
            }

            @Override
            public void put(String name, String value) {
              settings.put(name, value);
            }
          };
      new Provisioner(zendesk, out, err, dryRun, state, poll)
          .run(MacroSpec.forConfig(config.macros()), webhook, triggers, app);
      spark.desk.logistics.shopify.ShopifyProvision.run(config, out, dryRun);
      return DONE;
    } catch (UpstreamException e) {
      err.println("provision: " + e.getMessage());
      return ZENDESK_REFUSED;
    }
  }
}
