package spark.desk.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import spark.desk.cases.CaseService;
import spark.desk.shared.Json;
import spark.desk.web.ApiException;
import spark.desk.web.Tokens;

/**
 * The demo's pages, on the service's own server (loopback only): the start page, the sidebar
 * preview (the real app from the jar's {@code zendesk-app/package.zip} in an iframe, with the
 * shipped stub ZAFClient in place of the ZAF SDK, next to the ticket as the stand-in Zendesk holds
 * it), and the sign-in hand-over to {@code /logistics} and {@code /ops}. Registered only by the
 * {@code demo} command.
 */
final class DemoRoutes {
  /** The script tag of iframe.html that the stub replaces (the SDK is never loaded). */
  static final String ZAF_SDK_TAG =
      "<script src=\"https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js\"></script>";

  /**
   * The preview frames the app's page: the service's policy with framing by the same origin only.
   */
  static final String FRAMED_POLICY = "default-src 'self'; frame-ancestors 'self'";

  private static final Set<String> ASSETS =
      Set.of(
          "demo.css",
          "demo.js",
          "preview.html",
          "preview.js",
          "signin.html",
          "signin.js",
          "zaf-stub.js");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{setting\\.(\\w+)}}");

  private final DemoZendesk zendesk;
  private final DemoWorld world;
  private final CaseService cases;
  private final Tokens tokens;
  private final FastClock clock;
  private final Map<String, byte[]> app;
  private final HttpClient http =
      HttpClient.newBuilder()
          // The JVM's proxy selector, like the service's OkHttp clients (the demo's test watches
          // it).
          .proxy(
              java.net.ProxySelector.getDefault() != null
                  ? java.net.ProxySelector.getDefault()
                  : java.net.ProxySelector.of(null))
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private volatile String backendUrl;

  DemoRoutes(
      DemoZendesk zendesk, DemoWorld world, CaseService cases, Tokens tokens, FastClock clock) {
    this.zendesk = zendesk;
    this.world = world;
    this.cases = cases;
    this.tokens = tokens;
    this.clock = clock;
    this.app = appAssets();
  }

  /** The service's own address, known once it listens. */
  void backend(String url) {
    this.backendUrl = url;
  }

  void register(Javalin server) {
    server.get("/", ctx -> ctx.redirect("/demo"));
    server.get("/demo", ctx -> page(ctx, "index.html"));
    server.get("/demo/assets/{file}", this::asset);
    server.get("/demo/preview/{id}", ctx -> page(ctx, "preview.html"));
    server.get("/demo/signin/{page}", ctx -> page(ctx, "signin.html"));
    server.get("/demo/api/tickets", ctx -> ctx.json(overview()));
    server.get("/demo/api/tickets/{id}", ctx -> ctx.json(ticket(id(ctx))));
    server.post("/demo/api/tickets/{id}/invoke", this::invoke);
    server.get(
        "/demo/api/session",
        ctx -> ctx.json(Map.of("logistics", tokens.logistics(), "admin", tokens.admin())));
    server.get(
        "/demo/api/served",
        ctx -> ctx.json(Map.of("zendesk", zendesk.served(), "ordersAndTracking", world.served())));
    server.get("/demo/app/{id}/zaf-config.js", this::stubConfig);
    server.get("/demo/app/{id}/{file}", this::appAsset);
    server.post("/__zaf/request", this::proxy);
  }

  private Map<String, Object> overview() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", clock.instant().toString());
    out.put("speed", clock.speed());
    out.put(
        "tickets",
        world.cases().stream()
            .map(
                c -> {
                  Map<String, Object> t = ticket(c.ticketId());
                  t.put("what", c.what());
                  return t;
                })
            .toList());
    return out;
  }

  private Map<String, Object> ticket(long id) {
    DemoZendesk.TicketJson t =
        zendesk.find(id).orElseThrow(() -> ApiException.notFound("the demo has no ticket " + id));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ticket", t);
    cases
        .find(id)
        .ifPresent(
            c -> {
              out.put("stage", c.stage().wire());
              out.put("step", c.sopStep());
            });
    out.put("now", clock.instant().toString());
    return out;
  }

  private void invoke(Context ctx) throws IOException {
    long id = id(ctx);
    JsonNode body = Json.mapper().readTree(ctx.body());
    if ("macro".equals(body.path("name").asText())) {
      JsonNode macro = body.path("args").path(0);
      if (!macro.canConvertToLong()) throw ApiException.badRequest("a macro id is required");
      zendesk.applyMacro(id, macro.asLong());
    }
    ctx.status(204);
  }

  private void stubConfig(Context ctx) throws IOException {
    long id = id(ctx);
    Map<String, Object> settings = new HashMap<>();
    settings.put("backend_url", backendUrl);
    Map<String, Object> config =
        Map.of(
            "ticketId",
            id,
            "currentUser",
            Map.of("id", 9001, "name", "Demo Agent", "locale", "en-US", "role", "agent"),
            "settings",
            settings,
            "invokeUrl",
            "/demo/api/tickets/" + id + "/invoke");
    ctx.contentType("text/javascript; charset=utf-8")
        .result(
            "// The stub ZAFClient's installation in the demo.\nwindow.__zafStubConfig = "
                + Json.mapper().writeValueAsString(config)
                + ";\n");
  }

  private void appAsset(Context ctx) {
    String file = ctx.pathParam("file");
    byte[] bytes = app.get("assets/" + file);
    if (bytes == null) throw ApiException.notFound("the app has no asset " + file);
    ctx.header("Content-Security-Policy", FRAMED_POLICY);
    if (file.equals("iframe.html")) {
      String html = new String(bytes, StandardCharsets.UTF_8);
      if (!html.contains(ZAF_SDK_TAG))
        throw new IllegalStateException("iframe.html no longer loads the ZAF SDK 2.0");
      html =
          html.replace(
              ZAF_SDK_TAG,
              "<script src=\"zaf-config.js\"></script>\n"
                  + "  <script src=\"/demo/assets/zaf-stub.js\"></script>");
      ctx.contentType("text/html; charset=utf-8").result(html);
      return;
    }
    ctx.contentType(type(file)).result(bytes);
  }

  /**
   * Zendesk's proxy for the stub's {@code request()}: fills the setting placeholders (the token
   * only for secure requests) and calls the service, on loopback only.
   */
  private void proxy(Context ctx) throws IOException, InterruptedException {
    JsonNode options = Json.mapper().readTree(ctx.body());
    boolean secure = options.path("secure").asBoolean(false);
    String url = fill(options.path("url").asText(), secure);
    if (!url.startsWith(backendUrl + "/api/app/"))
      throw ApiException.badRequest("the demo's proxy only calls the service's app API");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    var headers = options.path("headers").fields();
    while (headers.hasNext()) {
      var h = headers.next();
      request.header(h.getKey(), fill(h.getValue().asText(), secure));
    }
    String body = options.hasNonNull("data") ? fill(options.path("data").asText(), secure) : null;
    if (body != null)
      request.header("Content-Type", options.path("contentType").asText("application/json"));
    request.method(
        options.path("type").asText("GET").toUpperCase(Locale.ROOT),
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    ctx.json(Map.of("status", response.statusCode(), "body", response.body()));
  }

  private String fill(String text, boolean secure) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "backend_url" -> backendUrl;
            case "backend_token" -> secure ? tokens.app() : m.group();
            default -> m.group();
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void asset(Context ctx) {
    String file = ctx.pathParam("file");
    if (!ASSETS.contains(file)) throw ApiException.notFound("no demo asset " + file);
    ctx.contentType(type(file)).result(resource(file));
  }

  private void page(Context ctx, String file) {
    if (file.equals("preview.html")) ctx.header("Content-Security-Policy", FRAMED_POLICY);
    ctx.contentType("text/html; charset=utf-8").result(resource(file));
  }

  private static InputStream resource(String file) {
    InputStream in = DemoRoutes.class.getResourceAsStream("/web/demo/" + file);
    if (in == null) throw ApiException.notFound("the demo is not part of this build");
    return in;
  }

  private static long id(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("a ticket id is a number");
    }
  }

  /** The sidebar app as the build packs it for Zendesk (with the generated i18n.js). */
  private static Map<String, byte[]> appAssets() {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream zip = DemoRoutes.class.getResourceAsStream("/zendesk-app/package.zip")) {
      if (zip == null) throw new IllegalStateException("the sidebar app is not part of this build");
      try (ZipInputStream in = new ZipInputStream(zip)) {
        for (ZipEntry e; (e = in.getNextEntry()) != null; )
          if (!e.isDirectory()) files.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(files);
  }

  private static String type(String file) {
    if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
    if (file.endsWith(".css")) return "text/css; charset=utf-8";
    if (file.endsWith(".png")) return "image/png";
    if (file.endsWith(".html")) return "text/html; charset=utf-8";
    return "application/octet-stream";
  }

  static List<String> assets() {
    return List.copyOf(ASSETS);
  }
}
