package spark.desk.store;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementException;

/**
 * An insert that a unique key may reject because a concurrent transaction inserted the same key:
 * its uncommitted row is invisible to a "where not exists" check, so both insert, and the later one
 * fails once the first commits.
 */
final class UniqueInsert {
  /** The SQLSTATE of a unique violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static final String SAVEPOINT = "unique_insert";

  private UniqueInsert() {}

  /**
   * The insert's result, or empty when a unique key rejected it. Inside a transaction the insert
   * runs under a savepoint, so the transaction goes on afterwards (PostgreSQL aborts a transaction
   * at its first error).
   */
  static <T> Optional<T> attempt(Handle h, Supplier<T> insert) {
    boolean inTransaction = h.isInTransaction();
    if (inTransaction) h.savepoint(SAVEPOINT);
    T result;
    try {
      result = insert.get();
    } catch (StatementException e) {
      if (!isUniqueViolation(e)) throw e;
      if (inTransaction) h.rollbackToSavepoint(SAVEPOINT);
      return Optional.empty();
    }
    if (inTransaction) h.releaseSavepoint(SAVEPOINT);
    return Optional.of(result);
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) return true;
    }
    return false;
  }
}
