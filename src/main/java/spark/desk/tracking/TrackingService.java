package spark.desk.tracking;

import java.util.Optional;

/**
 * The parcel tracking service. Thread-safe; reads only. Throws {@link spark.desk.UpstreamException}
 * when the service cannot answer.
 */
public interface TrackingService {
  /** The tracker, or empty when the service does not know the parcel (404). */
  Optional<Tracker> findTracker(String trackingNumber, String carrier);
}
