package spark.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spark.desk.shared.Json;
import spark.desk.testing.Desk;
import spark.desk.webhook.Signatures;

/**
 * The built {@code target/cancellation-desk.jar} (failsafe, after {@code package}), run as an
 * operator runs it: {@code tokens} on a fresh embedded database under a temporary folder, then
 * {@code serve}: {@code /health}, a signed Zendesk webhook accepted, and the printed admin token
 * let in.
 */
class JarIT {
  private static final Path JAR = basedir().resolve("target/cancellation-desk.jar");
  private static final String SECRET = "jar-it-webhook-secret";

  @TempDir Path dir;
  private Process server;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

  private ProcessBuilder java(Map<String, String> env, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb;
  }

  @Test
  void theBuiltJarPrintsTokensServesHealthAndAcceptsASignedWebhook() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package");
    int port = freePort();
    // No DATABASE_URL: the default embedded database under ./data/ of the working folder.
    Map<String, String> env =
        Map.of("PORT", String.valueOf(port), "ZENDESK_WEBHOOK_SECRET", SECRET);

    Process tokens = java(env, "tokens").redirectErrorStream(false).start();
    String printed = new String(tokens.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tokens.waitFor(60, TimeUnit.SECONDS), "tokens ends");
    assertEquals(0, tokens.exitValue(), printed);
    String admin = token(printed, "ADMIN_TOKEN");
    token(printed, "APP_TOKEN");
    token(printed, "LOGISTICS_TOKEN");
    assertTrue(Files.isDirectory(dir.resolve("data")), "the database is under ./data/");

    server =
        java(env)
            .redirectErrorStream(true)
            .redirectOutput(basedir().resolve("target/jar-it-server.log").toFile())
            .start();
    URI base = URI.create("http://127.0.0.1:" + port);
    Desk.await("the jar's /health", () -> status(get(base.resolve("/health"), null)) == 200);
    assertEquals(
        "ok",
        Json.mapper().readTree(get(base.resolve("/health"), null).body()).path("status").asText());

    // The tokens printed before the start are the ones the server checks.
    assertEquals(200, get(base.resolve("/api/cases"), admin).statusCode());
    assertEquals(401, get(base.resolve("/api/cases"), "not-" + admin).statusCode());

    String body =
        Desk.triggerBody(
            4242, "2026-11-26T09:12:40Z", "cancellation_request", "Cancel SP-4242", "SP-4242");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    HttpResponse<String> webhook =
        http.send(
            HttpRequest.newBuilder(base.resolve("/webhooks/zendesk"))
                .header("Content-Type", "application/json")
                .header("X-Zendesk-Webhook-Signature", Signatures.sign(SECRET, ts, bytes))
                .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
                .header("X-Zendesk-Webhook-Invocation-Id", "jar-it-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, webhook.statusCode(), webhook.body());
    // Shadow mode (no ZENDESK_URL): the case is recorded and shown to ops.
    Desk.await(
        "the case of ticket 4242",
        () -> status(get(base.resolve("/api/cases/4242"), admin)) == 200);
  }

  private static Path basedir() {
    return Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));
  }

  private static String token(String printed, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "=(\\S{16,})$").matcher(printed);
    assertTrue(m.find(), name + " printed: " + printed);
    return m.group(1);
  }

  private HttpResponse<String> get(URI uri, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int status(HttpResponse<String> r) {
    return r == null ? -1 : r.statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
