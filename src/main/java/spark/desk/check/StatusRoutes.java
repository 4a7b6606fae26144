package spark.desk.check;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.web.ApiException;
import spark.desk.web.Tokens;

/**
 * {@code GET /api/status} (contract 8a): the checks as {@code {"checks": [{"name", "ok",
 * "detail"}]}}, run at most once a minute; for ops ({@code ADMIN_TOKEN}) and the sidebar ({@code
 * APP_TOKEN}), which shows an admin a set-up problem. Details name no secret.
 */
public final class StatusRoutes {
  static final Duration CACHE = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(StatusRoutes.class);

  private final Checks checks;
  private final Tokens tokens;
  private final Clock clock;
  private List<CheckResult> last;
  private Instant lastAt = Instant.MIN;

  public StatusRoutes(Checks checks, Tokens tokens, Clock clock) {
    this.checks = checks;
    this.tokens = tokens;
    this.clock = clock;
  }

  public void register(Javalin server) {
    server.get("/api/status", this::status);
  }

  /** Runs the checks once now (at start-up) and logs each failure as a warning. */
  public void runAndLog() {
    for (CheckResult r : results()) if (r.failed()) log.warn("check {}", r.line());
  }

  private void status(Context ctx) {
    try {
      Tokens.require(ctx, tokens.admin(), "admin");
    } catch (ApiException notAdmin) {
      Tokens.require(ctx, tokens.app(), "admin or app");
    }
    ctx.json(Map.of("checks", results()));
  }

  synchronized List<CheckResult> results() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(lastAt.plus(CACHE))) {
      last = checks.run();
      lastAt = now;
    }
    return last;
  }
}
