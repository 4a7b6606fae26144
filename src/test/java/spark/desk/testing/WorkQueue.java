package spark.desk.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The service's work queue seen from its database, for tests that assert that nothing more
 * happened: waiting until it is empty replaces sleeping "long enough", so such a test cannot pass
 * before the work it checks has been done.
 *
 * <p>Empty means: every inbox item worked ({@code inbox.processed_at} set), every decided Zendesk
 * update sent or set aside ({@code writes}), and no one-time db-scheduler execution left in {@code
 * scheduled_tasks} (the inbox and Zendesk-write tasks, due or running; a case's timer once due);
 * the recurring {@code due-checks} sweep and {@code retention} pass and a case timer not yet due
 * are not work.
 */
public final class WorkQueue {
  private static final String LEFT =
      "select (select count(*) from inbox where processed_at is null)"
          + " + (select count(*) from writes"
          + "    where applied_at is null and shadow = false and gave_up = false)"
          + " + (select count(*) from scheduled_tasks"
          + "    where task_name not in ('due-checks', 'retention')"
          + "    and not (task_name = 'case-timer' and picked = false"
          + "             and execution_time > current_timestamp))";

  private WorkQueue() {}

  /** Waits (bounded) until the queue of the service behind {@code desk} is empty. */
  public static void awaitEmpty(Desk desk) {
    DataSource data = desk.app.database().dataSource();
    awaitEmpty(data::getConnection);
  }

  /**
   * The same for a service in another process, whose database file it holds: through its {@code
   * /metrics}, every inbox item worked and every decided update sent ({@code desk_inbox_pending 0},
   * {@code desk_writes_pending 0}).
   */
  public static void awaitEmpty(URI service) {
    awaitEmpty(service, Duration.ofSeconds(20));
  }

  /** The same, waiting at most {@code max}. */
  public static void awaitEmpty(URI service, Duration max) {
    HttpClient http = HttpClient.newHttpClient();
    Desk.await(
        "an empty work queue at " + service,
        () -> {
          try {
            String metrics =
                http.send(
                        HttpRequest.newBuilder(service.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
            return gauge(metrics, "desk_inbox_pending") == 0
                && gauge(metrics, "desk_writes_pending") == 0;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        },
        max);
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  private static void awaitEmpty(Connect connect) {
    Desk.await("an empty work queue", () -> left(connect) == 0);
  }

  private static long left(Connect connect) {
    try (Connection c = connect.open();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(LEFT)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError("reading the work queue failed: " + e.getMessage(), e);
    }
  }

  /** A gauge's value in Prometheus text ({@code 0} or {@code 0.0}); -1 when it is not there. */
  static double gauge(String metrics, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
