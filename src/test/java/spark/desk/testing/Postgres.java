package spark.desk.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL the tests run on, when there is one: {@code TEST_DATABASE_URL} (with {@code
 * TEST_DATABASE_USER}, {@code TEST_DATABASE_PASSWORD}), else {@code
 * jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres} when that answers. Test classes that
 * need it are annotated {@code @ExtendWith(Postgres.Required.class)}: without PostgreSQL they are
 * skipped and reported so, with the reason; except on CI ({@code CI=true}) with {@code
 * TEST_DATABASE_URL} set, where an unreachable database fails them ({@link #assumeAvailable()},
 * {@link #freshSchema()}).
 *
 * <p>Each fresh schema is created through JDBC and handed to the service as {@code
 * ?currentSchema=...}, so tests never see each other's tables and the database needs no cleaning.
 */
public final class Postgres {
  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String DEFAULT_USER = "postgres";

  private static final String URL = env("TEST_DATABASE_URL");
  private static final boolean EXPLICIT = URL != null;
  private static final String BASE_URL = EXPLICIT ? URL : DEFAULT_URL;
  private static final String USER = EXPLICIT ? env("TEST_DATABASE_USER") : DEFAULT_USER;
  private static final String PASSWORD = env("TEST_DATABASE_PASSWORD");
  private static final boolean CI = "true".equalsIgnoreCase(env("CI"));

  /** Null when PostgreSQL answered; otherwise why not. Probed once per test run. */
  private static final String UNAVAILABLE = probe();

  private Postgres() {}

  /** Skips a test class when there is no PostgreSQL to use, unless that must fail (on CI). */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (UNAVAILABLE == null)
        return ConditionEvaluationResult.enabled("PostgreSQL at " + BASE_URL);
      if (mustNotSkip())
        return ConditionEvaluationResult.enabled(
            "CI=true and TEST_DATABASE_URL is set: runs to fail");
      return ConditionEvaluationResult.disabled(
          EXPLICIT ? why() : why() + " (TEST_DATABASE_URL names another PostgreSQL)");
    }
  }

  /**
   * Fails (on CI with TEST_DATABASE_URL) or skips the calling test when there is no PostgreSQL to
   * use.
   */
  public static void assumeAvailable() {
    if (UNAVAILABLE == null) return;
    if (mustNotSkip())
      Assertions.fail(why() + " (CI=true and TEST_DATABASE_URL is set, so this is not skipped)");
    Assumptions.abort(why());
  }

  private static boolean mustNotSkip() {
    return EXPLICIT && CI;
  }

  private static String why() {
    return "PostgreSQL at " + BASE_URL + " is not reachable: " + UNAVAILABLE;
  }

  /** A new empty schema, dropped (with everything in it) on close. */
  public static TestDatabase freshSchema() {
    assumeAvailable();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    execute("create schema " + schema);
    String url = BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new TestDatabase() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public String user() {
        return USER;
      }

      @Override
      public String password() {
        return PASSWORD;
      }

      @Override
      public void close() {
        execute("drop schema " + schema + " cascade");
      }

      @Override
      public String toString() {
        return "PostgreSQL schema " + schema;
      }
    };
  }

  private static void execute(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + BASE_URL + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    if (USER != null) p.setProperty("user", USER);
    if (PASSWORD != null) p.setProperty("password", PASSWORD);
    p.setProperty("connectTimeout", "3");
    p.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(BASE_URL, p);
  }

  private static String probe() {
    try (Connection c = connect()) {
      return c.isValid(5) ? null : "the connection is not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
