package spark.desk.provision;

import java.util.List;
import java.util.Map;

/**
 * The Zendesk admin API calls that provisioning makes. Every call is one request (lists follow
 * their pages); nothing is retried. A failure is an {@link spark.desk.shared.UpstreamException}
 * whose message says what was attempted. Not thread-safe: one provisioning run uses one instance
 * and closes it.
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

  /** {@code GET /api/v2/apps/owned}: the account's own (private) apps. */
  List<ZendeskApp.App> ownedApps();

  /** {@code POST /api/v2/apps/uploads} (multipart {@code uploaded_data}); answers the upload id. */
  long uploadApp(byte[] zip);

  /** {@code POST /api/v2/apps}: starts building a new private app; answers the job id. */
  String createApp(String name, String shortDescription, long uploadId);

  /** {@code PUT /api/v2/apps/{id}} with a new {@code upload_id}; answers the job id. */
  String updateApp(long appId, long uploadId);

  ZendeskApp.Job appJob(String jobId);

  List<ZendeskApp.Installation> installations();

  /** {@code POST /api/v2/apps/installations}; answers the new installation's id. */
  long install(long appId, Map<String, Object> settings);

  /** {@code PUT /api/v2/apps/installations/{id}}: the settings given replace those named. */
  void updateInstallation(long installationId, Map<String, Object> settings);

  @Override
  void close();
}
