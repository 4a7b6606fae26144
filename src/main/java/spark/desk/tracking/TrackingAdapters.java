package spark.desk.tracking;

import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import spark.desk.config.TrackingProvider;
import spark.desk.tracking.aftership.AfterShipTrackingService;
import spark.desk.tracking.easypost.EasyPostTrackingService;

/** The aggregator adapter {@code TRACKING_PROVIDER} chooses; empty for the generic service. */
public final class TrackingAdapters {
  private TrackingAdapters() {}

  /** What an operator should know at start-up about the chosen provider's pushes. */
  public static List<String> warnings(TrackingProvider p) {
    return switch (p.kind()) {
      case HTTP -> List.of();
      case EASYPOST ->
          p.easypostWebhookSecret().isPresent()
              ? List.of()
              : List.of(
                  "EASYPOST_WEBHOOK_SECRET is not set: EasyPost events will be refused and parcels"
                      + " are only polled");
      case AFTERSHIP ->
          p.aftershipWebhookSecret().isPresent()
              ? List.of()
              : List.of(
                  "AFTERSHIP_WEBHOOK_SECRET is not set: AfterShip webhooks will be refused and"
                      + " parcels are only polled");
    };
  }

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
