package spark.desk.runner;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of a ticket's inbox: the tickets whose inputs were just stored, worked by this
 * process's own threads, each ticket by one thread at a time.
 *
 * <p>The inputs themselves are already durable (the inbox rows, written before the reply), so this
 * queue only has to be quick: it keeps nothing that a crash could lose. A ticket it never got to
 * (the process stopped, or the queue was full) is found by the worker's sweep among the inbox rows
 * still waiting, and worked as a db-scheduler task; a ticket whose work fails is handed to that
 * durable task too, with its backoff. Before this queue each input cost a db-scheduler execution: a
 * row inserted, picked and deleted, three commits and a poll per input.
 *
 * <p>A ticket offered while it is queued is not queued twice (the run reads every waiting input);
 * offered while it runs, it runs once more afterwards, so no input waits for the sweep.
 */
final class InboxQueue {
  private static final Logger log = LoggerFactory.getLogger(InboxQueue.class);

  /** Past this many tickets waiting here, further tickets go to the durable queue directly. */
  static final int MAX_WAITING = 10_000;

  private enum State {
    QUEUED,
    RUNNING,
    AGAIN
  }

  private final ConcurrentHashMap<Long, State> tickets = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ThreadPoolExecutor threads;
  private final LongConsumer work;
  private final LongConsumer failed;

  /**
   * {@code work}: works the ticket's waiting inputs (throws when they must be tried again later);
   * {@code failed}: hands a ticket whose work threw to the durable queue.
   */
  InboxQueue(int threadCount, LongConsumer work, LongConsumer failed) {
    this.work = work;
    this.failed = failed;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            threadCount,
            threadCount,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "inbox-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.allowCoreThreadTimeOut(true);
  }

  /**
   * Queues the ticket; false when this queue does not take it (stopping, or full): the caller
   * queues it durably instead.
   */
  boolean offer(long ticketId) {
    if (threads.isShutdown()) return false;
    boolean[] taken = {true};
    tickets.compute(
        ticketId,
        (id, state) -> {
          if (state == null) {
            if (waiting.get() >= MAX_WAITING) {
              taken[0] = false;
              return null;
            }
            if (!submit(id)) {
              taken[0] = false;
              return null;
            }
            return State.QUEUED;
          }
          return state == State.QUEUED ? State.QUEUED : State.AGAIN;
        });
    return taken[0];
  }

  /** Whether the ticket is waiting or running here (the sweep leaves it alone). */
  boolean holds(long ticketId) {
    return tickets.containsKey(ticketId);
  }

  private boolean submit(long ticketId) {
    try {
      waiting.incrementAndGet();
      threads.execute(() -> run(ticketId));
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      waiting.decrementAndGet();
      return false;
    }
  }

  private void run(long ticketId) {
    waiting.decrementAndGet();
    tickets.computeIfPresent(ticketId, (id, state) -> State.RUNNING);
    boolean ok = false;
    try {
      work.accept(ticketId);
      ok = true;
    } catch (RuntimeException e) {
      log.info("ticket {}: inputs not worked yet, retried shortly: {}", ticketId, e.toString());
    } finally {
      boolean again = ok && done(ticketId);
      if (!ok) {
        tickets.remove(ticketId);
        failed.accept(ticketId);
      } else if (again && !offer(ticketId)) failed.accept(ticketId);
    }
  }

  /** Ends the ticket's run; true when it was offered again meanwhile. */
  private boolean done(long ticketId) {
    boolean[] again = {false};
    tickets.computeIfPresent(
        ticketId,
        (id, state) -> {
          again[0] = state == State.AGAIN;
          return null;
        });
    return again[0];
  }

  /**
   * Takes no more tickets; tickets not started stay in the inbox for the sweep of the next start
   * (or of another instance). The runs in progress go on: {@link #awaitRuns} waits for them.
   */
  void close() {
    java.util.List<Runnable> notStarted = new java.util.ArrayList<>();
    threads.getQueue().drainTo(notStarted);
    threads.shutdown();
    tickets.clear(); // none is waiting here any more; a run in progress still ends normally
    if (!notStarted.isEmpty())
      log.info("{} tickets' inputs left to the next start's sweep", notStarted.size());
  }

  /** Waits at most {@code maxWaitMillis} for the runs in progress after {@link #close}. */
  void awaitRuns(long maxWaitMillis) {
    try {
      if (!threads.awaitTermination(maxWaitMillis, TimeUnit.MILLISECONDS))
        log.warn("inbox work still running after {} ms", maxWaitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
