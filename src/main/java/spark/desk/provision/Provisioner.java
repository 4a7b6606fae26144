package spark.desk.provision;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Brings a Zendesk account to what the service needs (contract section 8): reads what is there,
 * finds its own objects by exact name, creates what is missing and repairs what has drifted. It
 * never deletes, and writes nothing when everything matches or when it is a dry run. Each line of
 * {@code out} says what happened to one object; warnings go to {@code err}.
 */
final class Provisioner {
  /** Stands for the id of a webhook that a dry run would create. */
  static final String NEW_WEBHOOK_ID = "(new webhook)";

  private final ZendeskAdmin zendesk;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean dryRun;
  private final ProvisionState state;
  private final Duration poll;

  /** What provisioning keeps in the service's database (store/Settings in production). */
  interface ProvisionState {
    Optional<String> find(String name);

    void put(String name, String value);
  }

  static final String SECRET_SETTING = "ZENDESK_WEBHOOK_SECRET";
  static final String APP_PACKAGE_SETTING = "ZENDESK_APP_PACKAGE";
  static final String APP_SETTINGS_SETTING = "ZENDESK_APP_SETTINGS";
  private static final int MAX_POLLS = 120;

  Provisioner(
      ZendeskAdmin zendesk,
      PrintStream out,
      PrintStream err,
      boolean dryRun,
      ProvisionState state,
      Duration poll) {
    this.zendesk = zendesk;
    this.out = out;
    this.err = err;
    this.dryRun = dryRun;
    this.state = state;
    this.poll = poll;
  }

  /**
   * Contract section 8, in this order: macros, the webhook, its secret stored in the service's
   * database (so no delivery is signed with a secret the service does not know yet), then the
   * triggers, then the sidebar app.
   */
  void run(
      List<MacroSpec> macros,
      WebhookSpec webhook,
      List<TriggerPlan> triggers,
      Optional<AppSpec> app) {
    List<Macro> existingMacros = zendesk.macros();
    for (MacroSpec spec : macros) provisionMacro(spec, existingMacros);
    String webhookId = provisionWebhook(webhook);
    String secret = null;
    if (!dryRun) {
      secret = zendesk.signingSecret(webhookId);
      boolean known = state.find(SECRET_SETTING).filter(secret::equals).isPresent();
      if (!known) state.put(SECRET_SETTING, secret);
      out.println("webhook secret: " + (known ? "unchanged" : "stored in the service's database"));
    }
    List<Trigger> existingTriggers = zendesk.triggers();
    for (TriggerPlan trigger : triggers) provisionTrigger(trigger, webhookId, existingTriggers);
    app.ifPresent(this::provisionApp);
    if (secret != null) out.println("ZENDESK_WEBHOOK_SECRET=" + secret);
  }

  private void provisionApp(AppSpec spec) {
    String name = "app \"" + AppSpec.NAME + "\"";
    Optional<ZendeskApp.App> found =
        pick(
            name,
            zendesk.ownedApps(),
            a -> AppSpec.NAME.equals(a.name()),
            a -> true,
            ZendeskApp.App::id);
    long appId;
    if (found.isEmpty()) {
      report(name, "created", List.of("package " + spec.pkg().sha256().substring(0, 12)));
      if (dryRun) return;
      long upload = zendesk.uploadApp(spec.pkg().zip());
      appId = awaitBuild(zendesk.createApp(AppSpec.NAME, AppSpec.SHORT_DESCRIPTION, upload));
    } else {
      appId = found.get().id();
      String packageMark = appId + " " + spec.pkg().sha256();
      boolean same = state.find(APP_PACKAGE_SETTING).filter(packageMark::equals).isPresent();
      report(name, same ? "unchanged" : "updated", same ? List.of() : List.of("package"));
      if (!same && !dryRun) {
        long upload = zendesk.uploadApp(spec.pkg().zip());
        awaitBuild(zendesk.updateApp(appId, upload));
      }
    }
    if (dryRun) return;
    state.put(APP_PACKAGE_SETTING, appId + " " + spec.pkg().sha256());
    provisionInstallation(spec, appId);
  }

  private void provisionInstallation(AppSpec spec, long appId) {
    String name = "app installation \"" + AppSpec.NAME + "\"";
    List<ZendeskApp.Installation> mine =
        zendesk.installations().stream().filter(i -> i.appId() == appId).toList();
    if (mine.isEmpty()) {
      long id = zendesk.install(appId, spec.settings());
      state.put(APP_SETTINGS_SETTING, spec.settingsFingerprint(id));
      report(name, "created", List.of("backend_url " + spec.backendUrl()));
      return;
    }
    ZendeskApp.Installation installation = mine.get(0);
    List<String> reasons = new ArrayList<>();
    if (!spec.backendUrl().equals(String.valueOf(installation.settings().get("backend_url"))))
      reasons.add("backend_url");
    // Zendesk never shows the secure token back: what was sent last is known by its fingerprint.
    if (state
        .find(APP_SETTINGS_SETTING)
        .filter(spec.settingsFingerprint(installation.id())::equals)
        .isEmpty()) reasons.add("backend_token");
    if (!installation.enabled()) reasons.add("enabled");
    if (!reasons.isEmpty()) {
      zendesk.updateInstallation(installation.id(), spec.settings());
      state.put(APP_SETTINGS_SETTING, spec.settingsFingerprint(installation.id()));
    }
    report(name, reasons.isEmpty() ? "unchanged" : "repaired", reasons);
  }

  /** Polls the build job until Zendesk says completed; a failed build says why. */
  private long awaitBuild(String jobId) {
    for (int i = 0; i < MAX_POLLS; i++) {
      ZendeskApp.Job job = zendesk.appJob(jobId);
      if ("completed".equals(job.status()) && job.appId() != null) return job.appId();
      if ("failed".equals(job.status()))
        throw ZendeskFailures.unreadable(
            "building the app", "Zendesk could not build it: " + job.message());
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ZendeskFailures.unreachable("waiting for the app build", e);
      }
    }
    throw ZendeskFailures.unreadable("building the app", "job " + jobId + " did not finish");
  }

  private void provisionMacro(MacroSpec spec, List<Macro> existing) {
    String name = "macro \"" + spec.title() + "\"";
    Optional<Macro> found =
        pick(name, existing, m -> m.title().equals(spec.title()), Macro::active, Macro::id);
    if (found.isEmpty()) {
      if (!dryRun) zendesk.createMacro(spec.create());
      report(name, "created", List.of());
      return;
    }
    Macro macro = found.get();
    Optional<Change<Macro>> change = spec.repair(macro);
    change.ifPresent(
        c -> {
          if (!dryRun) zendesk.updateMacro(c.object());
        });
    report(
        name,
        change.isPresent() ? "repaired" : "unchanged",
        change.map(Change::reasons).orElse(List.of()));
    if (!macro.active())
      err.println(
          "warning: "
              + name
              + " is inactive in Zendesk; agents cannot apply it until an admin activates it");
    if (MacroSpec.replyIsPrivate(macro))
      err.println(
          "warning: "
              + name
              + " posts its reply as an internal note; the customer will not see it");
  }

  private String provisionWebhook(WebhookSpec spec) {
    String name = "webhook \"" + WebhookSpec.NAME + "\"";
    Optional<Webhook> found =
        pick(
            name,
            zendesk.findWebhooks(WebhookSpec.NAME),
            w -> WebhookSpec.NAME.equals(w.name()),
            w -> "active".equals(w.status()),
            Webhook::id);
    if (found.isEmpty()) {
      String id = dryRun ? NEW_WEBHOOK_ID : zendesk.createWebhook(spec.create()).id();
      report(name, "created", List.of(spec.endpoint()));
      return id;
    }
    Webhook webhook = found.get();
    Map<String, Object> changes = spec.changes(webhook);
    if (!changes.isEmpty() && !dryRun) zendesk.patchWebhook(webhook.id(), changes);
    report(name, changes.isEmpty() ? "unchanged" : "repaired", List.copyOf(changes.keySet()));
    return webhook.id();
  }

  private void provisionTrigger(TriggerPlan spec, String webhookId, List<Trigger> existing) {
    String name = "trigger \"" + spec.title() + "\"";
    Optional<Trigger> found =
        pick(name, existing, t -> t.title().equals(spec.title()), Trigger::active, Trigger::id);
    if (found.isEmpty()) {
      if (!dryRun) zendesk.createTrigger(spec.create(webhookId));
      report(name, "created", List.of());
      return;
    }
    Optional<Change<Trigger>> change = spec.repair(found.get(), webhookId);
    change.ifPresent(
        c -> {
          if (!dryRun) zendesk.updateTrigger(c.object());
        });
    report(
        name,
        change.isPresent() ? "repaired" : "unchanged",
        change.map(Change::reasons).orElse(List.of()));
  }

  /**
   * The object of that exact name. Zendesk does not keep names unique; with several, the active one
   * with the lowest id is ours, and the others are left alone.
   */
  private <T, K extends Comparable<K>> Optional<T> pick(
      String name, List<T> all, Predicate<T> named, Predicate<T> active, Function<T, K> id) {
    List<T> matches = all.stream().filter(named).toList();
    if (matches.size() > 1)
      err.println(
          "warning: "
              + matches.size()
              + " objects are called "
              + name
              + "; provisioning the first active one");
    return matches.stream()
        .min(
            Comparator.comparing((T t) -> !active.test(t))
                .thenComparing(id, Comparator.nullsLast(Comparator.naturalOrder())));
  }

  private void report(String name, String outcome, List<String> details) {
    String verb = dryRun && !outcome.equals("unchanged") ? "would be " + outcome : outcome;
    out.println(
        name + ": " + verb + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")"));
  }
}
