package spark.desk.provision;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** Records of Zendesk's Apps API (developer.zendesk.com/api-reference/ticketing/apps/apps/). */
final class ZendeskApp {
  private ZendeskApp() {}

  /** One app the account owns ({@code GET /api/v2/apps/owned}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record App(long id, String name) {}

  /**
   * A build job ({@code GET /api/v2/apps/job_statuses/{id}}): {@code status} is queued, working,
   * completed or failed; {@code message} says why a build failed.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Job(String id, String status, String message, @JsonProperty("app_id") Long appId) {}

  /**
   * An installation ({@code GET /api/v2/apps/installations}). Zendesk does not return secure
   * settings (the {@code backend_token}), so provisioning remembers what it sent in its database.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Installation(
      long id, @JsonProperty("app_id") long appId, boolean enabled, Map<String, Object> settings) {
    Installation {
      settings = settings == null ? Map.of() : settings;
    }
  }
}
