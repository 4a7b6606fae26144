package spark.desk.tracking;

import java.util.Optional;

/**
 * The parcel tracking service. Thread-safe. Reads, except that an aggregator adapter (EasyPost,
 * AfterShip) registers a parcel it does not know yet so that it pushes from then on; that is
 * idempotent (the next call finds the parcel). Throws {@link spark.desk.shared.UpstreamException}
 * when the service cannot answer.
 */
public interface TrackingService {
  /** The tracker, or empty when the service does not know the parcel (404). */
  Optional<Tracker> findTracker(String trackingNumber, String carrier);

  /**
   * Proves that the service answers with these credentials without registering anything (the {@code
   * tracking} check, contract 8a), and says how. By default a lookup of {@code madeUpNumber}, which
   * must be a clean "not found"; an aggregator, whose lookup would register the parcel, reads its
   * list of trackers instead.
   */
  default String probe(String madeUpNumber) {
    return findTracker(madeUpNumber, "UPS").isEmpty() ? "a made-up number is not found" : "answers";
  }
}
