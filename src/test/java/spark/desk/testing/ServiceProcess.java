package spark.desk.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import spark.desk.webhook.Signatures;

/**
 * The service as a real process ({@code spark.desk.Main serve} on the test class path), against
 * WireMock stand-ins, on an H2 file database that outlives it: for stops, kills and pauses.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Path dir;
  private final String stubsUrl;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private Path output;
  private int launches;

  public ServiceProcess(Path dir, String stubsUrl) throws IOException {
    this.dir = dir;
    this.stubsUrl = stubsUrl;
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
  }

  /**
   * The stand-ins a process runs against, on one WireMock with {@code containerThreads} threads: a
   * Zendesk whose tickets are cancellation requests and that remembers the notes it is sent ({@code
   * notes}), and no macros. The order and tracking systems ({@code /orders-system/}, {@code
   * /tracking-system/}) are the test's to stub.
   */
  public static WireMockServer startStandIns(ZendeskNotes notes, int containerThreads) {
    WireMockServer wire =
        new WireMockServer(
            WireMockConfiguration.options()
                .dynamicPort()
                .containerThreads(containerThreads)
                .extensions(notes));
    wire.start();
    wire.stubFor(
        WireMock.get(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(
                okJson(
                    "{\"ticket\": {\"tags\": [\"cancellation_request\"], \"updated_at\": \"2026-11-26T09:00:00Z\"}}")));
    wire.stubFor(
        WireMock.put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .willReturn(okJson("{}").withTransformers(ZendeskNotes.NAME)));
    wire.stubFor(
        WireMock.get(urlPathMatching("/api/v2/tickets/\\d+/comments\\.json"))
            .willReturn(okJson("{}").withTransformers(ZendeskNotes.NAME)));
    wire.stubFor(
        WireMock.get(urlPathEqualTo("/api/v2/macros.json")).willReturn(okJson("{\"macros\": []}")));
    return wire;
  }

  /** Starts the process (again, on the same database) and waits until it is ready. */
  public ServiceProcess start() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", String.valueOf(port));
    env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
    env.put("ZENDESK_URL", stubsUrl);
    env.put("ZENDESK_EMAIL", "bot@spark.example");
    env.put("ZENDESK_API_TOKEN", "t");
    env.put("ZENDESK_WEBHOOK_SECRET", Desk.WEBHOOK_SECRET);
    env.put("ORDERS_URL", stubsUrl + "/orders-system");
    env.put("TRACKING_URL", stubsUrl + "/tracking-system");
    env.put("ZENDESK_RATE_LIMIT_RPM", "6000");
    env.put("ADMIN_TOKEN", Desk.ADMIN_TOKEN);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    output = dir.resolve("service-" + ++launches + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), "spark.desk.Main", "serve")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    process = pb.start();
    Desk.await(
        "the service on port " + port,
        () -> {
          if (!process.isAlive()) throw new AssertionError("the service died: " + output());
          return get("/ready").statusCode() == 200;
        });
    return this;
  }

  public long pid() {
    return process.pid();
  }

  /** Sends a signal (TERM, STOP, CONT) to the process. */
  public void signal(String name) throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).start().waitFor();
    if (exit != 0) throw new AssertionError("kill -" + name + " failed");
  }

  /** Waits for the process to end; its exit code. */
  public int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
      throw new AssertionError("the process did not end within " + max + ": " + output());
    return process.exitValue();
  }

  /** Everything the current (or last) launch printed. */
  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The lines logged at ERROR level (slf4j-simple: "[thread] ERROR logger - ..."), uncaught
   * exceptions and closed-database complaints of the current (or last) launch.
   */
  public List<String> errorLines() {
    return output()
        .lines()
        .filter(
            l ->
                l.contains(" ERROR ")
                    || l.startsWith("Exception in thread")
                    || l.contains("already closed"))
        .toList();
  }

  /** A signed section 4a webhook for a step-1 ticket with order SP-1. */
  public HttpResponse<String> webhook(long ticket) throws IOException, InterruptedException {
    return webhook(ticket, "SP-1");
  }

  /** A signed section 4a webhook for a step-1 ticket with this order number. */
  public HttpResponse<String> webhook(long ticket, String orderNumber)
      throws IOException, InterruptedException {
    String body =
        Desk.triggerBody(
            ticket, "2026-11-26T09:12:40Z", "cancellation_request", "Cancel", orderNumber);
    String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/webhooks/zendesk"))
            .timeout(Duration.ofSeconds(30))
            .header("X-Zendesk-Webhook-Signature", Signatures.sign(Desk.WEBHOOK_SECRET, ts, bytes))
            .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
            .header("X-Zendesk-Webhook-Invocation-Id", "burst-" + ticket)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A gauge of {@code /metrics}, e.g. {@code desk_inbox_pending} (labels, if any, summed). */
  public long gauge(String name) {
    List<String> lines =
        get("/metrics")
            .body()
            .lines()
            .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
            .toList();
    if (lines.isEmpty()) throw new AssertionError("no gauge " + name);
    return lines.stream()
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1).trim()))
        .sum();
  }

  /** Whether the queue is empty: no input waiting, no update unsent. */
  public boolean idle() {
    return gauge("desk_inbox_pending") == 0 && gauge("desk_writes_pending") == 0;
  }

  public HttpResponse<String> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String base() {
    return "http://localhost:" + port;
  }

  @Override
  public void close() {
    if (process != null) {
      if (process.isAlive()) {
        try {
          signal("CONT");
        } catch (Exception ignored) {
          // best effort: a stopped process must be resumed to be killed cleanly
        }
      }
      process.destroyForcibly();
    }
  }

  /** A reply that never came (connection refused): status 0. */
  private record Unreachable(IOException cause) implements HttpResponse<String> {
    public int statusCode() {
      return 0;
    }

    public HttpRequest request() {
      return null;
    }

    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    public java.net.http.HttpHeaders headers() {
      return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    public String body() {
      return "";
    }

    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    public URI uri() {
      return null;
    }

    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
