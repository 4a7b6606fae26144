package spark.desk.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  public Optional<Map<String, Object>> view(long ticketId, boolean withWrites) {
    return withMacroIds(
        jdbi.withHandle(
            h ->
                cases
                    .findCase(h, ticketId)
                    .map(
                        c -> {
                          Map<String, Object> v =
                              view(
                                  c,
                                  logistics.findByTicket(h, ticketId),
                                  cases.history(h, ticketId));
                          if (withWrites) {
                            List<Map<String, Object>> writes = new ArrayList<>();
                            for (StoredWrite w : writeStore.writes(h, ticketId))
                              writes.add(write(w));
                            v.put("writes", writes);
                          }
                          return v;
                        })));
  }

  public List<Map<String, Object>> list(Optional<Stage> stage) {
    List<Map<String, Object>> views =
        jdbi.withHandle(
            h -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (Case c : cases.listCases(h, stage)) {
                out.add(
                    view(
                        c,
                        logistics.findByTicket(h, c.ticketId()),
                        cases.history(h, c.ticketId())));
              }
              return out;
            });
    views.forEach(v -> withMacroIds(Optional.of(v)));
    return views;
  }

  /**
   * Fills in the suggested macro's Zendesk id, outside any database handle (it may call Zendesk).
   */
  @SuppressWarnings("unchecked")
  private Optional<Map<String, Object>> withMacroIds(Optional<Map<String, Object>> view) {
    view.ifPresent(
        v -> {
          if (v.get("suggestedMacro") instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).put("id", macroId((String) m.get("title")));
          }
        });
    return view;
  }

  private Map<String, Object> view(
      Case c, Optional<LogisticsRequest> request, List<HistoryEntry> history) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("ticketId", c.ticketId());
    v.put("orderNumber", c.orderNumber());
    v.put("stage", c.stage().wire());
    v.put("sopStep", c.sopStep());
    if (c.order() == null) {
      v.put("order", null);
    } else {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("status", c.order().status());
      o.put("trackingNumber", c.order().trackingNumber());
      o.put("carrier", c.order().carrier());
      o.put("deliveredAt", c.order().deliveredAt());
      v.put("order", o);
    }
    if (c.parcel() == null || c.trackingNumber() == null) {
      v.put("tracking", null);
    } else {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("status", c.parcel().status());
      t.put("updatedAt", c.parcel().updatedAt());
      v.put("tracking", t);
    }
    if (c.suggestedMacro() == null) {
      v.put("suggestedMacro", null);
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("title", c.suggestedMacro());
      m.put("id", null);
      v.put("suggestedMacro", m);
    }
    v.put("refusalRequested", c.watch().refusalRequested());
    if (request.isEmpty()) {
      v.put("logistics", null);
    } else {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("requestId", request.get().id());
      l.put("result", request.get().result());
      l.put("trackingOutcome", wire(c.watch().outcome()));
      l.put("customerOutcome", wire(c.customer().outcome()));
      v.put("logistics", l);
    }
    v.put("refundEscalated", c.refundEscalated());
    v.put("nextAction", c.nextAction());
    List<Map<String, Object>> timeline = new ArrayList<>();
    for (HistoryEntry e : history) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("at", e.at());
      t.put("step", e.step());
      t.put("text", e.text());
      timeline.add(t);
    }
    v.put("timeline", timeline);
    return v;
  }

  private static String wire(Case.Word w) {
    return w == null ? null : w.wire();
  }

  private static Map<String, Object> write(StoredWrite w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", w.at());
    m.put("step", w.write().step());
    List<String> tags = new ArrayList<>(w.write().addTags());
    m.put("tags", tags);
    m.put("removedTags", new ArrayList<>(w.write().removeTags()));
    m.put("note", w.write().note());
    m.put("macro", w.write().macro());
    m.put("groupId", w.write().groupId());
    m.put("status", w.write().status());
    m.put("applied", w.applied());
    m.put("appliedAt", w.appliedAt());
    return m;
  }

  private Long macroId(String title) {
    if (zendesk.isEmpty()) return null;
    try {
      return zendesk.get().findMacroId(title).orElse(null);
    } catch (RuntimeException e) {
      log.warn("macro lookup for \"{}\" failed: {}", title, e.getMessage());
      return null;
    }
  }
}
