package spark.desk.simulate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulation's time: it stands still until the run moves it, and it never goes back.
 * Single-threaded use.
 */
final class VirtualClock extends Clock {
  private Instant now;

  VirtualClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock to {@code at}; a moment already passed leaves it where it is. */
  void moveTo(Instant at) {
    if (at.isAfter(now)) now = at;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
