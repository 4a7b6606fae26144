package spark.desk.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.mvstore.MVStore;
import org.jdbi.v3.core.Jdbi;
import spark.desk.config.Config;
import spark.desk.shared.DeskException;

/**
 * The connection pool, the migrated schema and Jdbi over it. H2 (embedded, the default) or
 * PostgreSQL.
 */
public final class Database implements AutoCloseable {
  static {
    // H2's AUTO_SERVER opens a TCP port so that a second process (`tokens`) can reach the file
    // while the service runs; by default it listens on every interface. h2.bindAddress (read once,
    // by org.h2.engine.SysProperties, and also written into the .lock.db file that the second
    // process reads) keeps it on the loopback interface (issue 14, part 5). An operator's -D wins.
    if (System.getProperty("h2.bindAddress") == null)
      System.setProperty("h2.bindAddress", "127.0.0.1");
  }

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private final HikariConfig config;
  private volatile HikariDataSource side;
  private final Optional<MVStore> file;
  private final Optional<H2Housekeeping> housekeeping;

  private Database(HikariDataSource dataSource, HikariConfig config) {
    this.config = config;
    this.dataSource = dataSource;
    this.jdbi = jdbi(dataSource);
    this.file = H2Housekeeping.fileStore(dataSource, config.getJdbcUrl());
    file.ifPresent(Durability::opened);
    this.housekeeping = file.map(f -> H2Housekeeping.start(f, HOUSEKEEPING_MILLIS));
  }

  /** How often the embedded H2 file's half-empty chunks are rewritten ({@link H2Housekeeping}). */
  private static final long HOUSEKEEPING_MILLIS = 1_000;

  public static Database open(Config config) {
    return open(
        config.databaseUrl(),
        config.databaseUser().orElse(null),
        config.databasePassword().orElse(null));
  }

  public static Database open(String url, String user, String password) {
    String jdbcUrl = url;
    if (url.startsWith("jdbc:h2:file:")) {
      try {
        Path file = Path.of(url.substring("jdbc:h2:file:".length()).split(";")[0]);
        if (file.getParent() != null) DataFolder.create(file.getParent());
      } catch (java.io.IOException e) {
        throw new DeskException(
            "DATABASE_URL: cannot create the database folder: " + e.getMessage(), e);
      }
    }
    // H2 writes commits to the file in the background (WRITE_DELAY, 500 ms by default); what is
    // acknowledged or sent is written first (Durability). H2Housekeeping rewrites half-empty
    // chunks, which H2 frees after RETENTION_TIME (45 s by default: too long to keep up, see
    // there).
    if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase().contains("RETENTION_TIME"))
      jdbcUrl = jdbcUrl + ";RETENTION_TIME=" + H2Housekeeping.RETENTION_MILLIS;
    if (url.startsWith("jdbc:h2:")
        && !url.toUpperCase().contains("DB_CLOSE_DELAY")
        && url.startsWith("jdbc:h2:mem:")) {
      jdbcUrl = url + ";DB_CLOSE_DELAY=-1";
    }
    // H2 keeps 8 parsed statements per connection by default; the work path uses a few dozen,
    // and parsing them again was a tenth of the CPU of a burst.
    if (jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.toUpperCase().contains("QUERY_CACHE_SIZE"))
      jdbcUrl = jdbcUrl + ";QUERY_CACHE_SIZE=64";
    // H2 closes itself in its own JVM shutdown hook, possibly while work still runs ("Database is
    // already closed"); the service closes it last, in order, when its pool closes. H2 refuses
    // this together with AUTO_SERVER=TRUE (the default URL, so that `tokens` can open the file
    // beside the server): there H2 keeps its hook, and Main runs the stop on SIGTERM/SIGINT before
    // the JVM's hooks start.
    if (jdbcUrl.startsWith("jdbc:h2:")
        && !jdbcUrl.toUpperCase().contains("DB_CLOSE_ON_EXIT")
        && !jdbcUrl.toUpperCase().contains("AUTO_SERVER=TRUE"))
      jdbcUrl = jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE";
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    if (user != null) hc.setUsername(user);
    if (password != null) hc.setPassword(password);
    hc.setMaximumPoolSize(20);
    hc.setPoolName("desk");
    // Intake never waits long for a connection (contract 3): past this a webhook is answered 503
    // with Retry-After and its sender retries; work taken from the queue is retried by the queue.
    hc.setConnectionTimeout(3_000);
    hc.setInitializationFailTimeout(15_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new DeskException(
          "DATABASE_URL: cannot connect to the database (" + rootMessage(e) + ")", e);
    }
    String vendor = jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new DeskException("database migration failed: " + rootMessage(e), e);
    }
    return new Database(ds, hc);
  }

  /**
   * A second, small pool for short statements made while the caller holds a connection of the main
   * pool (the shared Zendesk budget), so a busy main pool can never starve them.
   */
  public synchronized Jdbi sideJdbi() {
    if (side == null) {
      HikariConfig hc = new HikariConfig();
      config.copyStateTo(hc);
      hc.setPoolName("desk-side");
      hc.setMaximumPoolSize(2);
      side = new HikariDataSource(hc);
    }
    return jdbi(side);
  }

  /**
   * Jdbi over {@code dataSource}. Its SQL-array and mapping settings are made once here: Jdbi
   * copies its settings into every statement, and makes those it does not have yet afresh each time
   * one is asked for; every bound argument asks for these, so each statement built them anew by
   * reflection, with their twenty default types (about 2% of the CPU of a burst, in a JFR profile).
   */
  private static Jdbi jdbi(DataSource dataSource) {
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.getConfig(org.jdbi.v3.core.array.SqlArrayTypes.class);
    // Asked for by every query's mapping (fewer times each, also seen in the profile).
    jdbi.getConfig(org.jdbi.v3.core.mapper.ColumnMappers.class);
    jdbi.getConfig(org.jdbi.v3.core.mapper.RowMappers.class);
    jdbi.getConfig(org.jdbi.v3.core.collector.JdbiCollectors.class);
    return jdbi;
  }

  /** The embedded H2 file's housekeeping, when this process opened one. */
  Optional<H2Housekeeping> housekeeping() {
    return housekeeping;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** For /ready: whether a connection answers a trivial query. */
  public boolean reachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    file.ifPresent(Durability::closing);
    housekeeping.ifPresent(H2Housekeeping::close);
    if (side != null) side.close();
    dataSource.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
