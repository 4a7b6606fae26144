package spark.desk.simulate;

import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.cases.CaseService;
import spark.desk.cases.Snapshots;
import spark.desk.config.Config;
import spark.desk.runner.WriteApplier;
import spark.desk.shared.DeskException;
import spark.desk.sop.Sop;
import spark.desk.sop.Tags;
import spark.desk.store.CaseStore;
import spark.desk.store.Database;
import spark.desk.store.LogisticsStore;
import spark.desk.store.StoredWrite;
import spark.desk.store.Stores;
import spark.desk.zendesk.Ticket;

/**
 * One run of a scenario through the real service: the {@link CaseService} in live mode on a fresh
 * in-memory database, with the scenario's order system, tracking service and Zendesk stand-ins, on
 * a virtual clock. Time moves from one moment to the next that matters: the next scenario event or
 * the earliest due timer of any case (timers due at the same moment as an event fire first). At
 * each moment the service's decided updates are traced, sent to the Zendesk stand-in, and, as
 * Zendesk's trigger re-fires on every update of a cancellation ticket, the updated ticket is sent
 * back to the service.
 */
final class ScenarioRun implements AutoCloseable {
  /**
   * Rounds at one moment after which the run is stuck (a timer that does not move, or updates that
   * feed themselves).
   */
  private static final int MAX_ROUNDS = 50;

  private final Scenario scenario;
  private final PrintStream warnings;
  private final VirtualClock clock;
  private final Database database;
  private final Stores stores = Stores.create();
  private final CaseStore store = stores.cases();
  private final LogisticsStore logistics = stores.logistics();
  private final Sop sop;
  private final ScenarioZendesk zendesk;
  private final CaseService cases;
  private final WriteApplier writes;
  private final Set<Long> updated = new LinkedHashSet<>();
  private long lastTracedWrite;
  private long deliveries;

  ScenarioRun(Scenario scenario, Config config, PrintStream warnings) {
    this.scenario = scenario;
    this.warnings = warnings;
    this.clock = new VirtualClock(scenario.start());
    this.database = Database.open(config);
    this.sop = new Sop(Snapshots.settings(config), WorkingCalendar.from(config));
    this.zendesk = new ScenarioZendesk(clock);
    this.cases =
        new CaseService(
            database.jdbi(),
            stores,
            sop,
            new ScenarioOrders(scenario.orders()),
            new ScenarioTracking(scenario.trackers(), clock),
            Optional.of(zendesk),
            clock,
            true);
    this.writes = new WriteApplier(database.jdbi(), store, stores.writes(), zendesk, clock);
    // No work queue: an input is worked as soon as it is stored, on the virtual clock.
    cases.onWork((id, decided) -> updated.add(id), ticketId -> cases.process(ticketId));
  }

  /**
   * An in-memory database of its own for each run, dropped when the run closes its connection pool
   * (an explicit close delay of 0, so {@link Database#open} does not keep it for the JVM's life).
   */
  static String databaseUrl() {
    return "jdbc:h2:mem:sim-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=0";
  }

  void run(Consumer<TraceLine> trace) {
    Deque<Scenario.ScenarioEvent> events = new ArrayDeque<>(scenario.events());
    Instant lastTimerMoment = null;
    int timerRounds = 0;
    while (true) {
      Optional<Instant> due = earliestDue().filter(at -> !at.isAfter(scenario.until()));
      Scenario.ScenarioEvent next = events.peek();
      if (due.isPresent() && (next == null || !due.get().isAfter(next.at()))) {
        clock.moveTo(due.get());
        timerRounds = clock.instant().equals(lastTimerMoment) ? timerRounds + 1 : 0;
        lastTimerMoment = clock.instant();
        if (timerRounds > MAX_ROUNDS)
          throw new DeskException(
              "the timers due at " + lastTimerMoment + " keep firing without moving on");
        cases.runDue();
      } else if (next != null) {
        events.poll();
        clock.moveTo(next.at());
        deliver(next);
      } else {
        break;
      }
      settle(trace);
    }
  }

  private void deliver(Scenario.ScenarioEvent event) {
    if (event instanceof Scenario.TicketCreated t) {
      zendesk.create(t);
      trigger(t.ticketId());
    } else if (event instanceof Scenario.TagsChanged t) {
      zendesk.changeTags(t.ticketId(), t.added(), t.removed());
      trigger(t.ticketId());
    } else if (event instanceof Scenario.CustomerDecision d) {
      // What happens in Zendesk: the agent records the customer's answer with its tag.
      zendesk.changeTags(
          d.ticketId(), Set.of(d.keeps() ? Tags.CUSTOMER_KEEPS : Tags.CUSTOMER_RETURNS), Set.of());
      trigger(d.ticketId());
    } else if (event instanceof Scenario.LogisticsResultGiven r) {
      recordLogisticsResult(r);
    } else {
      throw new IllegalStateException("unknown scenario event " + event);
    }
  }

  /**
   * Zendesk's trigger: a ticket that carries a cancellation tag is sent to the service when created
   * or updated.
   */
  private void trigger(long ticketId) {
    Ticket ticket = zendesk.getTicket(ticketId);
    if (!sop.isCancellationRequest(ticket.tags())) return;
    CaseService.Intake intake =
        cases.acceptTicket(Optional.of("simulate-" + ++deliveries), ticket, false);
    if (intake == CaseService.Intake.ACCEPTED) cases.process(ticketId);
  }

  /**
   * The logistics team's answer through the logistics API, for the ticket's cancellation request.
   */
  private void recordLogisticsResult(Scenario.LogisticsResultGiven r) {
    String where = "events[" + r.index() + "]";
    var request = database.jdbi().withHandle(h -> logistics.findByTicket(h, r.ticketId()));
    if (request.isEmpty()) {
      String stage =
          cases
              .find(r.ticketId())
              .map(c -> " (its case is at stage " + c.stage().wire() + ")")
              .orElse(" (it has no case)");
      throw new ScenarioException(
          where
              + ": ticket "
              + r.ticketId()
              + " has no logistics request at "
              + r.at()
              + stage
              + ", so there is nothing to record a logistics result for");
    }
    CaseService.ResultOutcome outcome =
        cases.recordLogisticsResult(request.get().id(), r.successful(), r.by(), r.note());
    if (outcome == CaseService.ResultOutcome.CONFLICT) {
      warnings.println(
          "simulate: "
              + where
              + ": the logistics request of ticket "
              + r.ticketId()
              + " is already "
              + request.get().result()
              + "; the live service refuses this result (409)");
    }
  }

  /**
   * Traces the new updates, sends them to Zendesk and lets the trigger re-fire, until nothing more
   * is written.
   */
  private void settle(Consumer<TraceLine> trace) {
    for (int round = 0; ; round++) {
      traceNewWrites(trace);
      if (updated.isEmpty()) return;
      if (round > MAX_ROUNDS)
        throw new DeskException(
            "tickets "
                + updated
                + " keep being updated in reply to their own updates at "
                + clock.instant());
      List<Long> tickets = new ArrayList<>(updated);
      updated.clear();
      for (long ticketId : tickets) {
        writes.flush(ticketId);
        trigger(ticketId);
      }
    }
  }

  private void traceNewWrites(Consumer<TraceLine> trace) {
    List<StoredWrite> fresh =
        database
            .jdbi()
            .withHandle(
                h -> {
                  List<StoredWrite> all = new ArrayList<>();
                  for (long ticketId : zendesk.ticketIds()) {
                    for (StoredWrite w : stores.writes().writes(h, ticketId))
                      if (w.id() > lastTracedWrite) all.add(w);
                  }
                  return all;
                });
    fresh.sort(Comparator.comparing(StoredWrite::at).thenComparing(StoredWrite::id));
    for (StoredWrite w : fresh) {
      trace.accept(TraceLine.of(w));
      lastTracedWrite = Math.max(lastTracedWrite, w.id());
    }
  }

  private Optional<Instant> earliestDue() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select next_due_at from cases where next_due_at is not null order by next_due_at limit 1")
                    .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                    .findFirst());
  }

  /** The Zendesk stand-in, for what the tickets look like at the end. */
  ScenarioZendesk zendesk() {
    return zendesk;
  }

  @Override
  public void close() {
    database.close();
  }
}
