package spark.desk.provision;

import java.util.List;
import java.util.Map;

/**
 * The Zendesk admin API calls that provisioning makes. Every call is one request (lists follow
 * their pages); nothing is retried. A failure is an {@link spark.desk.UpstreamException} whose
 * message says what was attempted. Not thread-safe: one provisioning run uses one instance and
 * closes it.
 */
interface ZendeskAdmin extends AutoCloseable {
  List<Macro> macros();

  Macro createMacro(Macro macro);

  /** Sends the whole macro; Zendesk replaces its actions with these. */
  Macro updateMacro(Macro macro);

  List<Trigger> triggers();

  Trigger createTrigger(Trigger trigger);

  /** Sends the whole trigger; Zendesk replaces its conditions and actions with these. */
  Trigger updateTrigger(Trigger trigger);

  /** Webhooks whose name contains {@code name}; the caller picks the exact match. */
  List<Webhook> findWebhooks(String name);

  Webhook createWebhook(Webhook webhook);

  /** A JSON merge patch of the given webhook fields; fields not named stay as they are. */
  void patchWebhook(String id, Map<String, Object> changes);

  String signingSecret(String webhookId);

  @Override
  void close();
}
