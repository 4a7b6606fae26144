package spark.desk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every route is registered on: JSON through the one shared mapper, the body limit,
 * the security headers, and errors as the contract's {@code {"error", "detail"}} (section 3).
 */
public final class WebServer {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  /** The contract's error body. */
  public record ErrorBody(String error, String detail) {}

  private WebServer() {}

  /** An unstarted server with no routes. */
  public static Javalin create(ObjectMapper json) {
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
    errors(server);
    return server;
  }

  private static void errors(Javalin server) {
    server.exception(
        ApiException.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.getMessage()));
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
