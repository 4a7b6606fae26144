package spark.desk.store;

import java.time.Instant;
import spark.desk.sop.Write;

/** A decided Zendesk update and whether Zendesk has it yet. */
public record StoredWrite(
    long id,
    long ticketId,
    Instant at,
    Write write,
    boolean shadow,
    Instant appliedAt,
    int attempts) {
  public boolean applied() {
    return appliedAt != null;
  }
}
