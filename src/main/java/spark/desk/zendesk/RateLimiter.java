package spark.desk.zendesk;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Spaces calls evenly to stay under a budget of requests per minute: a backlog drains at the
 * budget's pace instead of running into 429s. No credit is saved up while idle, and the spacing is
 * a minute and {@link #MARGIN} divided by the budget, so the budget's n+1st call falls after the
 * minute that began with the first: no 60-second window (closed at both ends, and with up to {@code
 * MARGIN} of network jitter) sees more than the budget. The next free moment is kept in a {@link
 * Ledger}: in this process, or in the database so that several instances share the account's one
 * budget. Thread-safe; callers block in {@link #acquire()}.
 */
public final class RateLimiter {
  /** How the limiter waits; a test can record instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * Keeps the next free moment. {@code reserve} atomically moves it to {@code max(nextFree, now) +
   * interval} and returns the moment reserved for the caller (the old value, or now).
   */
  public interface Ledger {
    long reserve(long now, long interval);
  }

  /**
   * Slack per minute for requests reaching Zendesk a little unevenly. Without it, calls spaced at
   * exactly a minute over the budget put budget+1 calls in a closed 60-second window (the first and
   * the last at its two edges), and Zendesk may answer that one with a 429 (issue 8, part 3).
   */
  static final Duration MARGIN = Duration.ofMillis(250);

  private final long intervalNanos;
  private final LongSupplier now;
  private final Sleeper sleeper;
  private final Ledger ledger;

  public RateLimiter(int perMinute, LongSupplier now, Sleeper sleeper, Ledger ledger) {
    if (perMinute < 1) throw new IllegalArgumentException("perMinute must be at least 1");
    long minute = Duration.ofMinutes(1).plus(MARGIN).toNanos();
    this.intervalNanos = (minute + perMinute - 1) / perMinute;
    this.now = now;
    this.sleeper = sleeper;
    this.ledger = ledger;
  }

  /** A budget for this process alone. */
  public static RateLimiter local(int perMinute) {
    return new RateLimiter(perMinute, System::nanoTime, RateLimiter::sleep, new LocalLedger());
  }

  /**
   * The budget shared by every instance on this database (wall-clock time, as instances share no
   * other).
   */
  public static RateLimiter shared(int perMinute, Jdbi jdbi) {
    return new RateLimiter(
        perMinute,
        () -> System.currentTimeMillis() * 1_000_000L,
        RateLimiter::sleep,
        new DatabaseLedger(jdbi, "zendesk"));
  }

  /** Waits until one more call fits in the budget. */
  public void acquire() {
    long at = now.getAsLong();
    long slot = ledger.reserve(at, intervalNanos);
    long wait = slot - at;
    if (wait > 0) {
      try {
        sleeper.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Zendesk budget", e);
      }
    }
  }

  /**
   * Zendesk said to wait ({@code Retry-After}): no caller, of this instance or another on the same
   * ledger, is given a slot before then.
   */
  public void holdOff(Duration wait) {
    ledger.reserve(now.getAsLong() + wait.toNanos(), 0);
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }

  /** The next free moment in this process. */
  public static final class LocalLedger implements Ledger {
    private long nextFree = Long.MIN_VALUE;

    @Override
    public synchronized long reserve(long now, long interval) {
      long slot = Math.max(nextFree, now);
      nextFree = slot + interval;
      return slot;
    }
  }

  /** The next free moment in a database row, reserved under its row lock. */
  public static final class DatabaseLedger implements Ledger {
    private final Jdbi jdbi;
    private final String name;

    public DatabaseLedger(Jdbi jdbi, String name) {
      this.jdbi = jdbi;
      this.name = name;
    }

    @Override
    public long reserve(long now, long interval) {
      return jdbi.inTransaction(
          h -> {
            long nextFree =
                h.createQuery("select next_free_nanos from rate_budget where name = :n for update")
                    .bind("n", name)
                    .mapTo(Long.class)
                    .one();
            long slot = Math.max(nextFree, now);
            h.createUpdate("update rate_budget set next_free_nanos = :v where name = :n")
                .bind("v", slot + interval)
                .bind("n", name)
                .execute();
            return slot;
          });
    }
  }
}
