package spark.desk.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Recognises "the database cannot take this right now" (down, unreachable, pool exhausted) among a
 * failure's causes. Contract 3: such a webhook is answered 503 with Retry-After, never 500 — the
 * senders (Zendesk, EasyPost, AfterShip, Shopify) retry a 503, and nothing was stored (the
 * transaction that failed committed nothing).
 */
public final class StoreUnavailable {
  /** Seconds a sender is asked to wait before trying again. */
  public static final int RETRY_AFTER_SECONDS = 10;

  private StoreUnavailable() {}

  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Hikari's "Connection is not available, request timed out" and the driver's refused or
      // broken connection.
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) return true;
      // SQLSTATE class 08: connection exception (the same on PostgreSQL and H2).
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) return true;
    }
    return false;
  }
}
