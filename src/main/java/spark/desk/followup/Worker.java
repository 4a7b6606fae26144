package spark.desk.followup;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.cases.CaseService;
import spark.desk.zendesk.WriteApplier;

/**
 * The durable work queue (db-scheduler, on the service's own database, cluster-safe with
 * heartbeats): works each ticket's inbox after intake, sends decided writes to Zendesk with
 * backoff, and every few seconds runs the due timers (follow-ups, tracking checks, lookup retries)
 * and sweeps up anything a crash left behind.
 */
public final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  static final Duration SWEEP_AGE = Duration.ofSeconds(10);

  private final CaseService cases;
  private final Optional<WriteApplier> writes;
  private final Scheduler scheduler;
  private final OneTimeTask<Long> inboxTask;
  private final OneTimeTask<Long> writesTask;
  private final java.util.List<Runnable> tickHooks =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public Worker(
      DataSource dataSource, CaseService cases, Optional<WriteApplier> writes, Duration tick) {
    this(dataSource, cases, writes, tick, null);
  }

  /**
   * {@code meters}: where db-scheduler's own meters go (its Micrometer stats registry), or null.
   */
  public Worker(
      DataSource dataSource,
      CaseService cases,
      Optional<WriteApplier> writes,
      Duration tick,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.cases = cases;
    this.writes = writes;
    this.inboxTask =
        Tasks.oneTime("ticket-inbox", Long.class)
            .onFailure(new CappedBackoff<>(Duration.ofSeconds(5), Duration.ofMinutes(30)))
            .execute((instance, ctx) -> cases.process(instance.getData()));
    this.writesTask =
        Tasks.oneTime("zendesk-writes", Long.class)
            .onFailure(new CappedBackoff<>(Duration.ofSeconds(5), Duration.ofMinutes(30)))
            .execute((instance, ctx) -> writes.ifPresent(w -> w.flush(instance.getData())));
    RecurringTask<Void> due =
        Tasks.recurring("due-checks", FixedDelay.of(tick))
            .execute((instance, ctx) -> runDueAndSweep());
    var builder = Scheduler.create(dataSource, inboxTask, writesTask);
    if (meters != null)
      builder.statsRegistry(
          new com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry(
              meters, java.util.List.of(inboxTask, writesTask, due)));
    this.scheduler =
        builder
            .startTasks(due)
            .threads(4)
            .pollingInterval(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofSeconds(5))
            .missedHeartbeatsLimit(4)
            .enableImmediateExecution()
            // Two instances on one host must not share a name in the scheduler's bookkeeping.
            .schedulerName(
                new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(
                    hostName() + "-" + UUID.randomUUID().toString().substring(0, 8)))
            .shutdownMaxWait(Duration.ofSeconds(5))
            .build();
    cases.onWork(this::scheduleWrites, this::scheduleInbox);
  }

  /**
   * Starts working; first picks up whatever a stopped or crashed instance left (the work is
   * idempotent).
   */
  public void start() {
    scheduler.start();
    sweep(cases.clock().instant().plusSeconds(1));
  }

  /** More work for every tick (e.g. the Shopify logistics channel's submissions). */
  public void alsoEveryTick(Runnable work) {
    tickHooks.add(work);
  }

  public void stop() {
    scheduler.stop();
  }

  public void scheduleInbox(long ticketId) {
    scheduler.schedule(
        inboxTask.instance("t" + ticketId + "-" + UUID.randomUUID(), ticketId), Instant.now());
  }

  public void scheduleWrites(long ticketId) {
    if (writes.isEmpty()) return;
    scheduler.scheduleIfNotExists(writesTask.instance("t" + ticketId, ticketId), Instant.now());
  }

  /**
   * One round of timers and sweeps; also called by tests and {@code simulate} after moving the
   * clock.
   */
  public void runDueAndSweep() {
    try {
      cases.runDue();
    } catch (RuntimeException e) {
      log.warn("due checks failed: {}", e.toString());
    }
    for (Runnable hook : tickHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("tick work failed: {}", e.toString());
      }
    }
    sweep(cases.clock().instant().minus(SWEEP_AGE));
  }

  private void sweep(Instant before) {
    try {
      for (long ticketId : cases.staleInbox(before)) {
        log.info("ticket {}: picking up inputs left waiting", ticketId);
        scheduler.scheduleIfNotExists(
            inboxTask.instance("t" + ticketId + "-sweep", ticketId), Instant.now());
      }
      // A flush task of a crashed instance stays "picked" until its heartbeat is declared dead: one
      // extra instance per ticket is safe because each write is sent under its row lock, and it
      // backs off on its own, so an outage does not multiply the calls.
      if (writes.isPresent()) {
        for (long ticketId : cases.pendingWrites(before)) {
          scheduler.scheduleIfNotExists(
              writesTask.instance("t" + ticketId + "-sweep", ticketId), Instant.now());
        }
      }
    } catch (RuntimeException e) {
      log.warn("sweep failed: {}", e.toString());
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "desk";
    }
  }

  /**
   * Doubles the wait after each failure, up to a ceiling; never gives up (nothing accepted is
   * lost).
   */
  static final class CappedBackoff<T> implements FailureHandler<T> {
    private final Duration first;
    private final Duration max;

    CappedBackoff(Duration first, Duration max) {
      this.first = first;
      this.max = max;
    }

    @Override
    public void onFailure(
        com.github.kagkarlsson.scheduler.task.ExecutionComplete complete,
        com.github.kagkarlsson.scheduler.task.ExecutionOperations<T> ops) {
      int failures = complete.getExecution().consecutiveFailures;
      long factor = 1L << Math.min(Math.max(failures - 1, 0), 16);
      Duration wait = first.multipliedBy(factor);
      if (wait.compareTo(max) > 0) wait = max;
      ops.reschedule(complete, complete.getTimeDone().plus(wait));
    }
  }
}
