package spark.desk.web;

import io.javalin.Javalin;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The service's own endpoints for load balancers, and what a stopping service answers (issue 8,
 * part 5). Once {@link #begin()} was called, every webhook is answered {@code 503} with {@code
 * Retry-After} — Zendesk, the tracking providers and Shopify retry such a delivery (contract
 * section 3) — while the work already taken finishes; {@code GET /ready} answers {@code 503
 * {"status": "stopping"}} so a load balancer sends nothing new; {@code GET /health} stays {@code
 * 200} (the process is alive). Thread-safe.
 */
public final class Stopping {
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * Adds the webhook gate, {@code GET /health} and {@code GET /ready} ({@code 200} while {@code
   * databaseReachable} and not stopping).
   */
  public void register(Javalin server, BooleanSupplier databaseReachable) {
    server.before(
        "/webhooks/*",
        ctx -> {
          if (stopping.get()) {
            ctx.header("Retry-After", String.valueOf(StoreUnavailable.RETRY_AFTER_SECONDS));
            throw new ApiException(503, "unavailable", "the service is stopping; retry shortly");
          }
        });
    server.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
    server.get(
        "/ready",
        ctx -> {
          if (stopping.get()) {
            ctx.status(503).json(Map.of("status", "stopping"));
            return;
          }
          boolean up = databaseReachable.getAsBoolean();
          ctx.status(up ? 200 : 503).json(Map.of("status", up ? "ready" : "database unreachable"));
        });
  }

  /** From now on webhooks are refused; true for the first caller only. */
  public boolean begin() {
    return stopping.compareAndSet(false, true);
  }

  public boolean stopping() {
    return stopping.get();
  }
}
