package spark.desk.cases;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import spark.desk.store.InboxStore;

/**
 * Lets a request wait, bounded, for its queued input to be worked, without holding a database
 * connection meanwhile. Each request waits on its own inbox id: work done by this instance wakes
 * only the requests whose inputs it worked ({@link #signal}), with no database read. Only every
 * {@link #FALLBACK_CHECK} to twice that (at random, so waiters that came together do not read
 * together) does a waiter read its inbox row, for work another instance did; at most {@link
 * #FALLBACK_READERS} at once, a waiter that finds them busy reads next time. Thread-safe.
 */
final class WorkDone {
  /** How often a waiter reads its inbox row, in case another instance worked it. */
  static final Duration FALLBACK_CHECK = Duration.ofSeconds(1);

  /** Pooled connections the fallback reads take at most, however many requests wait. */
  static final int FALLBACK_READERS = 2;

  /**
   * Inputs worked before anyone waited for them (most have no waiter: webhooks) kept, newest, so a
   * request that registers just after the worker finished still sees it without a read.
   */
  private static final int UNCLAIMED_KEPT = 4096;

  private final Jdbi jdbi;
  private final InboxStore inbox;

  /** Per inbox id, completed once worked here; a waiter and {@link #signal} meet on one entry. */
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> worked = new ConcurrentHashMap<>();

  private final ConcurrentLinkedQueue<Long> unclaimed = new ConcurrentLinkedQueue<>();
  private final AtomicInteger unclaimedCount = new AtomicInteger();
  private final Semaphore readers = new Semaphore(FALLBACK_READERS);

  WorkDone(Jdbi jdbi, InboxStore inbox) {
    this.jdbi = jdbi;
    this.inbox = inbox;
  }

  /** These inputs are worked (committed): wakes the requests waiting for them, and no other. */
  void signal(List<Long> inboxIds) {
    for (long id : inboxIds) {
      boolean[] first = {false};
      CompletableFuture<Void> f =
          worked.computeIfAbsent(
              id,
              k -> {
                first[0] = true;
                return new CompletableFuture<>();
              });
      f.complete(null);
      if (first[0]) keepUnclaimed(id);
    }
  }

  private void keepUnclaimed(long id) {
    unclaimed.add(id);
    if (unclaimedCount.incrementAndGet() <= UNCLAIMED_KEPT) return;
    Long oldest = unclaimed.poll();
    if (oldest == null) return;
    unclaimedCount.decrementAndGet();
    CompletableFuture<Void> f = worked.get(oldest);
    // A waiter that took it meanwhile holds its own reference; removing the entry is harmless.
    if (f != null && f.isDone()) worked.remove(oldest, f);
  }

  /** True once the input is worked; false when {@code max} passed first. */
  boolean await(long inboxId, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    CompletableFuture<Void> done = worked.computeIfAbsent(inboxId, id -> new CompletableFuture<>());
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return done.isDone();
        try {
          long check = FALLBACK_CHECK.toNanos();
          done.get(
              Math.min(left, check + ThreadLocalRandom.current().nextLong(check)),
              TimeUnit.NANOSECONDS);
          return true;
        } catch (TimeoutException e) {
          if (deadline - System.nanoTime() <= 0) return false;
          // Not worked here (yet): another instance may have worked it.
          if (readers.tryAcquire()) {
            try {
              if (jdbi.withHandle(h -> inbox.processed(h, inboxId))) return true;
            } finally {
              readers.release();
            }
          }
        } catch (ExecutionException e) {
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    } finally {
      worked.remove(inboxId, done);
    }
  }
}
