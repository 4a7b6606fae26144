package spark.desk.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A case as the sidebar app and ops see it (contract section 10). Absent parts are written as
 * {@code null}, as the contract shows them; {@code writes} appears only in the ops view.
 */
public record CaseView(
    long ticketId,
    String orderNumber,
    String stage,
    String sopStep,
    OrderView order,
    TrackingView tracking,
    MacroView suggestedMacro,
    boolean refusalRequested,
    LogisticsView logistics,
    boolean refundEscalated,
    String nextAction,
    List<TimelineEntry> timeline,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<WriteView> writes) {

  public record OrderView(
      String status, String trackingNumber, String carrier, Instant deliveredAt) {}

  /**
   * {@code message}: the carrier's own words for the latest event, {@code url}: a tracking page for
   * people; both only when the provider gives them (EasyPost, AfterShip) and left out otherwise.
   */
  public record TrackingView(
      String status,
      Instant updatedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String message,
      @JsonInclude(JsonInclude.Include.NON_NULL) String url) {}

  /** {@code id} is Zendesk's id of the macro with that exact title, null when there is none. */
  public record MacroView(String title, Long id) {}

  public record LogisticsView(
      long requestId, String result, String trackingOutcome, String customerOutcome) {}

  public record TimelineEntry(Instant at, String step, String text) {}

  /** A decided Zendesk update, and whether it was sent (ops view only). */
  public record WriteView(
      Instant at,
      String step,
      List<String> tags,
      List<String> removedTags,
      String note,
      String macro,
      Long groupId,
      String status,
      boolean applied,
      Instant appliedAt) {}

  /**
   * The answer of {@code GET /api/cases}: one page; {@code next} is the {@code after} of the next
   * page, null on the last one.
   */
  public record CaseList(List<CaseView> cases, String next) {}
}
