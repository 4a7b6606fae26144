package spark.desk.store;

import java.time.Instant;

/**
 * An accepted input as the inbox stores it, waiting to be worked on: its kind and JSON payload
 * (read back as a typed {@code cases.Input}).
 */
public record InboxItem(long id, long ticketId, String kind, String payload, Instant receivedAt) {}
