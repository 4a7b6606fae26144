package spark.desk.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import spark.desk.shared.UpstreamException;
import spark.desk.store.Durability;

/**
 * JSON over HTTP for one outside system: the shared OkHttp client, its authorization header, and
 * the translation of transport errors and non-2xx replies into {@link UpstreamException} naming the
 * system. Thread-safe.
 */
public final class JsonHttp {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient client;
  private final String system;
  private final HttpUrl base;
  private final String authorization;
  private final ObjectMapper json;

  public JsonHttp(
      OkHttpClient client, String system, URI base, String authorization, ObjectMapper json) {
    this.client = client;
    this.system = system;
    this.base = HttpUrl.get(base.toString());
    this.authorization = authorization;
    this.json = json;
  }

  /**
   * The shared client: short timeouts, so a hanging system fails fast and is retried later. A
   * request that may change the other system (any method but GET and HEAD) leaves only once what
   * the service knows is in its database file ({@link Durability#sync()}): a crash right after it
   * cannot forget that it was sent.
   */
  public static OkHttpClient newClient() {
    return new OkHttpClient.Builder()
        .addInterceptor(
            chain -> {
              String method = chain.request().method();
              if (!method.equals("GET") && !method.equals("HEAD")) syncBeforeSending();
              return chain.proceed(chain.request());
            })
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(15))
        .writeTimeout(Duration.ofSeconds(15))
        .callTimeout(Duration.ofSeconds(30))
        .retryOnConnectionFailure(false)
        .build();
  }

  private static void syncBeforeSending() throws IOException {
    try {
      Durability.sync();
    } catch (RuntimeException e) {
      // An IOException, so that each caller treats it as the transport failure it is: not sent.
      throw new IOException("not sent: " + e.getMessage(), e);
    }
  }

  public HttpUrl.Builder url(String... segments) {
    HttpUrl.Builder b = base.newBuilder();
    for (String s : segments) b.addPathSegments(s);
    return b;
  }

  /** GET; empty on 404. */
  public Optional<JsonNode> getOptional(HttpUrl url) {
    return execute(request(url).get().build(), true).map(Reply::body);
  }

  /** A reply with its status, for callers that treat some statuses as data (409, 429). */
  public record Reply(int status, JsonNode body, String retryAfter) {}

  /** Sends and returns the reply whatever its status; only transport failures throw. */
  public Reply exchange(String method, HttpUrl url, Object body) {
    Request.Builder rb = request(url);
    if (body == null) rb.method(method, null);
    else rb.method(method, RequestBody.create(write(body), JSON));
    try (Response r = client.newCall(rb.build()).execute()) {
      return new Reply(r.code(), parse(r), r.header("Retry-After"));
    } catch (IOException e) {
      throw UpstreamException.transport(system, e);
    }
  }

  private Optional<Reply> execute(Request request, boolean notFoundIsEmpty) {
    try (Response r = client.newCall(request).execute()) {
      if (r.code() == 404 && notFoundIsEmpty) return Optional.empty();
      if (!r.isSuccessful()) throw UpstreamException.status(system, r.code(), snippet(r));
      return Optional.of(new Reply(r.code(), parse(r), r.header("Retry-After")));
    } catch (IOException e) {
      throw UpstreamException.transport(system, e);
    }
  }

  private Request.Builder request(HttpUrl url) {
    Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
    if (authorization != null) b.header("Authorization", authorization);
    return b;
  }

  private JsonNode parse(Response r) throws IOException {
    return body(r, json, system);
  }

  /**
   * A reply's body as JSON: a null node when it is empty, or when an error reply is not JSON; a 2xx
   * reply that is not JSON fails as not retryable, naming {@code system}.
   */
  public static JsonNode body(Response r, ObjectMapper json, String system) throws IOException {
    String text = r.body() == null ? "" : r.body().string();
    if (text.isBlank()) return json.nullNode();
    try {
      return json.readTree(text);
    } catch (IOException e) {
      if (r.isSuccessful())
        throw new UpstreamException(
            system, r.code(), false, "answered something that is not JSON", e);
      return json.nullNode();
    }
  }

  private byte[] write(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String snippet(Response r) throws IOException {
    String s = r.body() == null ? "" : r.body().string();
    s = s.replaceAll("\\s+", " ").trim();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  public <T> T convert(JsonNode node, Class<T> type) {
    try {
      return json.treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new UpstreamException(
          system, 200, false, "answered a body we cannot read: " + e.getMessage(), e);
    }
  }
}
