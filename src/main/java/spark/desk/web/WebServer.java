package spark.desk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.store.Durability;

/**
 * The HTTP server every route is registered on: JSON through the one shared mapper, the body limit,
 * the security headers, and errors as the contract's {@code {"error", "detail"}} (section 3).
 */
public final class WebServer {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  /** The contract's error body. */
  public record ErrorBody(String error, String detail) {}

  private WebServer() {}

  /**
   * An unstarted server with no routes. {@code authFailures} counts refused credentials per address
   * and slows an address that earns too many (issue 14, part 7).
   */
  public static Javalin create(ObjectMapper json, AuthFailures authFailures) {
    Javalin server =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.jsonMapper(new JavalinJackson(json, false));
              // Refuses a declared Content-Length over the limit before any handler; a chunked
              // body is bounded by Bodies, which every endpoint reads through.
              cfg.http.maxRequestSize = Bodies.MAX_BODY;
              cfg.useVirtualThreads = false;
            });
    SecurityHeaders.install(server);
    server.before(ctx -> tooManyFailures(ctx, authFailures));
    // What a reply to a POST, PUT or DELETE acknowledges (a webhook's 202, a logistics result, an
    // agent's action) is in the database file before the reply leaves (Javalin writes the result
    // after the "after" handlers).
    server.after(WebServer::durableBeforeReply);
    errors(server, authFailures);
    return server;
  }

  /**
   * An address that earned too many 401s is answered 429 on every endpoint that checks a token or a
   * signature, before any check (issue 14, part 7).
   */
  private static void tooManyFailures(Context ctx, AuthFailures authFailures) {
    if (!ctx.path().startsWith("/api/") && !ctx.path().startsWith("/webhooks/")) return;
    authFailures
        .blocked(ctx.req().getRemoteAddr())
        .ifPresent(
            wait -> {
              ctx.header("Retry-After", String.valueOf(Math.max(1, wait.toSeconds() + 1)));
              error(ctx, 429, "too_many_requests", "too many refused credentials; try again later");
              ctx.skipRemainingHandlers();
            });
  }

  private static void durableBeforeReply(Context ctx) {
    if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) return;
    try {
      Durability.sync();
    } catch (RuntimeException e) {
      log.warn(
          "{} {}: the database file cannot be written: {}", ctx.method(), ctx.path(), e.toString());
      ctx.header("Retry-After", String.valueOf(StoreUnavailable.RETRY_AFTER_SECONDS));
      error(ctx, 503, "unavailable", "the database cannot keep this now; send it again later");
    }
  }

  private static void errors(Javalin server, AuthFailures authFailures) {
    server.exception(
        ApiException.class,
        (e, ctx) -> {
          if (e.status() == 401) authFailures.failed(ctx.req().getRemoteAddr());
          error(ctx, e.status(), e.error(), e.getMessage());
        });
    server.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int status = e.getStatus();
          String error =
              switch (status) {
                case 404 -> "not_found";
                case 413 -> "payload_too_large";
                case 405 -> "method_not_allowed";
                default -> status < 500 ? "bad_request" : "server_error";
              };
          error(ctx, status, error, status == 413 ? "the body is over 256 KiB" : e.getMessage());
        });
    server.exception(
        Exception.class,
        (e, ctx) -> {
          if (StoreUnavailable.is(e)) {
            log.warn(
                "{} {}: the database is unavailable: {}", ctx.method(), ctx.path(), e.toString());
            ctx.header("Retry-After", String.valueOf(StoreUnavailable.RETRY_AFTER_SECONDS));
            error(ctx, 503, "unavailable", "the database cannot take this now; nothing was stored");
            return;
          }
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, "server_error", "the request could not be handled; it changed nothing");
        });
    server.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty())
            error(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
        });
  }

  private static void error(Context ctx, int status, String error, String detail) {
    ctx.status(status).json(new ErrorBody(error, detail == null ? "" : detail));
  }
}
