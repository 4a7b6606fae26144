package spark.desk.zendesk;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces calls evenly to stay under a budget of requests per minute: a backlog drains at the
 * budget's pace instead of running into 429s. No credit is saved up while idle, so no 60-second
 * window ever sees more than the budget plus one call. Thread-safe; callers block in {@link
 * #acquire()}.
 */
public final class RateLimiter {
  /** How the limiter waits; a test can record instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final long intervalNanos;
  private final long burstNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextFree;

  public RateLimiter(int perMinute) {
    this(perMinute, System::nanoTime, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
  }

  public RateLimiter(int perMinute, LongSupplier nanoTime, Sleeper sleeper) {
    if (perMinute < 1) throw new IllegalArgumentException("perMinute must be at least 1");
    this.intervalNanos = Duration.ofMinutes(1).toNanos() / perMinute;
    this.burstNanos = intervalNanos;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.nextFree = nanoTime.getAsLong() - burstNanos;
  }

  /** Waits until one more call fits in the budget. */
  public void acquire() {
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      nextFree = Math.max(nextFree, now - burstNanos) + intervalNanos;
      wait = nextFree - now;
    }
    if (wait > 0) {
      try {
        sleeper.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Zendesk budget", e);
      }
    }
  }
}
