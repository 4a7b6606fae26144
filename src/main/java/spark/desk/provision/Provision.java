package spark.desk.provision;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import spark.desk.UpstreamException;
import spark.desk.config.Config;

/**
 * The {@code provision} sub-command (contract section 8): sets up the Zendesk account from the
 * configuration and prints the webhook's signing secret for {@code ZENDESK_WEBHOOK_SECRET}.
 */
public final class Provision {
  static final String USAGE = "usage: cancellation-desk provision [--dry-run]";
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
    boolean dryRun;
    if (args.isEmpty()) dryRun = false;
    else if (args.equals(List.of("--dry-run"))) dryRun = true;
    else {
      err.println("provision: unknown argument " + String.join(" ", args));
      err.println(USAGE);
      return BAD_CONFIGURATION;
    }
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
    TriggerSpec trigger = TriggerSpec.forConfig(config.cancellationTags(), config.orderFieldId());
    try (ZendeskAdmin zendesk =
        HttpZendeskAdmin.connect(
            http,
            config.zendeskUrl().orElseThrow(),
            config.zendeskEmail().orElseThrow(),
            config.zendeskApiToken().orElseThrow())) {
      new Provisioner(zendesk, out, err, dryRun)
          .run(MacroSpec.forConfig(config.macros()), webhook, trigger);
      return DONE;
    } catch (UpstreamException e) {
      err.println("provision: " + e.getMessage());
      return ZENDESK_REFUSED;
    }
  }
}
