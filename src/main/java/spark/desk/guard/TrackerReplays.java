package spark.desk.guard;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import spark.desk.tracking.Tracker;

/**
 * Pushed trackers carry no id or timestamp of their own (contract section 6), so a signed push can
 * be replayed later (issue 14, part 8). A push replaces the stored tracker only when it is newer:
 * its latest time ({@code updatedAt}, the latest event, the delivery) is after the stored one's.
 */
public final class TrackerReplays {
  private TrackerReplays() {}

  public static boolean newer(Tracker stored, Tracker incoming) {
    if (stored == null) return true;
    Optional<Instant> was = asOf(stored);
    Optional<Instant> now = asOf(incoming);
    // Neither has a time: nothing to compare, the push is the current state (contract section 6).
    if (was.isEmpty()) return true;
    return now.isPresent() && now.get().isAfter(was.get());
  }

  /** The latest moment the tracker speaks of. */
  public static Optional<Instant> asOf(Tracker t) {
    return Stream.concat(
            Stream.of(t.updatedAt(), t.deliveredAt()),
            t.events().stream().map(Tracker.Event::occurredAt))
        .filter(java.util.Objects::nonNull)
        .max(Instant::compareTo);
  }
}
