package spark.desk.orders.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import spark.desk.config.ShopifyConfig;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;

/**
 * The Admin API access token. Either a lasting one ({@code SHOPIFY_ACCESS_TOKEN}, an app made in
 * the Shopify admin), or one obtained through the client credentials grant for a Dev Dashboard app
 * (shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant:
 * {@code POST {shop}/admin/oauth/access_token} with {@code grant_type=client_credentials}, {@code
 * client_id}, {@code client_secret}; the answer's {@code access_token} lasts {@code expires_in}
 * seconds, 24 hours). Thread-safe.
 */
public interface ShopifyToken {
  String get();

  /** Shopify refused the token (401): a grant token is fetched anew; false when it cannot be. */
  default boolean refresh() {
    return false;
  }

  static ShopifyToken of(String token) {
    return () -> token;
  }

  static ShopifyToken forConfig(OkHttpClient client, ShopifyConfig config) {
    if (config.accessToken().isPresent()) return of(config.accessToken().get());
    return new ClientCredentials(
        client,
        config.url().orElseThrow(),
        config.clientId().orElseThrow(),
        config.clientSecret().orElseThrow(),
        Clock.systemUTC());
  }

  /** Tokens from the client credentials grant, kept until shortly before they expire. */
  final class ClientCredentials implements ShopifyToken {
    static final Duration MARGIN = Duration.ofMinutes(5);

    private final OkHttpClient client;
    private final HttpUrl endpoint;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    ClientCredentials(
        OkHttpClient client, URI shop, String clientId, String clientSecret, Clock clock) {
      this.client = client;
      this.endpoint =
          HttpUrl.get(shop.toString())
              .newBuilder()
              .addPathSegments("admin/oauth/access_token")
              .build();
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      this.clock = clock;
    }

    @Override
    public synchronized String get() {
      if (token == null || !clock.instant().isBefore(renewAt)) fetch();
      return token;
    }

    @Override
    public synchronized boolean refresh() {
      token = null;
      return true;
    }

    private void fetch() {
      Request request =
          new Request.Builder()
              .url(endpoint)
              .header("Accept", "application/json")
              .post(
                  new FormBody.Builder()
                      .add("grant_type", "client_credentials")
                      .add("client_id", clientId)
                      .add("client_secret", clientSecret)
                      .build())
              .build();
      try (Response r = client.newCall(request).execute()) {
        String text = r.body() == null ? "" : r.body().string();
        if (!r.isSuccessful())
          throw UpstreamException.status(
              ShopifyGraphql.SYSTEM,
              r.code(),
              "the client credentials grant was refused (is the app installed on the shop?)");
        JsonNode body = Json.mapper().readTree(text);
        String fresh = body.path("access_token").asText("");
        if (fresh.isBlank())
          throw new UpstreamException(
              ShopifyGraphql.SYSTEM, r.code(), false, "the grant answered no access_token", null);
        long seconds = body.path("expires_in").asLong(3600);
        token = fresh;
        renewAt = clock.instant().plusSeconds(seconds).minus(MARGIN);
      } catch (IOException e) {
        throw UpstreamException.transport(ShopifyGraphql.SYSTEM, e);
      }
    }
  }
}
