package spark.desk.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import spark.desk.http.JsonHttp;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;

/**
 * Reads the signing secret of the webhook named {@code Cancellation Desk} from Zendesk: {@code GET
 * /api/v2/webhooks?filter[name_contains]=...} then {@code GET /api/v2/webhooks/{id}/signing_secret}
 * (Webhooks API,
 * developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/#show-webhook-signing-secret).
 * It runs in the background (no delivery waits for it), with the client's usual timeouts. Counts
 * against the shared budget.
 */
public final class SigningSecretReader implements Supplier<Optional<String>> {
  public static final String WEBHOOK_NAME = "Cancellation Desk";
  private final JsonHttp http;
  private final RateLimiter limiter;

  public SigningSecretReader(
      OkHttpClient client, URI base, String email, String apiToken, RateLimiter limiter) {
    String basic =
        Base64.getEncoder()
            .encodeToString((email + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
    this.http = new JsonHttp(client, "Zendesk", base, "Basic " + basic, Json.mapper());
    this.limiter = limiter;
  }

  @Override
  public Optional<String> get() {
    HttpUrl list =
        http.url("api/v2/webhooks")
            .addQueryParameter("filter[name_contains]", WEBHOOK_NAME)
            .build();
    String id = null;
    for (JsonNode w : ok(list).path("webhooks"))
      if (WEBHOOK_NAME.equals(w.path("name").asText())
          && (id == null || "active".equals(w.path("status").asText()))) id = w.path("id").asText();
    if (id == null) return Optional.empty();
    JsonNode secret =
        ok(http.url("api/v2/webhooks").addPathSegment(id).addPathSegment("signing_secret").build())
            .path("signing_secret")
            .path("secret");
    return secret.isTextual() && !secret.asText().isBlank()
        ? Optional.of(secret.asText())
        : Optional.empty();
  }

  private JsonNode ok(HttpUrl url) {
    limiter.acquire();
    JsonHttp.Reply reply = http.exchange("GET", url, null);
    if (reply.status() / 100 != 2)
      throw UpstreamException.status("Zendesk", reply.status(), "reading the webhook secret");
    return reply.body();
  }
}
