package spark.desk.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The latest tracker pushed for each parcel, by tracking number (JSON as it was pushed). */
public final class TrackerStore {
  /** The latest tracker of a parcel; a concurrent push of the same parcel makes this an update. */
  public void saveTracker(Handle h, String trackingNumber, String state, Instant at) {
    if (updateTracker(h, trackingNumber, state, at) > 0) return;
    boolean inserted =
        UniqueInsert.attempt(
                h,
                () ->
                    h.createUpdate(
                            "insert into trackers (tracking_number, state, received_at) values (:tn, :s, :at)")
                        .bind("tn", trackingNumber)
                        .bind("s", state)
                        .bind("at", at)
                        .execute())
            .isPresent();
    if (!inserted) updateTracker(h, trackingNumber, state, at);
  }

  private static int updateTracker(Handle h, String trackingNumber, String state, Instant at) {
    return h.createUpdate(
            "update trackers set state = :s, received_at = :at where tracking_number = :tn")
        .bind("tn", trackingNumber)
        .bind("s", state)
        .bind("at", at)
        .execute();
  }

  public Optional<String> findTracker(Handle h, String trackingNumber) {
    return h.createQuery("select state from trackers where tracking_number = :tn")
        .bind("tn", trackingNumber)
        .mapTo(String.class)
        .findOne();
  }
}
