package spark.desk.app;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.app.CaseView.LogisticsView;
import spark.desk.app.CaseView.MacroView;
import spark.desk.app.CaseView.OrderView;
import spark.desk.app.CaseView.TimelineEntry;
import spark.desk.app.CaseView.TrackingView;
import spark.desk.app.CaseView.WriteView;
import spark.desk.sop.Case;
import spark.desk.sop.Stage;
import spark.desk.store.CaseStore;
import spark.desk.store.HistoryEntry;
import spark.desk.store.LogisticsRequest;
import spark.desk.store.LogisticsStore;
import spark.desk.store.StoredWrite;
import spark.desk.zendesk.Zendesk;

/** The case as the sidebar app and ops see it (contract section 10). */
public final class CaseViews {
  private static final Logger log = LoggerFactory.getLogger(CaseViews.class);

  private final Jdbi jdbi;
  private final CaseStore cases;
  private final spark.desk.store.WriteStore writeStore = new spark.desk.store.WriteStore();
  private final LogisticsStore logistics;
  private final Optional<Zendesk> zendesk;

  public CaseViews(
      Jdbi jdbi, CaseStore cases, LogisticsStore logistics, Optional<Zendesk> zendesk) {
    this.jdbi = jdbi;
    this.cases = cases;
    this.logistics = logistics;
    this.zendesk = zendesk;
  }

  public Optional<CaseView> view(long ticketId, boolean withWrites) {
    return jdbi.withHandle(
            h ->
                cases
                    .findCase(h, ticketId)
                    .map(
                        c ->
                            new Parts(
                                c,
                                logistics.findByTicket(h, ticketId),
                                cases.history(h, ticketId),
                                withWrites ? writeStore.writes(h, ticketId) : null)))
        .map(p -> view(p, this::macroId));
  }

  /** One page of the ops list, and the last ticket on it when more follow (else empty). */
  public record Page(List<CaseView> cases, Optional<Long> lastTicket) {}

  /**
   * The cases of a stage (or every open case) after ticket {@code afterTicket}, by ticket id, at
   * most {@code limit}: two queries whatever the page's size (the cases with their logistics
   * requests, then their timelines), and no call to Zendesk per case (a suggested macro's id is
   * looked up once per title on the page, from the macro cache).
   */
  public Page page(Optional<Stage> stage, long afterTicket, int limit) {
    record Read(List<Parts> parts, boolean more) {}
    Read read =
        jdbi.withHandle(
            h -> {
              // One more than asked: whether another page follows, without counting.
              List<CaseStore.Listed> rows = cases.listPage(h, stage, afterTicket, limit + 1);
              List<CaseStore.Listed> shown = rows.subList(0, Math.min(rows.size(), limit));
              Map<Long, List<HistoryEntry>> histories =
                  cases.histories(h, shown.stream().map(r -> r.c().ticketId()).toList());
              return new Read(
                  shown.stream()
                      .map(
                          r ->
                              new Parts(
                                  r.c(),
                                  r.request(),
                                  histories.getOrDefault(r.c().ticketId(), List.of()),
                                  null))
                      .toList(),
                  rows.size() > limit);
            });
    Map<String, Optional<Long>> macroIds = new HashMap<>();
    List<CaseView> views =
        read.parts().stream()
            .map(p -> view(p, title -> macroIds.computeIfAbsent(title, this::macroId)))
            .toList();
    return new Page(
        views,
        read.more() ? Optional.of(views.get(views.size() - 1).ticketId()) : Optional.empty());
  }

  /** What a view is made of, read in one database handle; {@code writes} null: not asked for. */
  private record Parts(
      Case c,
      Optional<LogisticsRequest> request,
      List<HistoryEntry> history,
      List<StoredWrite> writes) {}

  /**
   * Built outside any database handle: the suggested macro's id ({@code macroIds}, by title) may
   * need a call to Zendesk.
   */
  private CaseView view(Parts p, Function<String, Optional<Long>> macroIds) {
    Case c = p.c();
    return new CaseView(
        c.ticketId(),
        c.orderNumber(),
        c.stage().wire(),
        c.sopStep(),
        c.order() == null
            ? null
            : new OrderView(
                c.order().status(),
                c.order().trackingNumber(),
                c.order().carrier(),
                c.order().deliveredAt()),
        c.parcel() == null || c.trackingNumber() == null
            ? null
            : new TrackingView(
                c.parcel().status(),
                c.parcel().updatedAt(),
                c.parcel().latestMessage(),
                c.parcel().trackingUrl()),
        c.suggestedMacro() == null
            ? null
            : new MacroView(c.suggestedMacro(), macroIds.apply(c.suggestedMacro()).orElse(null)),
        c.watch().refusalRequested(),
        p.request()
            .map(
                r ->
                    new LogisticsView(
                        r.id(),
                        r.result(),
                        wire(c.watch().outcome()),
                        wire(c.customer().outcome())))
            .orElse(null),
        c.refundEscalated(),
        c.nextAction(),
        p.history().stream().map(e -> new TimelineEntry(e.at(), e.step(), e.text())).toList(),
        p.writes() == null ? null : p.writes().stream().map(CaseViews::write).toList());
  }

  private static String wire(Case.Word w) {
    return w == null ? null : w.wire();
  }

  private static WriteView write(StoredWrite w) {
    return new WriteView(
        w.at(),
        w.write().step(),
        List.copyOf(w.write().addTags()),
        List.copyOf(w.write().removeTags()),
        w.write().note(),
        w.write().macro(),
        w.write().groupId(),
        w.write().status(),
        w.applied(),
        w.appliedAt());
  }

  /** Zendesk's id of the macro with this title; {@link Zendesk#findMacroId} caches the list. */
  private Optional<Long> macroId(String title) {
    if (zendesk.isEmpty()) return Optional.empty();
    try {
      return zendesk.get().findMacroId(title);
    } catch (RuntimeException e) {
      log.warn("macro lookup for \"{}\" failed: {}", title, e.getMessage());
      return Optional.empty();
    }
  }
}
