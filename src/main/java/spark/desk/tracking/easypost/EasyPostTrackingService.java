package spark.desk.tracking.easypost;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;
import spark.desk.tracking.VendorHttp;

/**
 * EasyPost trackers (contract section 6b; docs.easypost.com/docs/trackers): HTTP Basic with the API
 * key as user name; {@code GET /v2/trackers?tracking_code=N&carrier=C}, and when EasyPost has none,
 * {@code POST /v2/trackers} once, after which EasyPost pushes its updates ({@code tracker.updated}
 * events). EasyPost itself returns the original tracker for a repeated create of the same code and
 * carrier within three months, so a create that races another is harmless. Errors are {@code
 * {"error": {"code", "message"}}}; a 429 carries no documented wait header
 * (docs.easypost.com/guides/rate-limiting-guide asks for backoff), so a {@code Retry-After}, when
 * present, is honoured and otherwise one second is waited. Thread-safe.
 */
public final class EasyPostTrackingService implements TrackingService {
  static final String SYSTEM = "EasyPost";

  private final VendorHttp http;
  private final HttpUrl base;

  public EasyPostTrackingService(OkHttpClient client, URI base, String apiKey) {
    this(client, base, apiKey, VendorHttp.Sleeper.REAL);
  }

  public EasyPostTrackingService(
      OkHttpClient client, URI base, String apiKey, VendorHttp.Sleeper sleeper) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        "Authorization",
        "Basic "
            + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8)));
    this.http =
        new VendorHttp(
            client,
            SYSTEM,
            headers,
            (h, clock) ->
                Optional.of(
                    Optional.ofNullable(h.get("Retry-After"))
                        .flatMap(EasyPostTrackingService::seconds)
                        .orElse(Duration.ofSeconds(1))),
            body -> {
              JsonNode e = body.path("error");
              String code = VendorHttp.text(e, "code");
              String message = VendorHttp.text(e, "message");
              if (code == null && message == null) return "";
              return (code == null ? "" : code + ": ") + (message == null ? "" : message);
            },
            sleeper);
    this.base = HttpUrl.get(base.toString());
  }

  /** Lists one tracker: read-only, so the check never creates (and pays for) a tracker. */
  @Override
  public String probe(String madeUpNumber) {
    HttpUrl url =
        base.newBuilder()
            .addPathSegments("v2/trackers")
            .addQueryParameter("page_size", "1")
            .build();
    http.get(url);
    return "the trackers list answers";
  }

  @Override
  public Optional<Tracker> findTracker(String trackingNumber, String carrier) {
    HttpUrl.Builder url =
        base.newBuilder()
            .addPathSegments("v2/trackers")
            .addQueryParameter("tracking_code", trackingNumber);
    if (carrier != null) url.addQueryParameter("carrier", carrier);
    VendorHttp.Reply listed = http.get(url.build());
    if (listed.status() != 404) {
      Optional<JsonNode> found =
          StreamSupport.stream(listed.body().path("trackers").spliterator(), false)
              .filter(t -> trackingNumber.equals(VendorHttp.text(t, "tracking_code")))
              .filter(
                  t ->
                      carrier == null
                          || VendorHttp.text(t, "carrier") == null
                          || carrier.equalsIgnoreCase(VendorHttp.text(t, "carrier")))
              .max(Comparator.comparing(t -> String.valueOf(VendorHttp.text(t, "updated_at"))));
      if (found.isPresent()) return Optional.of(EasyPostTrackers.toTracker(found.get()));
    }
    Map<String, Object> tracker = new LinkedHashMap<>();
    tracker.put("tracking_code", trackingNumber);
    if (carrier != null) tracker.put("carrier", carrier);
    VendorHttp.Reply created =
        http.post(
            base.newBuilder().addPathSegments("v2/trackers").build(), Map.of("tracker", tracker));
    return Optional.of(EasyPostTrackers.toTracker(created.body()));
  }

  private static Optional<Duration> seconds(String v) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
