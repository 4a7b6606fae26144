package spark.desk.cases;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import spark.desk.store.InboxStore;

/**
 * Lets a request wait, bounded, for its queued input to be worked, without holding a database
 * connection meanwhile. Each waiter waits on its own inbox id: work done by this instance wakes
 * only the requests whose inputs it worked ({@link #signal}). The inbox row is read (briefly) at
 * the start and then only every {@link #FALLBACK_CHECK}, for work another instance did.
 * Thread-safe.
 */
final class WorkDone {
  /** How often a waiter looks at its inbox row, in case another instance worked it. */
  static final Duration FALLBACK_CHECK = Duration.ofMillis(1500);

  private final Jdbi jdbi;
  private final InboxStore inbox;
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> waiting =
      new ConcurrentHashMap<>();

  WorkDone(Jdbi jdbi, InboxStore inbox) {
    this.jdbi = jdbi;
    this.inbox = inbox;
  }

  /** These inputs are worked (committed): wakes the requests waiting for them, and no other. */
  void signal(List<Long> inboxIds) {
    for (long id : inboxIds) {
      CompletableFuture<Void> f = waiting.remove(id);
      if (f != null) f.complete(null);
    }
  }

  /** True once the input is worked; false when {@code max} passed first. */
  boolean await(long inboxId, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    // Registered before the first look, so a signal between the two is not missed.
    CompletableFuture<Void> done =
        waiting.computeIfAbsent(inboxId, id -> new CompletableFuture<>());
    try {
      while (true) {
        if (done.isDone() || jdbi.withHandle(h -> inbox.processed(h, inboxId))) return true;
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        try {
          done.get(Math.min(left, FALLBACK_CHECK.toNanos()), TimeUnit.NANOSECONDS);
          return true;
        } catch (TimeoutException e) {
          // Not signalled here: look at the row (another instance may have worked it).
        } catch (ExecutionException e) {
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    } finally {
      waiting.remove(inboxId, done);
    }
  }
}
