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

  /**
   * At most this much of the budget's time is reserved from the ledger at once (a slice of
   * consecutive slots that this process hands out itself): a budget of more than 600 a minute does
   * not cost one ledger transaction per call. Slots keep their spacing; one whose time has passed
   * unused is skipped, never spent late, so no window sees more calls than with one slot per
   * reservation. Below 600 a minute a slice is a single slot (as without slices).
   */
  static final Duration SLICE = Duration.ofMillis(100);

  private final long intervalNanos;
  private final LongSupplier now;
  private final Sleeper sleeper;
  private final Ledger ledger;
  private final long slotsPerSlice;
  // The slots of the current slice not yet handed out: [sliceNext, sliceEnd), intervalNanos apart.
  private long sliceNext;
  private long sliceEnd;

  public RateLimiter(int perMinute, LongSupplier now, Sleeper sleeper, Ledger ledger) {
    if (perMinute < 1) throw new IllegalArgumentException("perMinute must be at least 1");
    long minute = Duration.ofMinutes(1).plus(MARGIN).toNanos();
    this.intervalNanos = (minute + perMinute - 1) / perMinute;
    this.now = now;
    this.sleeper = sleeper;
    this.ledger = ledger;
    this.slotsPerSlice = Math.max(1, SLICE.toNanos() / intervalNanos);
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
    long slot = reserve(at);
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
    synchronized (this) {
      sliceEnd = sliceNext; // the rest of this process's slice falls before the wait: dropped
    }
    ledger.reserve(now.getAsLong() + wait.toNanos(), 0);
  }

  /**
   * The caller's slot: the next one of this process's slice not yet past, or a new slice's first.
   */
  private synchronized long reserve(long at) {
    if (sliceNext < sliceEnd) {
      long skip = sliceNext >= at ? 0 : (at - sliceNext + intervalNanos - 1) / intervalNanos;
      long slot = sliceNext + skip * intervalNanos;
      if (slot < sliceEnd) {
        sliceNext = slot + intervalNanos;
        return slot;
      }
    }
    long first = ledger.reserve(at, slotsPerSlice * intervalNanos);
    sliceNext = first + intervalNanos;
    sliceEnd = first + slotsPerSlice * intervalNanos;
    return first;
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
