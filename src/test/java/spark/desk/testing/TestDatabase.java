package spark.desk.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import spark.desk.store.Database;

/**
 * An empty database of its own for one test (or test class), opened the way the service opens its
 * database: with the real migrations. Closing it removes it. {@link #open()} may be called more
 * than once: every {@link Database} then shares the same data, as several instances of the service
 * would.
 */
public interface TestDatabase extends AutoCloseable {
  /** The JDBC URL the service would be given as DATABASE_URL. */
  String url();

  /** DATABASE_USER, or null. */
  String user();

  /** DATABASE_PASSWORD, or null. */
  String password();

  /**
   * The service's environment for this database: DATABASE_URL, and the user and password if any.
   */
  default java.util.Map<String, String> env() {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("DATABASE_URL", url());
    if (user() != null) env.put("DATABASE_USER", user());
    if (password() != null) env.put("DATABASE_PASSWORD", password());
    return env;
  }

  default Database open() {
    return Database.open(url(), user(), password());
  }

  /** A plain connection beside the service's pool, for looking at what the service left. */
  default Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user(), password());
  }

  @Override
  void close();

  /**
   * A named in-memory H2 database; it lives until closed (Database.open keeps it past its pool).
   */
  static TestDatabase h2() {
    String url = "jdbc:h2:mem:store-" + UUID.randomUUID();
    return new TestDatabase() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public String user() {
        return null;
      }

      @Override
      public String password() {
        return null;
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection(url + ";DB_CLOSE_DELAY=-1");
      }

      @Override
      public void close() {
        try (Connection c = connect();
            Statement s = c.createStatement()) {
          s.execute("shutdown");
        } catch (SQLException e) {
          throw new IllegalStateException("cannot drop the test database " + url, e);
        }
      }
    };
  }
}
