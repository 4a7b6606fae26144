package spark.desk.cases;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.guard.Bounded;
import spark.desk.shared.DeskException;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.Case;
import spark.desk.sop.Event;
import spark.desk.sop.Result;
import spark.desk.sop.Sop;
import spark.desk.sop.Write;
import spark.desk.store.CaseStore;
import spark.desk.store.CaseStore.Versioned;
import spark.desk.store.InboxItem;
import spark.desk.store.StoredWrite;
import spark.desk.store.Stores;
import spark.desk.zendesk.Ticket;

/**
 * The work loop: look, then lock, then decide (issue 8, part 1). A round reads the ticket's waiting
 * inputs and its case without a lock, makes the outside calls the engine asks for (order system,
 * tracking, Zendesk's order field) holding no connection, then takes the case's row lock briefly,
 * checks that neither the case (its version) nor the inputs moved meanwhile, and stores every
 * decision with its timeline, Zendesk updates and logistics request in one short transaction. A
 * round that finds the case moved is done again from the start.
 */
final class CaseWork {
  private static final Logger log = LoggerFactory.getLogger(CaseWork.class);

  /** Rounds lost to concurrent work before giving the ticket back to the queue (retried later). */
  private static final int MAX_ROUNDS = 20;

  private final Jdbi jdbi;
  private final Stores stores;
  private final Sop sop;
  private final Lookups lookups;
  private final Clock clock;
  private final boolean live;
  private volatile CaseService.WritesDecided writesPending = (id, decided) -> {};
  private volatile CaseService.LogisticsFiled logisticsFiled = (h, requestId, c, at) -> {};
  private final java.util.concurrent.atomic.AtomicLong inputsSetAside =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile java.util.function.BiConsumer<Long, Instant> timerSet = (id, at) -> {};
  private volatile java.util.function.Consumer<List<Long>> worked = ids -> {};

  CaseWork(Jdbi jdbi, Stores stores, Sop sop, Lookups lookups, Clock clock, boolean live) {
    this.jdbi = jdbi;
    this.stores = stores;
    this.sop = sop;
    this.lookups = lookups;
    this.clock = clock;
    this.live = live;
  }

  void onTimer(java.util.function.BiConsumer<Long, Instant> timerSet) {
    this.timerSet = timerSet;
  }

  private void timerOf(Case c) {
    if (c != null && c.nextDueAt() != null) timerSet.accept(c.ticketId(), c.nextDueAt());
  }

  void onLogisticsFiled(CaseService.LogisticsFiled hook) {
    this.logisticsFiled = hook;
  }

  long inputsSetAside() {
    return inputsSetAside.get();
  }

  void onWrites(CaseService.WritesDecided writesPending) {
    this.writesPending = writesPending;
  }

  /** Called after each commit with the inbox ids it marked worked (or set aside). */
  void onWorked(java.util.function.Consumer<List<Long>> worked) {
    this.worked = worked;
  }

  // ---- inputs --------------------------------------------------------------------------------

  /** What one input came to, decided before anything is locked. */
  private record Planned(InboxItem item, List<Change> changes, RuntimeException setAside) {}

  /** A decision of the engine to store, or a timeline line of the service's own. */
  private record Change(Result result, String line) {}

  private enum Stored {
    DONE,
    MOVED
  }

  /** Thrown out of a round's transaction to roll it back: the inputs or the case moved. */
  private static final class Moved extends RuntimeException {
    static final Moved INSTANCE = new Moved();

    private Moved() {
      super("the case moved", null, false, false);
    }
  }

  /**
   * Works every waiting input of one ticket, in arrival order: the inputs read at the start, and
   * again while a round is lost to concurrent work or stopped at an input set aside. Inputs stored
   * meanwhile are worked by the run their own offer to the queue starts (every intake offers the
   * ticket after its commit).
   */
  void process(long ticketId) {
    for (int moved = 0; ; ) {
      CaseStore.Waiting read = jdbi.withHandle(h -> stores.cases().waiting(h, ticketId));
      if (read.items().isEmpty()) return;
      Instant now = clock.instant();
      List<Planned> plan =
          plan(read.current().map(Versioned::current).orElse(null), read.items(), now);
      Optional<Long> version = read.current().map(Versioned::version);
      List<StoredWrite> wrote = new ArrayList<>();
      List<Long> done = new ArrayList<>();
      int[] setAside = {0};
      Stored stored;
      try {
        stored =
            jdbi.inTransaction(
                h -> {
                  done.clear();
                  wrote.clear();
                  setAside[0] = 0;
                  List<Long> ids = plan.stream().map(p -> p.item().id()).toList();
                  // Taken (marked worked) first: that locks them; fewer than read, or a case that
                  // moved, and the round rolls back and looks again.
                  if (stores.inbox().take(h, ids, now) != ids.size()) throw Moved.INSTANCE;
                  if (!stores.cases().stillAt(h, ticketId, version)) throw Moved.INSTANCE;
                  boolean exists = version.isPresent();
                  Case caseBefore = read.current().map(Versioned::current).orElse(null);
                  for (Planned p : plan) {
                    // Each input under its own savepoint: one that can never be stored is set aside
                    // (inbox.set_aside_at, and a timeline line) instead of blocking the ticket's
                    // later inputs (the next round decides those again on the case as it now
                    // stands).
                    h.savepoint("input");
                    done.add(p.item().id());
                    int wroteBefore = wrote.size();
                    try {
                      if (p.setAside() != null) {
                        setAside(h, ticketId, p.item(), p.setAside(), now);
                        setAside[0]++;
                      } else {
                        store(
                            h,
                            ticketId,
                            p.changes(),
                            caseBefore,
                            exists,
                            now,
                            p.item().receivedAt(),
                            wrote);
                        Case after = lastCase(p.changes());
                        exists |= after != null;
                        if (after != null) caseBefore = after;
                      }
                      h.releaseSavepoint("input");
                    } catch (RuntimeException e) {
                      if (retryable(e)) throw e;
                      h.rollbackToSavepoint("input");
                      wrote.subList(wroteBefore, wrote.size()).clear();
                      setAside(h, ticketId, p.item(), e, now);
                      setAside[0]++;
                      // The inputs after it wait for the next round.
                      stores.inbox().putBack(h, ids.subList(done.size(), ids.size()));
                      return Stored.DONE;
                    }
                  }
                  return Stored.DONE;
                });
      } catch (Moved m) {
        stored = Stored.MOVED;
      }
      if (stored == Stored.DONE && !wrote.isEmpty()) writesPending.decided(ticketId, wrote);
      if (stored == Stored.DONE) {
        // Counted once committed: a round given back to the queue sets nothing aside.
        inputsSetAside.addAndGet(setAside[0]);
        worked.accept(List.copyOf(done));
      }
      if (stored == Stored.DONE) timerOf(lastCase(plan, read.current()));
      // Every input read was stored: done. An input stored after the read was offered to the
      // queue after its commit, which works the ticket again (InboxQueue: a ticket offered while
      // it runs runs once more), so looking again here would cost two reads for nothing.
      if (stored == Stored.DONE && done.size() == plan.size()) return;
      if (stored == Stored.MOVED) {
        if (++moved > MAX_ROUNDS) throw movedTooOften(ticketId);
        log.debug("ticket {}: the case moved while its inputs were looked up; again", ticketId);
      }
    }
  }

  /** The case as the plan leaves it (a set-aside input may leave it as it was: then re-read). */
  private Case lastCase(List<Planned> plan, Optional<Versioned> read) {
    Case last = read.map(Versioned::current).orElse(null);
    for (Planned p : plan) {
      Case c = lastCase(p.changes());
      if (c != null) last = c;
    }
    return last;
  }

  /** The case as these changes leave it; null when none of them is a decision. */
  private static Case lastCase(List<Change> changes) {
    Case last = null;
    for (Change c : changes) if (c.result() != null) last = c.result().next();
    return last;
  }

  private List<Planned> plan(Case current, List<InboxItem> items, Instant now) {
    List<Planned> plan = new ArrayList<>();
    for (InboxItem item : items) {
      List<Change> changes = new ArrayList<>();
      try {
        current = handle(current, Input.read(item.kind(), item.payload()), now, changes);
        plan.add(new Planned(item, changes, null));
      } catch (RuntimeException e) {
        // A failure a retry can cure (an outside system) gives the whole ticket back to the queue.
        if (retryable(e)) throw e;
        plan.add(new Planned(item, List.of(), e));
      }
    }
    return plan;
  }

  private Case handle(Case current, Input input, Instant now, List<Change> changes) {
    if (input instanceof Input.TicketSeen t) {
      Ticket ticket = t.readOrderField() ? lookups.withOrderField(t.ticket()) : t.ticket();
      if (current == null && !sop.isCancellationRequest(ticket.tags())) return null;
      return decide(current, new Event.TicketUpdated(Snapshots.ticket(ticket)), now, changes);
    }
    if (current == null) return null;
    if (input instanceof Input.TrackerPushed t)
      return decide(current, new Event.TrackerSeen(Snapshots.parcel(t.tracker())), now, changes);
    if (input instanceof Input.LogisticsAnswered a) {
      Case c = current;
      if (!a.successful() && (c.order() == null || !c.order().shipped())) {
        // "Unsuccessful" means the order has shipped: learn its tracking number first.
        Event looked = lookups.lookup(c);
        if (looked instanceof Event.OrderLookedUp) c = decide(c, looked, now, changes);
      }
      var result = new Event.LogisticsResult(a.successful(), a.by(), a.note(), a.at());
      return decide(c, result, now, changes);
    }
    Input.AgentAsked a = (Input.AgentAsked) input;
    if (a.action().equals("recheck")) {
      String who = a.agent() == null ? "an agent" : a.agent();
      changes.add(new Change(null, "Re-check asked by " + who + "."));
      return decide(current, lookups.lookup(current), now, changes);
    }
    Event.Action action =
        switch (a.action()) {
          case "refusal_requested" -> Event.Action.REFUSAL_REQUESTED;
          case "customer_keeps" -> Event.Action.CUSTOMER_KEEPS;
          case "customer_returns" -> Event.Action.CUSTOMER_RETURNS;
          default -> throw new DeskException("unknown agent action " + a.action());
        };
    return decide(current, new Event.AgentAction(action, a.agent()), now, changes);
  }

  /** One engine decision; then the lookup it asks for, and the decision on that. */
  private Case decide(Case current, Event event, Instant now, List<Change> changes) {
    Result r = sop.decide(current, event, now);
    changes.add(new Change(r, null));
    Case next = r.next();
    if (r.lookupWanted()) {
      Result again = sop.decide(next, lookups.lookup(next), now);
      changes.add(new Change(again, null));
      next = again.next();
    }
    return next;
  }

  // ---- timers --------------------------------------------------------------------------------

  /**
   * Runs the case's due timers (lookup retry, step-3 follow-up, tracking check or watch limit), if
   * any is due; true when it found one. The same look-then-lock round as {@link #process}.
   */
  boolean runDue(long ticketId) {
    for (int round = 0; ; round++) {
      if (round > MAX_ROUNDS) throw movedTooOften(ticketId);
      Instant now = clock.instant();
      Versioned read = jdbi.withHandle(h -> stores.cases().findVersioned(h, ticketId)).orElse(null);
      if (read == null) return false;
      Case c = read.current();
      if (c.nextDueAt() == null || c.nextDueAt().isAfter(now)) return false;
      List<Change> changes = new ArrayList<>();
      if (due(c.lookup().nextAt(), now)) c = decide(c, lookups.lookup(c), now, changes);
      if (due(c.logistics().followupAt(), now))
        c = decide(c, new Event.FollowupDue(), now, changes);
      if (due(c.watch().nextCheckAt(), now)) c = decide(c, lookups.trackingCheck(c), now, changes);
      List<StoredWrite> wrote = new ArrayList<>();
      Stored stored =
          jdbi.inTransaction(
              h -> {
                wrote.clear();
                if (!stores.cases().lockVersion(h, ticketId).equals(Optional.of(read.version())))
                  return Stored.MOVED;
                store(h, ticketId, changes, read.current(), true, now, null, wrote);
                return Stored.DONE;
              });
      if (stored == Stored.DONE && !wrote.isEmpty()) writesPending.decided(ticketId, wrote);
      if (stored == Stored.DONE) {
        timerOf(c);
        return true;
      }
    }
  }

  private static boolean due(Instant at, Instant now) {
    return at != null && !at.isAfter(now);
  }

  // ---- storing -------------------------------------------------------------------------------

  /**
   * Stores the changes of one input (or one timer run) in the round's transaction: the case once,
   * as the last decision leaves it (one statement, whatever the number of decisions: a step-1 round
   * decides twice, before and after the lookup), then each decision's timeline, logistics request,
   * Zendesk updates and milestones, then the outcomes mirrored on the logistics request. {@code
   * exists}: whether the case has a row; {@code receivedAt}: when the input was accepted (null for
   * a timer), the request's moment if these changes open the case; {@code before}: the case as it
   * stood before them (null: none). The Zendesk updates left to send are added to {@code wrote}.
   */
  private void store(
      Handle h,
      long ticketId,
      List<Change> changes,
      Case before,
      boolean exists,
      Instant now,
      Instant receivedAt,
      List<StoredWrite> wrote) {
    Case last = lastCase(changes);
    boolean opened = last != null && stores.cases().saveCase(h, last, now, exists);
    boolean filed = false;
    List<Result> decisions = new ArrayList<>();
    List<CaseStore.Line> lines = new ArrayList<>();
    for (Change change : changes) {
      if (change.line() != null) {
        lines.add(new CaseStore.Line(null, change.line()));
        continue;
      }
      filed |= record(h, change.result(), now, opened, wrote, lines);
      decisions.add(change.result());
    }
    stores.cases().addHistory(h, ticketId, now, lines);
    stores.milestones().record(h, decisions, now, !live, receivedAt, opened);
    // Mirrored on the request only when it may differ: the outcomes moved, or a request filed now
    // (with none) while the case has one. Most decisions move none: outcomes come late in a case.
    if (last != null && (!sameOutcomes(before, last) || (filed && !sameOutcomes(null, last))))
      stores.logistics().saveOutcomes(h, last);
  }

  /** Whether the two cases have the same parcel and customer outcomes (null: none yet). */
  private static boolean sameOutcomes(Case a, Case b) {
    return java.util.Objects.equals(a == null ? null : a.watch().outcome(), b.watch().outcome())
        && java.util.Objects.equals(
            a == null ? null : a.customer().outcome(), b.customer().outcome());
  }

  /**
   * One decision's timeline, logistics request and Zendesk updates (its milestones are recorded
   * with the other decisions of its input); true when it filed the logistics request. {@code
   * isNew}: the case's row was inserted by this transaction (so it has no request yet).
   */
  private boolean record(
      Handle h,
      Result r,
      Instant now,
      boolean isNew,
      List<StoredWrite> wrote,
      List<CaseStore.Line> lines) {
    Case c = r.next();
    for (String line : r.history()) lines.add(new CaseStore.Line(null, line));
    if (r.fileLogisticsRequest()) {
      long id = stores.logistics().file(h, c, now, isNew);
      logisticsFiled.filed(h, id, c, now);
      lines.add(
          new CaseStore.Line(
              "2", "Cancellation request #" + id + " filed with the logistics team."));
    }
    for (Write w : r.writes()) {
      long id = stores.writes().addWrite(h, c.ticketId(), now, w, !live);
      if (live) wrote.add(new StoredWrite(id, c.ticketId(), now, w, false, null, 0));
      lines.add(new CaseStore.Line(w.step(), w.note()));
    }
    return r.fileLogisticsRequest();
  }

  /**
   * Marks the input worked and set aside (inbox.set_aside_at: what /ops lists and a retry puts
   * back); the timeline line is for the agents.
   */
  private void setAside(Handle h, long ticketId, InboxItem item, RuntimeException e, Instant now) {
    log.error(
        "ticket {}: {} input {} set aside: {}",
        ticketId,
        item.kind(),
        item.id(),
        Bounded.cap(e.getMessage(), 500));
    stores.inbox().setAside(h, item.id(), now, Bounded.cap(String.valueOf(e.getMessage()), 2000));
    if (stores.cases().exists(h, ticketId)) {
      stores
          .cases()
          .addHistory(
              h,
              ticketId,
              now,
              null,
              "An input ("
                  + item.kind().replace('_', ' ')
                  + ") could not be worked on and was set aside: "
                  + Bounded.cap(e.getMessage(), 500));
    }
  }

  static boolean retryable(RuntimeException e) {
    // SQLSTATE class 22 (data exception: a value too long, out of range, invalid): the same input
    // fails the same way on every retry, so it is set aside instead of blocking the ticket.
    for (Throwable t = e; t != null; t = t.getCause())
      if (t instanceof java.sql.SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("22")) return false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UpstreamException u) return u.retryable();
      if (t instanceof java.sql.SQLException || t instanceof org.jdbi.v3.core.JdbiException)
        return true;
    }
    return false;
  }

  private static UpstreamException movedTooOften(long ticketId) {
    return new UpstreamException(
        "database",
        0,
        true,
        "ticket " + ticketId + " kept moving while it was worked on; retried later",
        null);
  }
}
