package spark.desk;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.Reader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, part 5, with the real jar's main class in processes of their own (as an operator runs
 * it): the default embedded database lets {@code tokens} in while the service runs, but only from
 * this machine, and the folder it creates is its owner's alone.
 */
class EmbeddedDatabaseTest {
  @TempDir Path dir;
  Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

  private ProcessBuilder main(Map<String, String> env, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), "spark.desk.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(env);
    return pb;
  }

  @Test
  void theAutoServerListensOnLoopbackOnlyAndTokensStillWorksBesideTheService() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("data");
    Map<String, String> env =
        Map.of(
            "PORT",
            String.valueOf(port),
            "DATABASE_URL",
            "jdbc:h2:file:" + data.resolve("desk") + ";AUTO_SERVER=TRUE");
    server = main(env, "serve").redirectOutput(dir.resolve("serve.log").toFile()).start();
    awaitHealthy(port);

    if (Files.getFileStore(dir).supportsFileAttributeView("posix"))
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
          "./data is its owner's only");

    // H2 records where its auto-server listens in the lock file that a second process reads.
    Properties lock = new Properties();
    try (Reader r = Files.newBufferedReader(data.resolve("desk.lock.db"), StandardCharsets.UTF_8)) {
      lock.load(r);
    }
    String where = lock.getProperty("server");
    assertNotNull(where, "an auto-server is running: " + lock);
    assertTrue(
        where.startsWith("127.0.0.1:") || where.startsWith("localhost:"),
        "recorded address " + where);
    int dbPort = Integer.parseInt(where.substring(where.lastIndexOf(':') + 1));
    Optional<InetAddress> external = externalAddress();
    if (external.isPresent()) {
      try (Socket s = new Socket()) {
        assertThrows(
            ConnectException.class,
            () -> s.connect(new InetSocketAddress(external.get(), dbPort), 2000),
            "the database port answers on " + external.get());
      }
    }

    Process tokens = main(env, "tokens").start();
    assertTrue(tokens.waitFor(60, TimeUnit.SECONDS), "tokens finished");
    String out = new String(tokens.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tokens.exitValue(), out);
    assertTrue(out.contains("APP_TOKEN=") && out.contains("ADMIN_TOKEN="), out);
  }

  private void awaitHealthy(int port) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(server.isAlive(), () -> "the service died: " + log());
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("the service did not start: " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("serve.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static Optional<InetAddress> externalAddress() throws IOException {
    return NetworkInterface.networkInterfaces()
        .filter(
            i -> {
              try {
                return i.isUp() && !i.isLoopback();
              } catch (IOException e) {
                return false;
              }
            })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst();
  }
}
