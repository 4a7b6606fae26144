package spark.desk.tracking;

import java.net.URI;
import java.util.Optional;
import okhttp3.OkHttpClient;
import spark.desk.http.JsonHttp;
import spark.desk.shared.Json;

/**
 * The tracking service over HTTP: {@code GET {TRACKING_URL}/trackers/{number}?carrier=C} (contract
 * section 6).
 */
public final class HttpTrackingService implements TrackingService {
  private final JsonHttp http;

  public HttpTrackingService(OkHttpClient client, URI base, String token) {
    this.http =
        new JsonHttp(
            client,
            "tracking service",
            base,
            token == null ? null : "Bearer " + token,
            Json.mapper());
  }

  @Override
  public Optional<Tracker> findTracker(String trackingNumber, String carrier) {
    var url = http.url("trackers").addPathSegment(trackingNumber);
    if (carrier != null) url.addQueryParameter("carrier", carrier);
    return http.getOptional(url.build()).map(node -> http.convert(node, Tracker.class));
  }
}
