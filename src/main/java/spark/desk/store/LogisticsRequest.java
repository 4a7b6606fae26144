package spark.desk.store;

import java.time.Instant;

/**
 * A cancellation request filed with the logistics team (SOP step 2) and its responses (contract
 * section 11).
 */
public record LogisticsRequest(
    long id,
    long ticketId,
    String orderNumber,
    String trackingNumber,
    String carrier,
    boolean shipped,
    Instant submittedAt,
    String result,
    Instant resultAt,
    String resultBy,
    String note,
    String trackingOutcome,
    String customerOutcome) {}
