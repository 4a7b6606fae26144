package spark.desk.ops;

import java.time.Instant;

/** An open case as the /ops page lists it. */
public record OpenCase(
    long ticketId, String orderNumber, String stage, Instant openedAt, String nextAction) {}
