package spark.desk.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import spark.desk.http.JsonHttp;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;

/**
 * JSON over HTTP for a tracking aggregator (EasyPost, AfterShip): its auth headers, its 429 waits
 * and its error bodies. A 429 whose wait (the vendor's {@code Retry-After} or rate-limit reset) is
 * at most {@link #MAX_INLINE_WAIT} is waited out and the call made once more; a longer one fails as
 * retryable, and the next tracking check comes later anyway. 401/403 fail as {@link
 * UpstreamException#status} says: the work waits for an operator to fix the key. Thread-safe.
 */
public final class VendorHttp {
  /** The longest 429 wait spent inside a lookup (the worker's thread, never a request thread). */
  public static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(5);

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** How long a 429 reply asks to wait, from its headers; empty when it does not say. */
  public interface RateLimitWait extends BiFunction<Headers, Clock, Optional<Duration>> {}

  /** Waits; tests may pass a sleeper that records instead. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
  }

  public record Reply(int status, JsonNode body) {}

  private final OkHttpClient client;
  private final String system;
  private final Map<String, String> headers;
  private final RateLimitWait waitOf;
  private final Function<JsonNode, String> errorText;
  private final Sleeper sleeper;
  private final ObjectMapper json = Json.mapper();

  /**
   * {@code errorText}: the vendor's own error message from an error body (for the failure's
   * message); {@code waitOf}: the vendor's 429 headers read as a wait.
   */
  public VendorHttp(
      OkHttpClient client,
      String system,
      Map<String, String> headers,
      RateLimitWait waitOf,
      Function<JsonNode, String> errorText,
      Sleeper sleeper) {
    this.client = client;
    this.system = system;
    this.headers = Map.copyOf(headers);
    this.waitOf = waitOf;
    this.errorText = errorText;
    this.sleeper = sleeper;
  }

  public String system() {
    return system;
  }

  /** GET; a 2xx or 404 reply is returned, anything else throws. */
  public Reply get(HttpUrl url) {
    return call(request(url).get().build(), true);
  }

  /** POST of a JSON body; a 2xx (or, with {@code okStatus}, that status) is returned. */
  public Reply post(HttpUrl url, Object body, int... okStatus) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return call(request(url).post(RequestBody.create(bytes, JSON)).build(), false, okStatus);
  }

  private Reply call(Request request, boolean notFoundIsData, int... okStatus) {
    return once(request, notFoundIsData, okStatus, true);
  }

  private Reply once(Request request, boolean notFoundIsData, int[] okStatus, boolean mayWait) {
    try (Response response = client.newCall(request).execute()) {
      int status = response.code();
      JsonNode body = parse(response);
      if (response.isSuccessful()
          || (status == 404 && notFoundIsData)
          || contains(okStatus, status)) return new Reply(status, body);
      String detail = errorText.apply(body);
      if (status == 429) {
        // The vendor's reset header is wall-clock time, so the wall clock reads it.
        Optional<Duration> wait = waitOf.apply(response.headers(), Clock.systemUTC());
        if (mayWait && wait.isPresent() && wait.get().compareTo(MAX_INLINE_WAIT) <= 0) {
          response.close();
          sleep(wait.get());
          return once(request, notFoundIsData, okStatus, false);
        }
        throw UpstreamException.status(
            system,
            429,
            "rate limited"
                + wait.map(w -> ", retry after " + Math.max(1, w.toSeconds()) + " s").orElse("")
                + (detail.isBlank() ? "" : " (" + detail + ")"));
      }
      if (status == 401 || status == 403)
        throw UpstreamException.status(
            system,
            status,
            "the API key was refused; the lookups wait for an operator to fix it"
                + (detail.isBlank() ? "" : " (" + detail + ")"));
      throw UpstreamException.status(system, status, detail);
    } catch (IOException e) {
      throw UpstreamException.transport(system, e);
    }
  }

  private void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UpstreamException.transport(system, e);
    }
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) if (x == v) return true;
    return false;
  }

  private Request.Builder request(HttpUrl url) {
    Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
    headers.forEach(b::header);
    return b;
  }

  private JsonNode parse(Response r) throws IOException {
    return JsonHttp.body(r, json, system);
  }

  /**
   * A vendor's time: an ISO instant or offset date-time; a local date-time or a date (carriers give
   * those) is read as UTC. Null when absent or unreadable.
   */
  public static Instant instant(String s) {
    if (s == null || s.isBlank()) return null;
    try {
      return OffsetDateTime.parse(s.trim()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s.trim()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        try {
          return LocalDate.parse(s.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e3) {
          return null;
        }
      }
    }
  }

  /** The value of a text field, or null when absent, null or blank. */
  public static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) return null;
    String s = v.asText();
    return s.isBlank() ? null : s;
  }
}
