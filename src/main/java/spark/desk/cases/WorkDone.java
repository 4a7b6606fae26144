package spark.desk.cases;

import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import spark.desk.store.InboxStore;

/**
 * Lets a request wait, bounded, for its queued input to be worked, without holding a database
 * connection meanwhile: it is woken when this instance finishes work and checks the inbox row
 * (briefly) at least every 200 ms, in case another instance worked it.
 */
final class WorkDone {
  private static final long CHECK_NANOS = Duration.ofMillis(200).toNanos();

  private final Jdbi jdbi;
  private final InboxStore inbox;
  private final Object monitor = new Object();

  WorkDone(Jdbi jdbi, InboxStore inbox) {
    this.jdbi = jdbi;
    this.inbox = inbox;
  }

  void signal() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** True once the input is worked; false when {@code max} passed first. */
  boolean await(long inboxId, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      if (jdbi.withHandle(h -> inbox.processed(h, inboxId))) return true;
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      synchronized (monitor) {
        try {
          long wait = Math.min(left, CHECK_NANOS);
          monitor.wait(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }
}
