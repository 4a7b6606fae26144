package spark.desk.logistics.shopify;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/**
 * The Shopify channel's rows (migration V4_1): submissions of step 2 to Shopify, the fulfillment
 * orders they asked to cancel, and Shopify webhook deliveries.
 */
final class ShopifyChannelStore {
  private final Jdbi jdbi;

  ShopifyChannelStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A submission waiting to be made; inside the transaction that filed the request. */
  void addSubmission(Handle h, long requestId, long ticketId, String orderNumber, Instant at) {
    h.createUpdate(
            "insert into shopify_submissions (request_id, ticket_id, order_number, state, attempts, created_at, updated_at) "
                + "select :r, :t, :o, 'due', 0, :at, :at "
                + "where not exists (select 1 from shopify_submissions where request_id = :r)")
        .bind("r", requestId)
        .bind("t", ticketId)
        .bind("o", orderNumber)
        .bind("at", at)
        .execute();
  }

  record Submission(
      long requestId, long ticketId, String orderNumber, String state, int attempts) {}

  /** Submissions to (re)try: due ones, and claims older than {@code staleBefore}. */
  List<Submission> toSubmit(Instant staleBefore) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "select request_id, ticket_id, order_number, state, attempts from shopify_submissions "
                        + "where state = 'due' or (state = 'submitting' and claimed_at < :stale) "
                        + "order by request_id")
                .bind("stale", staleBefore)
                .map(
                    (rs, ctx) ->
                        new Submission(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5)))
                .list());
  }

  /**
   * Claims a submission for one attempt, committed before Shopify is called: only one worker of any
   * instance wins, and a crash mid-call leaves a claim that a later round re-checks against
   * Shopify's request status before submitting anything.
   */
  boolean claim(Submission s, Instant now, Instant staleBefore) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "update shopify_submissions set state = 'submitting', claimed_at = :now, "
                            + "attempts = attempts + 1, updated_at = :now where request_id = :r and attempts = :a "
                            + "and (state = 'due' or (state = 'submitting' and claimed_at < :stale))")
                    .bind("r", s.requestId())
                    .bind("a", s.attempts())
                    .bind("now", now)
                    .bind("stale", staleBefore)
                    .execute())
        == 1;
  }

  void linkFulfillmentOrder(Handle h, String fulfillmentOrderId, long requestId) {
    h.createUpdate(
            "insert into shopify_fulfillment_orders (fulfillment_order_id, request_id) "
                + "select :f, :r "
                + "where not exists (select 1 from shopify_fulfillment_orders where fulfillment_order_id = :f)")
        .bind("f", fulfillmentOrderId)
        .bind("r", requestId)
        .execute();
  }

  void finish(Handle h, long requestId, String state, String detail, Instant now) {
    h.createUpdate(
            "update shopify_submissions set state = :s, detail = :d, updated_at = :now where request_id = :r")
        .bind("r", requestId)
        .bind("s", state)
        .bind("d", detail == null ? null : truncate(detail, 2000))
        .bind("now", now)
        .execute();
  }

  void noteFailure(long requestId, String detail, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "update shopify_submissions set detail = :d, updated_at = :now where request_id = :r")
                .bind("r", requestId)
                .bind("d", truncate(detail, 2000))
                .bind("now", now)
                .execute());
  }

  Optional<String> state(long requestId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select state from shopify_submissions where request_id = :r")
                .bind("r", requestId)
                .mapTo(String.class)
                .findOne());
  }

  Optional<Long> requestOf(String fulfillmentOrderId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "select request_id from shopify_fulfillment_orders where fulfillment_order_id = :f")
                .bind("f", fulfillmentOrderId)
                .mapTo(Long.class)
                .findOne());
  }

  // ---- webhook deliveries ----------------------------------------------------------------------

  /** Stores a delivery; false when its webhook id was taken before (a repeat). */
  boolean addDelivery(
      String webhookId, String topic, String fulfillmentOrderId, String message, Instant at) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "insert into shopify_webhooks (webhook_id, topic, fulfillment_order_id, message, received_at) "
                          + "values (:w, :t, :f, :m, :at)")
                  .bind("w", webhookId)
                  .bind("t", topic)
                  .bind("f", fulfillmentOrderId)
                  .bind("m", message == null ? null : truncate(message, 4000))
                  .bind("at", at)
                  .execute());
      return true;
    } catch (StatementException e) {
      if (uniqueViolation(e)) return false;
      throw e;
    }
  }

  record Delivery(String webhookId, String topic, String fulfillmentOrderId, String message) {}

  List<Delivery> pendingDeliveries() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "select webhook_id, topic, fulfillment_order_id, message from shopify_webhooks "
                        + "where processed_at is null order by received_at, webhook_id")
                .map(
                    (rs, ctx) ->
                        new Delivery(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
  }

  void markProcessed(String webhookId, String outcome, Instant at) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "update shopify_webhooks set processed_at = :at, outcome = :o where webhook_id = :w")
                .bind("w", webhookId)
                .bind("o", truncate(outcome, 200))
                .bind("at", at)
                .execute());
  }

  private static boolean uniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause())
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
    return false;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
