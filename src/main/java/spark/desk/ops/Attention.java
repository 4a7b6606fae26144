package spark.desk.ops;

import java.time.Instant;

/**
 * A case that needs a person (contract section 12): {@code reason} is {@code lookup_failed}, {@code
 * needs_order_number}, {@code order_not_found}, {@code tracking_stalled}, {@code
 * logistics_overdue}, {@code write_refused} or {@code input_set_aside} (the one reason a ticket
 * without a case can have: then {@code orderNumber} and {@code stage} are null).
 */
public record Attention(
    long ticketId, String orderNumber, String stage, String reason, Instant since) {}
