package spark.desk.tracking;

import java.util.Optional;
import okhttp3.OkHttpClient;
import spark.desk.config.TrackingProvider;
import spark.desk.tracking.aftership.AfterShipTrackingService;
import spark.desk.tracking.easypost.EasyPostTrackingService;

/** The aggregator adapter {@code TRACKING_PROVIDER} chooses; empty for the generic service. */
public final class TrackingAdapters {
  private TrackingAdapters() {}

  public static Optional<TrackingService> of(TrackingProvider p, OkHttpClient http) {
    return switch (p.kind()) {
      case HTTP -> Optional.empty();
      case EASYPOST ->
          Optional.of(
              new EasyPostTrackingService(http, p.easypostUrl(), p.easypostApiKey().orElseThrow()));
      case AFTERSHIP ->
          Optional.of(
              new AfterShipTrackingService(
                  http, p.aftershipUrl(), p.aftershipApiKey().orElseThrow()));
    };
  }
}
