package spark.desk.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo's time: starts at a chosen moment and runs {@code speed} times faster than the wall
 * clock (1,440: a day in a minute). Everything that reads the service's clock (the SOP's
 * follow-ups, tracking polls, db-scheduler's due checks through {@code Worker.runDueAndSweep}) sees
 * it.
 */
final class FastClock extends Clock {
  private final Instant start;
  private volatile long startNanos = -1;
  private final double speed;

  FastClock(Instant start, double speed) {
    if (!(speed >= 1)) throw new IllegalArgumentException("speed must be at least 1");
    this.start = start;
    this.speed = speed;
  }

  /** Time stands at the start until the demo is up (the service's start-up takes real seconds). */
  void go() {
    if (startNanos < 0) startNanos = System.nanoTime();
  }

  /** How long the wall clock takes for {@code virtual} to pass. */
  Duration real(Duration virtual) {
    return Duration.ofNanos((long) (virtual.toNanos() / speed));
  }

  double speed() {
    return speed;
  }

  @Override
  public Instant instant() {
    long from = startNanos;
    if (from < 0) return start;
    long elapsed = System.nanoTime() - from;
    return start.plusNanos((long) (elapsed * speed));
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
