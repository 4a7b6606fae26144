package spark.desk.provision;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A Zendesk webhook (Webhooks API) with the fields provisioning manages. Authentication and custom
 * headers are neither read nor written: the webhook is verified by its signature, not by them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record Webhook(
    String id,
    String name,
    String status,
    String endpoint,
    @JsonProperty("http_method") String httpMethod,
    @JsonProperty("request_format") String requestFormat,
    List<String> subscriptions) {
  Webhook {
    subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
  }
}
