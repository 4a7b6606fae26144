package spark.desk.provision;

import java.io.PrintStream;
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

  Provisioner(ZendeskAdmin zendesk, PrintStream out, PrintStream err, boolean dryRun) {
    this.zendesk = zendesk;
    this.out = out;
    this.err = err;
    this.dryRun = dryRun;
  }

  void run(List<MacroSpec> macros, WebhookSpec webhook, TriggerSpec trigger) {
    List<Macro> existingMacros = zendesk.macros();
    for (MacroSpec spec : macros) provisionMacro(spec, existingMacros);
    String webhookId = provisionWebhook(webhook);
    provisionTrigger(trigger, webhookId);
    if (!dryRun) out.println("ZENDESK_WEBHOOK_SECRET=" + zendesk.signingSecret(webhookId));
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

  private void provisionTrigger(TriggerSpec spec, String webhookId) {
    String name = "trigger \"" + TriggerSpec.TITLE + "\"";
    Optional<Trigger> found =
        pick(
            name,
            zendesk.triggers(),
            t -> t.title().equals(TriggerSpec.TITLE),
            Trigger::active,
            Trigger::id);
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
