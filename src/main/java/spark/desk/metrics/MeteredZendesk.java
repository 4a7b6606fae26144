package spark.desk.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import spark.desk.shared.UpstreamException;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.TicketUpdate;
import spark.desk.zendesk.Zendesk;

/**
 * The Zendesk port, counted: {@code desk_zendesk_requests_total{kind,outcome}}, the share of the
 * budget used in the last minute, and {@code desk_webhook_to_note_seconds} when a ticket's first
 * step-1 note is taken by Zendesk. {@code kind} is the port's operation ({@code get_ticket}, {@code
 * update}, {@code find_macro}); one update is one or more HTTP calls (a read of the ticket's tags,
 * the PUT, a re-read after a 409), so the budget ratio is a lower bound of the HTTP calls made.
 */
public final class MeteredZendesk implements Zendesk {
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  private final Zendesk zendesk;
  private final DeskMetrics metrics;
  private final Jdbi jdbi;
  private final Clock clock;
  private final int perMinute;
  private final ArrayDeque<Long> lastMinute = new ArrayDeque<>();

  public MeteredZendesk(
      Zendesk zendesk, DeskMetrics metrics, Jdbi jdbi, Clock clock, int perMinute) {
    this.zendesk = zendesk;
    this.metrics = metrics;
    this.jdbi = jdbi;
    this.clock = clock;
    this.perMinute = perMinute;
    metrics.budget(this::usedRatio);
  }

  /** The Zendesk adapter, when there is one, counted. */
  public static Optional<Zendesk> around(
      Optional<Zendesk> zendesk,
      DeskMetrics metrics,
      spark.desk.store.Database database,
      Clock clock,
      spark.desk.config.Config config) {
    Optional<Zendesk> z =
        zendesk.map(
            real ->
                new MeteredZendesk(
                    real, metrics, database.sideJdbi(), clock, config.zendeskRateLimitRpm()));
    if (z.isEmpty()) metrics.budget(() -> 0);
    return z;
  }

  @Override
  public Ticket getTicket(long ticketId) {
    return call("get_ticket", () -> zendesk.getTicket(ticketId));
  }

  @Override
  public void apply(long ticketId, TicketUpdate write, boolean mayHaveBeenApplied) {
    // The first webhook's time when this is the case's first step-1 note (one read, before).
    Optional<Instant> firstWebhook =
        write.step().startsWith("1") ? firstWebhookWithoutStepOneNote(ticketId) : Optional.empty();
    call(
        "update",
        () -> {
          zendesk.apply(ticketId, write, mayHaveBeenApplied);
          return null;
        });
    firstWebhook.ifPresent(this::observe);
  }

  @Override
  public Optional<Long> findMacroId(String title) {
    return call("find_macro", () -> zendesk.findMacroId(title));
  }

  @Override
  public java.util.Map<String, Long> findMacroIds(java.util.Collection<String> titles) {
    return call("find_macro", () -> zendesk.findMacroIds(titles));
  }

  private void observe(Instant webhookAt) {
    Duration d = Duration.between(webhookAt, clock.instant());
    if (!d.isNegative()) metrics.webhookToNote(d);
  }

  private <T> T call(String kind, Supplier<T> call) {
    usedRatio();
    synchronized (lastMinute) {
      lastMinute.addLast(System.nanoTime());
    }
    try {
      T t = call.get();
      metrics.zendeskRequest(kind, "ok");
      return t;
    } catch (UpstreamException e) {
      metrics.zendeskRequest(kind, outcome(e.status()));
      throw e;
    } catch (RuntimeException e) {
      metrics.zendeskRequest(kind, "error");
      throw e;
    }
  }

  /** Outcome label: the status class Zendesk answered, or {@code transport} when none. */
  static String outcome(int status) {
    if (status == 0) return "transport";
    if (status == 429) return "rate_limited";
    if (status == 409) return "conflict";
    return status >= 500 ? "server_error" : "refused";
  }

  double usedRatio() {
    long now = System.nanoTime();
    synchronized (lastMinute) {
      while (!lastMinute.isEmpty() && now - lastMinute.peekFirst() > MINUTE_NANOS)
        lastMinute.removeFirst();
      return Math.min(1.0, lastMinute.size() / (double) perMinute);
    }
  }

  /**
   * When the case's first input came, while it has no step-1 note yet (case_milestones, one row by
   * its key; it used to be the inbox's earliest row and a look through the ticket's writes).
   */
  private Optional<Instant> firstWebhookWithoutStepOneNote(long ticketId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "select coalesce(first_input_at, opened_at) from case_milestones"
                        + " where ticket_id = :t and note1_at is null")
                .bind("t", ticketId)
                .mapTo(OffsetDateTime.class)
                .findOne()
                .map(OffsetDateTime::toInstant));
  }
}
