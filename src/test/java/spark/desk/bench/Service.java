package spark.desk.bench;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One build of the service as a real process ({@code java -Xmx.. -jar JAR}) on a fresh H2 database,
 * live against the {@link Stubs}; and what the operating system and the JVM's own tools say about
 * it (CPU time from {@code /proc}, heap from {@code jcmd}/{@code jstat}).
 */
final class Service implements AutoCloseable {
  static final String WEBHOOK_SECRET = "bench-webhook-secret";
  static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdef0123456789";

  final Path jar;
  final Path dir;
  final int port;
  final Process process;
  final Path log;
  final long readyMillis;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  Service(Path jar, Path dir, Stubs stubs, String xmx) throws IOException, InterruptedException {
    this.jar = jar;
    this.dir = dir;
    this.port = freePort();
    this.log = dir.resolve("service.log");
    Map<String, String> env = new HashMap<>();
    // A clean environment: nothing from the caller's shell (a DATABASE_URL, say) leaks in.
    for (String keep : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
      String v = System.getenv(keep);
      if (v != null) env.put(keep, v);
    }
    String base = stubs.baseUrl();
    env.put("PORT", String.valueOf(port));
    env.put("PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put(
        "DATABASE_URL",
        "jdbc:h2:file:"
            + dir.resolve("db").resolve("desk").toAbsolutePath()
            + System.getProperty("bench.urlSuffix", ""));
    env.put("MODE", "live");
    env.put("ZENDESK_URL", base + Stubs.ZENDESK_PATH);
    env.put("ZENDESK_EMAIL", "bench@spark.example");
    env.put("ZENDESK_API_TOKEN", "bench-zendesk-token");
    env.put("ZENDESK_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("ZENDESK_ORDER_FIELD_ID", String.valueOf(Stubs.ORDER_FIELD_ID));
    // High enough that the budget is never what limits throughput: the benchmark measures the
    // service's own ceiling; requests per decision shows what the budget would cost.
    env.put("ZENDESK_RATE_LIMIT_RPM", "1000000");
    env.put("REFUND_GROUP_ID", "360000777");
    env.put("ORDERS_URL", base + Stubs.ORDERS_PATH);
    env.put("ORDERS_TOKEN", "bench-orders-token");
    env.put("TRACKING_URL", base + Stubs.TRACKING_PATH);
    env.put("TRACKING_TOKEN", "bench-tracking-token");
    env.put("TRACKING_WEBHOOK_SECRET", "bench-tracking-secret");
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("APP_TOKEN", "bench-app-token-0123456789abcdef0123456789");
    env.put("LOGISTICS_TOKEN", "bench-logistics-token-0123456789abcdef01234");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx));
    // BENCH_JAVA_OPTS: extra JVM options for the service (a flight recording, say), split on
    // spaces.
    String extra = System.getenv("BENCH_JAVA_OPTS");
    if (extra != null && !extra.isBlank())
      for (String o : extra.trim().split("\\s+")) cmd.add(o.replace("{dir}", dir.toString()));
    cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    process = pb.start();
    awaitReady(Duration.ofSeconds(180));
    readyMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  long pid() {
    return process.pid();
  }

  String webhookUrl() {
    return "http://127.0.0.1:" + port + "/webhooks/zendesk";
  }

  private void awaitReady(Duration limit) throws InterruptedException, IOException {
    long until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      if (!process.isAlive())
        throw new IOException(
            "the service exited with " + process.exitValue() + " before it was ready; see " + log);
      try {
        if (get("/ready").statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IOException("the service was not ready within " + limit + "; see " + log);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Process CPU time (user + system) in ms, from fields 14 and 15 of {@code /proc/PID/stat}. */
  long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state), so utime (14) and stime (15) are f[11] and f[12].
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1000 / Long.getLong("clk.tck", 100);
    } catch (IOException | RuntimeException e) {
      return process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }
  }

  /** Resident set size in MiB from {@code /proc/PID/status}, or -1. */
  long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status")))
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
    } catch (IOException | RuntimeException e) {
      // not on Linux
    }
    return -1;
  }

  /**
   * Heap after a full GC, from {@code jstat -gc} read right after it: what the GC kept (old
   * generation and survivors, not eden's allocations since) and the committed heap, in MiB, and
   * jcmd's summary.
   */
  record Heap(double usedMiB, double committedMiB, double metaspaceMiB, String heapInfo) {}

  Heap heapAfterGc() throws IOException, InterruptedException {
    tool("jcmd", String.valueOf(pid()), "GC.run");
    // Read at once: a busy service allocates tens of MiB in the second the next tool takes to
    // attach, which is not what it keeps.
    String[] stat = tool("jstat", "-gc", String.valueOf(pid())).trim().split("\n");
    String info = tool("jcmd", String.valueOf(pid()), "GC.heap_info");
    List<String> lines = new ArrayList<>();
    for (String l : info.split("\n")) if (!l.isBlank() && !l.startsWith(pid() + ":")) lines.add(l);
    String summary = String.join(" | ", lines.subList(0, Math.min(2, lines.size()))).trim();
    if (stat.length < 2) return new Heap(-1, -1, -1, summary);
    String[] names = stat[0].trim().split("\\s+");
    String[] values = stat[stat.length - 1].trim().split("\\s+");
    Map<String, Double> v = new HashMap<>();
    for (int k = 0; k < Math.min(names.length, values.length); k++) {
      try {
        v.put(names[k], Double.parseDouble(values[k]));
      } catch (NumberFormatException e) {
        // a "-" column
      }
    }
    // What the full GC kept (old generation and survivors); eden holds only what was allocated
    // after it, before jstat attached.
    double used =
        v.getOrDefault("S0U", 0.0) + v.getOrDefault("S1U", 0.0) + v.getOrDefault("OU", 0.0);
    double committed =
        v.getOrDefault("S0C", 0.0)
            + v.getOrDefault("S1C", 0.0)
            + v.getOrDefault("EC", 0.0)
            + v.getOrDefault("OC", 0.0);
    return new Heap(used / 1024, committed / 1024, v.getOrDefault("MU", -1024.0) / 1024, summary);
  }

  private static String tool(String name, String... args) throws IOException, InterruptedException {
    Path bin = Path.of(System.getProperty("java.home"), "bin", name);
    List<String> cmd = new ArrayList<>();
    cmd.add(Files.isExecutable(bin) ? bin.toString() : name);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
    return out;
  }

  /** Lines of the service's log that name an error or an exception. */
  long errorLines() {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains("ERROR") || l.contains("Exception")).count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
