package spark.desk.tracking.aftership;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import spark.desk.shared.UpstreamException;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;
import spark.desk.tracking.VendorHttp;

/**
 * AfterShip Tracking, API 2026-07 (contract section 6b): header {@code as-api-key}; {@code GET
 * /tracking/2026-07/trackings?tracking_numbers=N&slug=S} (the versioned APIs have no GET by slug
 * and number), and when AfterShip has none, {@code POST /tracking/2026-07/trackings} once, after
 * which AfterShip pushes. Requests and replies follow AfterShip/tracking-sdk-nodejs {@code
 * src/api/Tracking.ts}: replies are {@code {"meta": {"code", "type", "message"}, "data": ...}}. A
 * 429 waits {@code Retry-After} or the {@code X-RateLimit-Reset} epoch second
 * (aftership.com/docs/tracking/quickstart/rate-limit). Thread-safe.
 */
public final class AfterShipTrackingService implements TrackingService {
  static final String SYSTEM = "AfterShip";
  static final String VERSION = "2026-07";

  private final VendorHttp http;
  private final HttpUrl trackings;

  public AfterShipTrackingService(OkHttpClient client, URI base, String apiKey) {
    this(client, base, apiKey, VendorHttp.Sleeper.REAL);
  }

  public AfterShipTrackingService(
      OkHttpClient client, URI base, String apiKey, VendorHttp.Sleeper sleeper) {
    this.http =
        new VendorHttp(
            client,
            SYSTEM,
            Map.of("as-api-key", apiKey),
            AfterShipTrackingService::rateLimitWait,
            body -> {
              JsonNode meta = body.path("meta");
              String type = VendorHttp.text(meta, "type");
              String message = VendorHttp.text(meta, "message");
              if (type == null && message == null) return "";
              return (type == null ? "" : type + ": ") + (message == null ? "" : message);
            },
            sleeper);
    this.trackings =
        HttpUrl.get(base.toString())
            .newBuilder()
            .addPathSegments("tracking/" + VERSION + "/trackings")
            .build();
  }

  /** Lists one tracking: read-only, so the check never creates a tracking. */
  @Override
  public String probe(String madeUpNumber) {
    http.get(trackings.newBuilder().addQueryParameter("limit", "1").build());
    return "the trackings list answers";
  }

  @Override
  public Optional<Tracker> findTracker(String trackingNumber, String carrier) {
    String slug = AfterShipTrackings.slug(carrier);
    Optional<Tracker> found = lookup(trackingNumber, slug);
    if (found.isPresent()) return found;
    VendorHttp.Reply created = create(trackingNumber, slug);
    if (created.status() == 400 || created.status() == 422) {
      // A slug AfterShip does not know (our carrier name is not its courier code): without a
      // slug AfterShip detects the courier itself (contract 6b).
      slug = null;
      created = create(trackingNumber, null);
      if (created.status() == 400 || created.status() == 422)
        throw UpstreamException.status(
            SYSTEM, created.status(), "refused to track " + trackingNumber);
    }
    // 409: created meanwhile (another instance, or a create whose reply was lost): read it.
    if (created.status() == 409) return lookup(trackingNumber, slug);
    JsonNode data = created.body().path("data");
    JsonNode tracking = data.has("tracking") ? data.path("tracking") : data;
    return Optional.of(AfterShipTrackings.toTracker(tracking));
  }

  private VendorHttp.Reply create(String trackingNumber, String slug) {
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("tracking_number", trackingNumber);
    if (slug != null) create.put("slug", slug);
    return http.post(trackings, create, 400, 409, 422);
  }

  private Optional<Tracker> lookup(String trackingNumber, String slug) {
    HttpUrl.Builder url =
        trackings.newBuilder().addQueryParameter("tracking_numbers", trackingNumber);
    if (slug != null) url.addQueryParameter("slug", slug);
    VendorHttp.Reply r = http.get(url.build());
    if (r.status() == 404) return Optional.empty();
    return StreamSupport.stream(r.body().path("data").path("trackings").spliterator(), false)
        .filter(t -> trackingNumber.equals(VendorHttp.text(t, "tracking_number")))
        .findFirst()
        .map(AfterShipTrackings::toTracker);
  }

  private static Optional<Duration> rateLimitWait(Headers h, Clock clock) {
    String retryAfter = h.get("Retry-After");
    if (retryAfter != null) {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim()))));
      } catch (NumberFormatException e) {
        // fall through to the reset header
      }
    }
    String reset = h.get("X-RateLimit-Reset");
    if (reset == null) return Optional.empty();
    try {
      Duration d =
          Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
