package spark.desk.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.Set;

/**
 * The service's own pages (the logistics page, the team lead's page): each is {@code
 * /web/<page>/index.html} in the jar, served at {@code /<page>}, with the files beside it at {@code
 * /<page>/<file>}. The pages hold no data and sign in from the browser, so serving them needs no
 * token; what they fetch afterwards does.
 */
public final class Pages {
  private Pages() {}

  /** Registers {@code GET /<page>} and {@code GET /<page>/<file>} for the listed files only. */
  public static void register(Javalin server, String page, Set<String> files) {
    server.get("/" + page, ctx -> serve(ctx, "/web/" + page + "/index.html", page));
    server.get(
        "/" + page + "/{file}",
        ctx -> {
          String file = ctx.pathParam("file");
          if (!files.contains(file)) throw ApiException.notFound("no such file");
          serve(ctx, "/web/" + page + "/" + file, page);
        });
  }

  /**
   * Answers with a resource of the jar, typed by its ending (HTML, JavaScript, else CSS); a 404
   * naming the page when this build lacks it.
   */
  public static void serve(Context ctx, String resource, String page) {
    InputStream in = Pages.class.getResourceAsStream(resource);
    if (in == null) throw ApiException.notFound("the " + page + " page is not part of this build");
    ctx.contentType(type(resource)).result(in);
  }

  private static String type(String resource) {
    if (resource.endsWith(".html")) return "text/html; charset=utf-8";
    if (resource.endsWith(".js")) return "text/javascript; charset=utf-8";
    return "text/css; charset=utf-8";
  }
}
