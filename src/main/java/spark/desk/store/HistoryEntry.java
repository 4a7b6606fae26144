package spark.desk.store;

import java.time.Instant;

/** One line of a case's timeline. */
public record HistoryEntry(Instant at, String step, String text) {}
