package spark.desk.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Set;
import spark.desk.sop.Case;
import spark.desk.sop.Case.CustomerAnswer;
import spark.desk.sop.Case.CustomerDecision;
import spark.desk.sop.Case.CustomerOutcome;
import spark.desk.sop.Case.Logistics;
import spark.desk.sop.Case.LogisticsResult;
import spark.desk.sop.Case.Lookup;
import spark.desk.sop.Case.TrackingOutcome;
import spark.desk.sop.Case.Watch;
import spark.desk.sop.Case.Word;
import spark.desk.sop.OrderSnapshot;
import spark.desk.sop.Parcel;
import spark.desk.sop.Stage;

/**
 * A case as the {@code cases.state} column holds it: one flat JSON object whose field names and
 * lower-case words are those stored since the first release, so rows written before the case was
 * split into parts read back unchanged (no migration). {@code order} and {@code tracker} keep the
 * order system's and tracking service's field names.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CaseState(
    long ticketId,
    Instant ticketCreatedAt,
    String orderNumber,
    Stage stage,
    String sopStep,
    OrderSnapshot order,
    Parcel tracker,
    boolean refusalRequested,
    String logisticsResult,
    Instant logisticsResultAt,
    String logisticsResultBy,
    String logisticsNote,
    boolean refundEscalated,
    String trackingOutcome,
    String customerOutcome,
    String pendingCustomerAnswer,
    Set<String> problemTags,
    String suggestedMacro,
    String nextAction,
    int lookupAttempts,
    Instant nextLookupAt,
    Instant lookupFailingSince,
    Instant followupAt,
    Instant watchStartedAt,
    Instant nextTrackingCheckAt,
    boolean trackingStalled) {

  static CaseState of(Case c) {
    Logistics l = c.logistics();
    Watch w = c.watch();
    return new CaseState(
        c.ticketId(),
        c.ticketCreatedAt(),
        c.orderNumber(),
        c.stage(),
        c.sopStep(),
        c.order(),
        c.parcel(),
        w.refusalRequested(),
        wire(l.result()),
        l.resultAt(),
        l.resultBy(),
        l.note(),
        c.refundEscalated(),
        wire(w.outcome()),
        wire(c.customer().outcome()),
        wire(c.customer().pendingAnswer()),
        c.problemTags(),
        c.suggestedMacro(),
        c.nextAction(),
        c.lookup().attempts(),
        c.lookup().nextAt(),
        c.lookup().failingSince(),
        l.followupAt(),
        w.startedAt(),
        w.nextCheckAt(),
        w.stalled());
  }

  Case toCase() {
    return new Case(
        ticketId,
        ticketCreatedAt,
        orderNumber,
        stage,
        sopStep,
        order,
        tracker,
        new Lookup(lookupAttempts, nextLookupAt, lookupFailingSince),
        new Logistics(
            Word.fromWire(LogisticsResult.class, logisticsResult),
            logisticsResultAt,
            logisticsResultBy,
            logisticsNote,
            followupAt),
        new Watch(
            refusalRequested,
            watchStartedAt,
            nextTrackingCheckAt,
            trackingStalled,
            Word.fromWire(TrackingOutcome.class, trackingOutcome)),
        new CustomerDecision(
            Word.fromWire(CustomerAnswer.class, pendingCustomerAnswer),
            Word.fromWire(CustomerOutcome.class, customerOutcome)),
        refundEscalated,
        problemTags,
        suggestedMacro,
        nextAction);
  }

  private static String wire(Word w) {
    return w == null ? null : w.wire();
  }
}
