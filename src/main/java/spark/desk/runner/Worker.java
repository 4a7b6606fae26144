package spark.desk.runner;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.cases.CaseService;
import spark.desk.store.Retention;
import spark.desk.store.StoredWrite;

/**
 * The work queue: each ticket's inbox is worked after intake on this process's own threads ({@link
 * InboxQueue}), with the durable queue (db-scheduler, on the service's own database, cluster-safe
 * with heartbeats) as its fallback and for retries; decided writes are sent to Zendesk with
 * backoff; each case's timers (lookup retry, step-3 follow-up, tracking check, watch limit) run as
 * its own task instance keyed by ticket, so a slow call delays only its own case (a timer far off
 * is set by the sweep once due, see {@link #NEAR}). Every tick a light sweep re-queues what a crash
 * left behind (waiting inputs, unsent writes, overdue cases without a timer). Once a day the
 * retention pass runs as a task of its own. Tests and {@code simulate} run due timers
 * deterministically with {@link #runDueAndSweep}.
 */
public final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  static final Duration SWEEP_AGE = Duration.ofSeconds(10);
  static final int THREADS = 32;
  static final Duration FIRST_RETRY = Duration.ofSeconds(5);

  /** The name of the recurring retention task in db-scheduler's table. */
  public static final String RETENTION_TASK = "retention";

  /**
   * Once a day, at a quiet hour (UTC); a run missed while no instance was up is made up at the next
   * start.
   */
  public static final Schedule RETENTION_SCHEDULE =
      Schedules.daily(java.time.ZoneOffset.UTC, java.time.LocalTime.of(3, 0));

  private final CaseService cases;
  private final Optional<WriteApplier> writes;
  private final Scheduler scheduler;
  private final OneTimeTask<Long> inboxTask;
  private final InboxQueue inbox;
  private final OneTimeTask<Long> writesTask;
  private final Task<Long> timerTask;
  private final java.util.concurrent.ScheduledExecutorService leases =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lease-renewal");
            t.setDaemon(true);
            return t;
          });
  private final java.util.List<Runnable> tickHooks =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public Worker(
      DataSource dataSource, CaseService cases, Optional<WriteApplier> writes, Duration tick) {
    this(dataSource, cases, writes, tick, null, Optional.empty());
  }

  /**
   * {@code meters}: where db-scheduler's own meters go (its Micrometer stats registry), or null;
   * {@code retention}: the daily pass of contract 2's {@code RETENTION}, run as the durable
   * recurring task {@value #RETENTION_TASK} ({@link #RETENTION_SCHEDULE}): db-scheduler gives each
   * run to one instance of all those on the database.
   */
  public Worker(
      DataSource dataSource,
      CaseService cases,
      Optional<WriteApplier> writes,
      Duration tick,
      io.micrometer.core.instrument.MeterRegistry meters,
      Optional<Retention> retention) {
    this.cases = cases;
    this.writes = writes;
    this.inboxTask =
        Tasks.oneTime("ticket-inbox", Long.class)
            .onFailure(new CappedBackoff<>(FIRST_RETRY, Duration.ofMinutes(30)))
            .execute(
                (instance, ctx) ->
                    withWritesSent(instance.getData(), () -> cases.process(instance.getData())));
    this.inbox =
        new InboxQueue(
            THREADS,
            ticketId -> withWritesSent(ticketId, () -> cases.process(ticketId)),
            ticketId -> scheduleInboxDurably(ticketId, Instant.now().plus(FIRST_RETRY)));
    this.writesTask =
        Tasks.oneTime("zendesk-writes", Long.class)
            .onFailure(new CappedBackoff<>(FIRST_RETRY, Duration.ofMinutes(30)))
            .execute((instance, ctx) -> writes.ifPresent(w -> w.flush(instance.getData())));
    this.timerTask =
        Tasks.custom("case-timer", Long.class)
            .onFailure(new CappedBackoff<>(FIRST_RETRY, Duration.ofMinutes(30)))
            .execute(
                (instance, ctx) -> {
                  long ticketId = instance.getData();
                  withWritesSent(ticketId, () -> cases.runDue(ticketId));
                  // The case's next timer, as it stands after this run (a decision made meanwhile
                  // may have moved it): the same instance, rescheduled, or removed.
                  Optional<Instant> next = cases.find(ticketId).map(c -> c.nextDueAt());
                  return (complete, ops) -> {
                    if (next.isPresent()) ops.reschedule(complete, schedulerTime(next.get()));
                    else ops.remove();
                  };
                });
    RecurringTask<Void> sweep =
        // Named as the recurring task of earlier releases, which ran every timer in turn: a
        // database upgraded in place has that row, and keeps it.
        Tasks.recurring("due-checks", FixedDelay.of(tick))
            .execute(
                (instance, ctx) -> {
                  runTickHooks();
                  sweep(cases.clock().instant().minus(SWEEP_AGE));
                });
    java.util.List<RecurringTask<Void>> recurring = new java.util.ArrayList<>();
    recurring.add(sweep);
    retention.ifPresent(
        r ->
            recurring.add(
                Tasks.recurring(RETENTION_TASK, RETENTION_SCHEDULE)
                    // A failed pass (database away) is tried again soon, not only tomorrow.
                    .onFailure(new CappedBackoff<>(Duration.ofMinutes(5), Duration.ofHours(6)))
                    .execute((instance, ctx) -> r.run())));
    var builder = Scheduler.create(dataSource, inboxTask, writesTask, timerTask);
    if (meters != null) {
      java.util.List<Task<?>> metered =
          new java.util.ArrayList<>(java.util.List.of(inboxTask, writesTask, timerTask));
      metered.addAll(recurring);
      builder.statsRegistry(
          new com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry(meters, metered));
    }
    this.scheduler =
        builder
            .startTasks(recurring)
            // Work holds no database connection while an outside system answers (look, then lock),
            // so threads are cheap: a slow order system delays only the cases waiting on it.
            .threads(THREADS)
            .pollingInterval(Duration.ofSeconds(2))
            .heartbeatInterval(Duration.ofSeconds(5))
            // An execution is declared dead (and run again elsewhere) after 60 s without a
            // heartbeat: a process paused for less (GC, a frozen VM, SIGSTOP) keeps its work. A
            // longer pause makes db-scheduler revive the work while the paused run completes
            // ("Expected one execution to be removed, but removed 0" when the first finishes):
            // both runs are safe, as every task is idempotent and a Zendesk update is sent under
            // its own lease (WriteApplier).
            .missedHeartbeatsLimit(12)
            .enableImmediateExecution()
            // Two instances on one host must not share a name in the scheduler's bookkeeping.
            .schedulerName(
                new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(
                    hostName() + "-" + UUID.randomUUID().toString().substring(0, 8)))
            // A clean stop lets running work finish (issue 8, part 5).
            .shutdownMaxWait(STOP_WAIT)
            .build();
    cases.onWork(this::writesDecided, this::scheduleInbox);
    cases.onTimer(this::scheduleTimer);
  }

  /**
   * Starts working; first picks up whatever a stopped or crashed instance left (the work is
   * idempotent).
   */
  public void start() {
    scheduler.start();
    // Its own thread, not a task: a queue busy with slow calls must not let the leases of sends
    // in progress run out.
    writes.ifPresent(
        w ->
            leases.scheduleWithFixedDelay(
                w::renewLeases,
                WriteApplier.RENEW_EVERY.toMillis(),
                WriteApplier.RENEW_EVERY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS));
    sweep(cases.clock().instant().plusSeconds(1));
  }

  /** More work for every tick (e.g. the Shopify logistics channel's submissions). */
  public void alsoEveryTick(Runnable work) {
    tickHooks.add(work);
  }

  /**
   * Lets the work in progress finish (at most 20 s in all), then stops the scheduler; inputs not
   * started stay in the inbox for the next start's sweep.
   */
  public void stop() {
    long started = System.nanoTime();
    inbox.close();
    scheduler.stop(); // waits for its own executions, at most STOP_WAIT
    long left = STOP_WAIT.toMillis() - (System.nanoTime() - started) / 1_000_000;
    inbox.awaitRuns(Math.max(left, 0));
    leases.shutdownNow();
  }

  /** How long a stop lets running work finish (issue 8, part 5). */
  static final Duration STOP_WAIT = Duration.ofSeconds(20);

  /**
   * Works the ticket's waiting inputs soon: on this process's own threads ({@link InboxQueue}), or,
   * when that queue does not take it, as a durable db-scheduler task.
   */
  public void scheduleInbox(long ticketId) {
    if (!inbox.offer(ticketId)) scheduleInboxDurably(ticketId, Instant.now());
  }

  private void scheduleInboxDurably(long ticketId, Instant at) {
    try {
      scheduler.schedule(
          inboxTask.instance("t" + ticketId + "-" + UUID.randomUUID(), ticketId), at);
    } catch (RuntimeException e) {
      // The inputs are stored: the sweep queues them.
      log.warn("ticket {}: inputs not queued, left to the sweep: {}", ticketId, e.toString());
    }
  }

  /**
   * Sets the case's timer task to fire at {@code dueAt} (service clock), earlier than it was if
   * need be; a timer that fires early finds nothing due and moves itself to the case's next time.
   */
  public void scheduleTimer(long ticketId, Instant dueAt) {
    // Far off (a follow-up on the next working day, a tracking check in hours): the sweep queues
    // the timer once the case is due, from cases.next_due_at, which the decision stored. A task
    // row per decision cost two statements and a commit on the hot path.
    if (Duration.between(cases.clock().instant(), dueAt).compareTo(NEAR) > 0) return;
    var instance = timerTask.instance("t" + ticketId, ticketId);
    Instant at = schedulerTime(dueAt);
    if (scheduler.scheduleIfNotExists(instance, at)) return;
    try {
      scheduler
          .getScheduledExecution(instance)
          .filter(e -> !e.isPicked() && e.getExecutionTime().isAfter(at))
          .ifPresent(e -> scheduler.reschedule(instance, at));
    } catch (RuntimeException e) {
      // Picked meanwhile: the running timer reschedules itself from the case as it now stands.
      log.debug("ticket {}: timer not moved: {}", ticketId, e.toString());
    }
  }

  /**
   * Timers due within this are set as a task at once; later ones are set by the sweep once due (up
   * to {@link #SWEEP_AGE} and a tick late: a follow-up due tomorrow at 09:00 runs by 09:00:25).
   */
  static final Duration NEAR = Duration.ofMinutes(10);

  /**
   * The scheduler runs on real time; the service's clock may be another (tests move it): a due time
   * is kept at the same distance from now.
   */
  private Instant schedulerTime(Instant dueAt) {
    Instant now = Instant.now();
    Instant at = now.plus(Duration.between(cases.clock().instant(), dueAt));
    return at.isBefore(now) ? now : at;
  }

  /** Sends the ticket's pending writes soon, as a writes task (ops' retry). */
  public void scheduleWrites(long ticketId) {
    if (writes.isEmpty()) return;
    scheduler.scheduleIfNotExists(writesTask.instance("t" + ticketId, ticketId), Instant.now());
  }

  /**
   * The writes a decision just stored: sent by this thread once its work is done when it works on
   * their ticket (it knows them, so it claims them as they are), otherwise by the writes task.
   */
  private void writesDecided(long ticketId, java.util.List<StoredWrite> decided) {
    if (writes.isEmpty()) return;
    Working w = working.get();
    if (w != null && w.ticketId == ticketId) {
      w.decided.addAll(decided);
      return;
    }
    scheduleWrites(ticketId);
  }

  /** The ticket a queue thread works on, and the Zendesk updates that work decided. */
  private static final class Working {
    final long ticketId;
    final java.util.List<StoredWrite> decided = new java.util.ArrayList<>();

    Working(long ticketId) {
      this.ticketId = ticketId;
    }
  }

  private final ThreadLocal<Working> working = new ThreadLocal<>();

  /**
   * Runs a ticket's work, then sends the Zendesk updates it decided on the same thread, without a
   * queued task of their own (three fewer commits per decision). A send that fails is queued with
   * the writes task's first backoff, as a failed writes task would be; a crash meanwhile leaves the
   * updates to the sweep (each is sent under its own lease, at most once).
   */
  private void withWritesSent(long ticketId, Runnable work) {
    Working w = new Working(ticketId);
    working.set(w);
    try {
      work.run();
    } finally {
      working.remove();
      if (!w.decided.isEmpty()) sendNow(ticketId, w.decided);
    }
  }

  private void sendNow(long ticketId, java.util.List<StoredWrite> decided) {
    try {
      writes.ifPresent(a -> a.sendDecided(ticketId, decided));
    } catch (RuntimeException e) {
      log.info(
          "ticket {}: Zendesk updates not sent yet, retried shortly: {}", ticketId, e.toString());
      try {
        scheduler.scheduleIfNotExists(
            writesTask.instance("t" + ticketId, ticketId), Instant.now().plus(FIRST_RETRY));
      } catch (RuntimeException again) {
        // The sweep queues them (they are stored).
        log.warn("ticket {}: Zendesk updates not queued: {}", ticketId, again.toString());
      }
    }
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
    runTickHooks();
    sweep(cases.clock().instant().minus(SWEEP_AGE));
  }

  private void runTickHooks() {
    for (Runnable hook : tickHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("tick work failed: {}", e.toString());
      }
    }
  }

  private void sweep(Instant before) {
    try {
      // A case overdue: its timer was far off when decided (not set as a task then, see NEAR), or
      // lost (a crash between the decision's commit and the scheduling). It is set now, or moved to
      // now if it waits for a later time.
      for (long ticketId : cases.dueTickets(before))
        scheduleTimer(ticketId, cases.clock().instant());
      for (long ticketId : cases.staleInbox(before)) {
        if (inbox.holds(ticketId)) continue; // waiting its turn here, not left behind
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
