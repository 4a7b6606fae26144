package spark.desk.zendeskapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays Zendesk for the sidebar app in the browser tests: serves {@code zendesk-app/assets} with
 * the ZAF SDK swapped for {@code zaf-stub.js}, and proxies the stub's {@code request()} calls to
 * the backend, filling in setting placeholders the way Zendesk's proxy does (secure settings only
 * for {@code secure: true} requests). Runs on an ephemeral port; one instance per test class.
 */
final class SidebarHost implements AutoCloseable {

  static final String ZAF_SDK_TAG =
      "<script src=\"https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js\"></script>";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{setting\\.(\\w+)}}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request the proxy sent to the backend, as the backend received it. */
  record ForwardedRequest(String method, String url, String authorization, String body) {}

  /** What the installed app is configured with, and who is looking at which ticket. */
  record Installation(
      long ticketId,
      long agentId,
      String agentName,
      String backendUrl,
      String backendToken,
      String role) {
    /** An agent's view (ZAF's currentUser.role "agent"). */
    Installation(
        long ticketId, long agentId, String agentName, String backendUrl, String backendToken) {
      this(ticketId, agentId, agentName, backendUrl, backendToken, "agent");
    }
  }

  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Path assets = ZendeskAppFiles.basedir().resolve("zendesk-app/assets");
  private final List<ForwardedRequest> forwarded = new CopyOnWriteArrayList<>();
  private volatile Installation installation;
  private volatile boolean backendDown;

  SidebarHost() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/assets/", this::serveAsset);
    server.createContext("/__zaf/stub.js", this::serveStub);
    server.createContext("/__zaf/request", this::proxy);
    server.start();
  }

  void install(Installation installation) {
    this.installation = installation;
    this.backendDown = false;
    forwarded.clear();
  }

  /** Cuts (or restores) the line between Zendesk's proxy and the backend. */
  void backendDown(boolean down) {
    this.backendDown = down;
  }

  String sidebarUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/assets/iframe.html";
  }

  List<ForwardedRequest> forwarded() {
    return List.copyOf(forwarded);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void serveAsset(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().substring("/assets/".length());
    if (name.equals("iframe.html")) {
      String html = Files.readString(assets.resolve(name));
      if (!html.contains(ZAF_SDK_TAG)) {
        throw new IllegalStateException("iframe.html no longer loads the ZAF SDK 2.0");
      }
      String stub =
          "<script>window.__zafStubConfig = "
              + JSON.writeValueAsString(pageConfig())
              + ";</script>\n  <script src=\"/__zaf/stub.js\"></script>";
      respond(
          exchange,
          200,
          "text/html",
          html.replace(ZAF_SDK_TAG, stub).getBytes(StandardCharsets.UTF_8));
      return;
    }
    Path file =
        name.equals("i18n.js") ? ZendeskAppFiles.generatedI18n() : assets.resolve(name).normalize();
    if (!file.startsWith(assets) && !name.equals("i18n.js") || !Files.isRegularFile(file)) {
      respond(exchange, 404, "text/plain", ("no asset " + name).getBytes(StandardCharsets.UTF_8));
      return;
    }
    respond(exchange, 200, contentType(name), Files.readAllBytes(file));
  }

  private void serveStub(HttpExchange exchange) throws IOException {
    try (InputStream in = SidebarHost.class.getResourceAsStream("/web/demo/zaf-stub.js")) {
      respond(exchange, 200, "text/javascript", in.readAllBytes());
    }
  }

  /** The non-secure part of the installation, which is all a real ZAF page can see. */
  private Map<String, Object> pageConfig() {
    Installation i = installation;
    Map<String, Object> settings = new java.util.HashMap<>();
    settings.put("backend_url", i.backendUrl());
    return Map.of(
        "ticketId", i.ticketId(),
        "currentUser",
            Map.of("id", i.agentId(), "name", i.agentName(), "locale", "en-US", "role", i.role()),
        "settings", settings);
  }

  private void proxy(HttpExchange exchange) throws IOException {
    JsonNode options = JSON.readTree(exchange.getRequestBody());
    boolean secure = options.path("secure").asBoolean(false);
    String method = options.path("type").asText("GET").toUpperCase(java.util.Locale.ROOT);
    String url = fill(options.path("url").asText(), secure);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    String authorization = null;
    var headers = options.path("headers").fields();
    while (headers.hasNext()) {
      var header = headers.next();
      String value = fill(header.getValue().asText(), secure);
      request.header(header.getKey(), value);
      if (header.getKey().equalsIgnoreCase("Authorization")) {
        authorization = value;
      }
    }
    String body = options.hasNonNull("data") ? fill(options.path("data").asText(), secure) : null;
    if (body != null) {
      request.header("Content-Type", options.path("contentType").asText("application/json"));
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    forwarded.add(new ForwardedRequest(method, url, authorization, body));

    ObjectNode reply = JSON.createObjectNode();
    try {
      if (backendDown) {
        throw new java.net.ConnectException("the backend is down");
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      reply.put("status", response.statusCode());
      reply.put("body", response.body());
    } catch (IOException unreachable) {
      // Zendesk's proxy answers for a backend it cannot reach.
      reply.put("status", 502);
      reply.put("statusText", "Bad Gateway");
      reply.put("body", "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    respond(exchange, 200, "application/json", JSON.writeValueAsBytes(reply));
  }

  private String fill(String text, boolean secure) {
    Installation i = installation;
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "backend_url" -> i.backendUrl();
            case "backend_token" -> secure ? i.backendToken() : m.group();
            default -> m.group();
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String contentType(String name) {
    if (name.endsWith(".js")) {
      return "text/javascript";
    }
    if (name.endsWith(".css")) {
      return "text/css";
    }
    if (name.endsWith(".png")) {
      return "image/png";
    }
    return "application/octet-stream";
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange
        .getResponseHeaders()
        .set("Content-Type", type + (type.startsWith("image") ? "" : "; charset=utf-8"));
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
