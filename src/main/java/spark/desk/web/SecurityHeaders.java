package spark.desk.web;

import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Headers on every answer, pages and API alike.
 *
 * <p>Nothing we serve is framed: the sidebar app's {@code iframe.html} is in the app zip and
 * Zendesk serves it from its own host ({@code manifest.json}: {@code "url": "assets/iframe.html"}),
 * and it reaches our API through Zendesk's server-side proxy ({@code client.request} with {@code
 * secure: true}), not from the browser. So {@code frame-ancestors 'none'}. The logistics page loads
 * its script and style sheet from {@code /logistics/} and has no inline script or style, so {@code
 * default-src 'self'} is enough for it.
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void install(Javalin server) {
    server.before(SecurityHeaders::apply);
  }

  static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    // Answers carry cases, tokens' results and customers' data: never kept by a cache. The page
    // and its two assets hold no data.
    if (!isPage(ctx.path())) ctx.header("Cache-Control", "no-store");
  }

  private static boolean isPage(String path) {
    return path.equals("/logistics") || path.startsWith("/logistics/");
  }
}
