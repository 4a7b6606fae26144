package spark.desk.simulate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import spark.desk.tracking.Tracker;
import spark.desk.tracking.TrackingService;

/**
 * The tracking service of a scenario. A tracker shows, at the clock's moment, its last timeline
 * entry at or before it, with every entry so far as its events (a delivery after a return to sender
 * is then a parcel back at the sender, as in contract section 6). A parcel with no entry yet, or
 * none in the scenario, is unknown (404).
 */
final class ScenarioTracking implements TrackingService {
  private final Map<String, Scenario.TrackerTimeline> trackers;
  private final Clock clock;

  ScenarioTracking(List<Scenario.TrackerTimeline> trackers, Clock clock) {
    this.trackers =
        trackers.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Scenario.TrackerTimeline::trackingNumber, Function.identity()));
    this.clock = clock;
  }

  @Override
  public Optional<Tracker> findTracker(String trackingNumber, String carrier) {
    Scenario.TrackerTimeline t = trackers.get(trackingNumber);
    if (t == null) return Optional.empty();
    Instant now = clock.instant();
    List<Scenario.TrackerTimeline.Entry> seen =
        t.timeline().stream().filter(e -> !e.at().isAfter(now)).toList();
    if (seen.isEmpty()) return Optional.empty();
    Scenario.TrackerTimeline.Entry last = seen.get(seen.size() - 1);
    List<Tracker.Event> events =
        seen.stream()
            .map(
                e ->
                    new Tracker.Event(
                        e.status(),
                        e.description() == null ? e.status().replace('_', ' ') : e.description(),
                        e.at()))
            .toList();
    Instant deliveredAt = last.status().equals("delivered") ? last.at() : null;
    return Optional.of(
        new Tracker(
            trackingNumber,
            t.carrier() != null ? t.carrier() : carrier,
            last.status(),
            last.at(),
            deliveredAt,
            events));
  }
}
