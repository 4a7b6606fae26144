package spark.desk.sop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import spark.desk.sop.Case.CustomerDecision;
import spark.desk.sop.Case.Logistics;
import spark.desk.sop.Case.Lookup;
import spark.desk.sop.Case.Watch;

/**
 * The working copy of a case while {@link Sop} decides: its parts as they change, the writes and
 * timeline lines, and the bookkeeping every step shares (recording a write, the evidence line, the
 * timers). It decides nothing: the steps are in {@code Sop}. A null {@code stage} means there is no
 * case yet.
 */
abstract class WorkingCase {
  final Instant now;
  final SopSettings settings;
  final Notes notes;
  final List<Write> writes = new ArrayList<>();
  final List<String> history = new ArrayList<>();
  boolean fileLogistics;
  Result.RefusalAsked refusalAsked;
  boolean lookup;
  boolean timerEvent;

  long ticketId;
  Instant ticketCreatedAt;
  String orderNumber;
  Stage stage;
  String sopStep;
  OrderSnapshot order;
  Parcel parcel;
  Lookup lookups;
  Logistics logistics;
  Watch watch;
  CustomerDecision customer;
  boolean refundEscalated;
  Set<String> problemTags;
  String suggestedMacro;
  String nextAction;

  WorkingCase(Case current, Instant now, SopSettings settings, Notes notes) {
    this.now = now;
    this.settings = settings;
    this.notes = notes;
    if (current != null) load(current);
  }

  void load(Case c) {
    ticketId = c.ticketId();
    ticketCreatedAt = c.ticketCreatedAt();
    orderNumber = c.orderNumber();
    stage = c.stage();
    sopStep = c.sopStep();
    order = c.order();
    parcel = c.parcel();
    lookups = c.lookup();
    logistics = c.logistics();
    watch = c.watch();
    customer = c.customer();
    refundEscalated = c.refundEscalated();
    problemTags = c.problemTags();
    suggestedMacro = c.suggestedMacro();
    nextAction = c.nextAction();
  }

  Result result() {
    normalizeTimers();
    Case next =
        new Case(
            ticketId,
            ticketCreatedAt,
            orderNumber,
            stage,
            sopStep,
            order,
            parcel,
            lookups,
            logistics,
            watch,
            customer,
            refundEscalated,
            problemTags,
            suggestedMacro,
            nextAction);
    return new Result(next, writes, fileLogistics, lookup, history, refusalAsked);
  }

  /**
   * A timer that is due and was not moved by this decision would fire again at once: clear it when
   * its reason is gone, else move it on, so a due check always makes progress.
   */
  void normalizeTimers() {
    if (stage == null || !timerEvent) return;
    if (due(lookups.nextAt()) && !stage.unclassified())
      lookups = new Lookup(lookups.attempts(), null);
    if (due(logistics.followupAt()) && !logistics.pending())
      logistics = logistics.withFollowupAt(null);
    if (due(watch.nextCheckAt()))
      watch = watch.withNextCheckAt(stage == Stage.WATCHING_TRACKING ? nextTrackingCheck() : null);
  }

  boolean due(Instant at) {
    return at != null && !at.isAfter(now);
  }

  Instant nextTrackingCheck() {
    return now.plus(settings.trackingPollInterval());
  }

  /** A case whose parcel may still be intercepted: steps 2 to 4 are under way. */
  boolean watchable() {
    return stage == Stage.AWAITING_LOGISTICS || stage == Stage.WATCHING_TRACKING;
  }

  void startWatch() {
    stage = Stage.WATCHING_TRACKING;
    watch = watch.startedAt(now, nextTrackingCheck());
  }

  void stopWatch() {
    watch = watch.withNextCheckAt(null);
  }

  // ---- writes ----------------------------------------------------------------------------

  Write.Draft write(String step) {
    return new Write.Draft(step, problemTags, this::record);
  }

  /** Takes a finished write: the problem tags it adds and removes, and the step it reached. */
  void record(Write w) {
    Set<String> problems = new HashSet<>(problemTags);
    problems.removeAll(w.removeTags());
    for (String tag : w.addTags()) if (Tags.PROBLEMS.contains(tag)) problems.add(tag);
    problemTags = problems;
    sopStep = w.step();
    if (!Tags.PROBLEMS.containsAll(w.addTags()) || w.step().contains("."))
      lookups = new Lookup(0, lookups.nextAt());
    writes.add(w);
  }

  Parcel currentParcel() {
    return parcel != null
            && order.trackingNumber() != null
            && order.trackingNumber().equals(parcel.trackingNumber())
        ? parcel
        : null;
  }

  String evidence(String trackerProblem) {
    return notes.evidence(orderNumber, order, parcel, logistics, watch.outcome(), trackerProblem);
  }

  /**
   * The order number: the custom field first, then ORDER_NUMBER_PATTERN on subject, then
   * description.
   */
  Optional<String> findOrderNumber(TicketSnapshot ticket) {
    if (ticket.orderNumber() != null) return Optional.of(ticket.orderNumber().trim());
    for (String text : List.of(ticket.subject(), ticket.description())) {
      Matcher m = settings.orderNumberPattern().matcher(text);
      // Only a match in OrderNumbers' strict set counts (issue 14): the pattern is the operator's.
      while (m.find())
        if (m.group(1) != null && OrderNumbers.valid(m.group(1).trim()))
          return Optional.of(m.group(1).trim());
    }
    return Optional.empty();
  }
}
