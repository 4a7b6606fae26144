package spark.desk.tracking;

import java.util.Optional;

/**
 * The parcel tracking service. Thread-safe. Reads, except that an aggregator adapter (EasyPost,
 * AfterShip) registers a parcel it does not know yet so that it pushes from then on; that is
 * idempotent (the next call finds the parcel). Throws {@link spark.desk.UpstreamException} when the
 * service cannot answer.
 */
public interface TrackingService {
  /** The tracker, or empty when the service does not know the parcel (404). */
  Optional<Tracker> findTracker(String trackingNumber, String carrier);
}
