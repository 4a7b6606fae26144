package spark.desk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark of issue 8: starts each given build of the jar as a real process against {@link
 * Stubs} and prints, per jar, in one run: (1) a burst of step-1 webhooks: cases/s, Zendesk requests
 * per decision, CPU ms per case, webhook reply p50/p99; (2) webhook → note latency at a steady rate
 * with a delay added to every stub reply; (3) the heap after a full GC with many open cases, and
 * whether a last burst is still as fast. Figures mean something only relative to each other within
 * one run (shared, noisy machines), so give every build to compare in the same run: {@code
 * bench/run.sh OLD.jar NEW.jar}. Not a test: nothing here runs in {@code mvn verify}.
 */
public final class Benchmark {
  private static final String TAG = "cancellation_request";

  record Options(
      int warmup,
      int burst,
      int steadySeconds,
      int steadyRate,
      int delayMs,
      int cases,
      int finalBurst,
      String xmx,
      int concurrency,
      int backlog,
      int rounds,
      boolean keep,
      List<Path> jars) {}

  private final Options o;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(4, daemon("webhook-client")))
          .build();
  private final AtomicLong nextTicket = new AtomicLong(1);
  private final LongAdder retried = new LongAdder();

  private Benchmark(Options o) {
    this.o = o;
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    System.exit(new Benchmark(o).run());
  }

  static final String USAGE =
      "usage: bench/run.sh [--warmup W] [--burst N] [--steady-seconds S] [--steady-rate R] [--delay-ms D]"
          + " [--cases M] [--final-burst K] [--xmx 128m] [--concurrency C] [--backlog B]"
          + " [--rounds R] [--keep] [JAR ...]  (default JAR: target/cancellation-desk.jar)";

  static Options parse(String[] args) {
    Map<String, String> v = new LinkedHashMap<>();
    // As many as the burst: under load the JIT needs a few thousand cases before the service runs
    // at its warm speed, and its compiler threads' CPU would otherwise count against the burst.
    v.put("--warmup", "2000");
    v.put("--burst", "2000");
    v.put("--steady-seconds", "30");
    v.put("--steady-rate", "20");
    v.put("--delay-ms", "50");
    v.put("--cases", "100000");
    v.put("--final-burst", "200");
    v.put("--xmx", "128m");
    v.put("--concurrency", "16");
    v.put("--backlog", "1000");
    v.put("--rounds", "1");
    boolean keep = false;
    List<Path> jars = new ArrayList<>();
    for (int k = 0; k < args.length; k++) {
      String a = args[k];
      if (a.equals("--keep")) keep = true;
      else if (a.equals("-h") || a.equals("--help")) throw new IllegalArgumentException("");
      else if (v.containsKey(a)) {
        if (k + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
        v.put(a, args[++k]);
      } else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
      else {
        Path jar = Path.of(a);
        if (!Files.isRegularFile(jar)) throw new IllegalArgumentException("no such jar: " + a);
        jars.add(jar);
      }
    }
    if (jars.isEmpty()) {
      Path def = Path.of("target", "cancellation-desk.jar");
      if (!Files.isRegularFile(def))
        throw new IllegalArgumentException("no jar given and no " + def + " (mvn package first)");
      jars.add(def);
    }
    return new Options(
        Integer.parseInt(v.get("--warmup")),
        positive(v, "--burst"),
        positive(v, "--steady-seconds"),
        positive(v, "--steady-rate"),
        Integer.parseInt(v.get("--delay-ms")),
        positive(v, "--cases"),
        positive(v, "--final-burst"),
        v.get("--xmx"),
        positive(v, "--concurrency"),
        positive(v, "--backlog"),
        positive(v, "--rounds"),
        keep,
        jars);
  }

  private static int positive(Map<String, String> v, String name) {
    try {
      int n = Integer.parseInt(v.get(name));
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive number, not " + v.get(name));
    }
  }

  // ---- the run ---------------------------------------------------------------------------------

  private int run() throws Exception {
    say(
        "# Cancellation Desk benchmark (issue 8), "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    say(
        "machine: nproc %d, load average at start %s, java %s",
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        System.getProperty("java.version"));
    say(
        "options: warm-up %d, burst %d, steady %d/s for %d s with %d ms on every stub reply, %d open cases,"
            + " last burst %d, -Xmx%s, %d webhooks in flight, rounds %d",
        o.warmup(),
        o.burst(),
        o.steadyRate(),
        o.steadySeconds(),
        o.delayMs(),
        o.cases(),
        o.finalBurst(),
        o.xmx(),
        o.concurrency(),
        o.rounds());
    List<String> names = new ArrayList<>();
    List<Map<String, Double>> results = new ArrayList<>();
    int failures = 0;
    for (int r = 1; r <= o.rounds(); r++) {
      for (int j = 0; j < o.jars().size(); j++) {
        Path jar = o.jars().get(j);
        String name = "jar" + (j + 1) + (o.rounds() > 1 ? " r" + r : "");
        say("");
        say("## %s: %s", name, jar);
        say("%s", describe(jar));
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
          measure(jar, figures);
        } catch (Exception e) {
          failures++;
          say("FAILED: %s", e);
        }
        names.add(name);
        results.add(figures);
      }
    }
    say("");
    table(names, results);
    return failures == 0 ? 0 : 1;
  }

  private void measure(Path jar, Map<String, Double> f) throws Exception {
    Path dir = Files.createTempDirectory("desk-bench-");
    long retriedBefore = retried.sum();
    try (Stubs stubs = new Stubs()) {
      say("load average now %s; temp dir %s", loadAverage(), dir);
      Service service = new Service(jar, dir, stubs, o.xmx());
      try {
        say(
            "ready after %d ms (pid %d, port %d)",
            service.readyMillis, service.pid(), service.port);
        f.put("ready after (s)", service.readyMillis / 1000.0);
        Service.Heap empty = service.heapAfterGc();
        say("heap after GC with no case: %.1f MiB used", empty.usedMiB());

        if (o.warmup() > 0) {
          // The JIT compiles the hot paths first; part 1 measures the warm service.
          Burst w = burst(stubs, service, o.warmup());
          say(
              "warm-up: %d of %d noted, %.1f cases/s (not a figure)",
              w.done, w.n, w.casesPerSecond());
        }
        say("### 1. burst of %d step-1 webhooks, instant stubs", o.burst());
        Burst b = burst(stubs, service, o.burst());
        b.print();
        f.put("burst: cases/s", b.casesPerSecond());
        f.put("burst: Zendesk requests per decision", b.zendeskPerDecision());
        f.put("burst: CPU ms per case", b.cpuPerCase());
        f.put("burst: webhook reply p50 (ms)", b.replyP(50));
        f.put("burst: webhook reply p99 (ms)", b.replyP(99));
        f.put("burst: tickets without a note", (double) b.missing());

        say(
            "### 2. steady %d webhooks/s for %d s, %d ms added to every stub reply",
            o.steadyRate(), o.steadySeconds(), o.delayMs());
        stubs.delay(o.delayMs());
        Steady s;
        try {
          s = steady(stubs, service);
        } finally {
          stubs.delay(0);
        }
        s.print();
        f.put("steady: webhook → note p50 (ms)", s.p(50));
        f.put("steady: webhook → note p95 (ms)", s.p(95));
        f.put("steady: webhook → note p99 (ms)", s.p(99));
        f.put("steady: webhook reply p99 (ms)", percentile(s.replies, 99));
        f.put("steady: tickets without a note", (double) s.missing);

        say("### 3. %d open cases with -Xmx%s", o.cases(), o.xmx());
        Fill fill = fill(stubs, service);
        f.put("fill: cases/s, second tenth", fill.firstRate);
        f.put("fill: cases/s, last tenth", fill.lastRate);
        f.put("open cases reached", (double) fill.open);
        Service.Heap heap = service.heapAfterGc();
        say(
            "heap after GC: %.1f MiB used of %.1f MiB committed (metaspace %.1f MiB), RSS %d MiB",
            heap.usedMiB(), heap.committedMiB(), heap.metaspaceMiB(), service.rssMiB());
        say("  jcmd GC.heap_info: %s", heap.heapInfo());
        say("  /metrics desk_open_cases: %s", openCasesMetric(service));
        f.put("heap used after GC (MiB)", heap.usedMiB());
        double perCase = (heap.usedMiB() - empty.usedMiB()) * 1024 / Math.max(1, fill.open);
        say("  %.2f KiB of heap per open case (against the heap with no case)", perCase);
        f.put("heap per open case (KiB)", perCase);
        say("last burst of %d webhooks at %d open cases:", o.finalBurst(), fill.open);
        Burst last = burst(stubs, service, o.finalBurst());
        last.print();
        f.put("last burst: cases/s", last.casesPerSecond());
        f.put("last burst / first burst rate", last.casesPerSecond() / b.casesPerSecond());
        f.put("duplicate notes (all parts)", (double) (stubs.notes() - stubs.distinctNoted()));
        f.put("service log lines with ERROR/Exception", (double) service.errorLines());
        f.put("webhook deliveries retried (503/429)", (double) (retried.sum() - retriedBefore));
        say(
            "duplicate notes over the whole run: %d; service log lines with ERROR or Exception: %d;"
                + " webhook deliveries retried after a 503/429: %d",
            stubs.notes() - stubs.distinctNoted(),
            service.errorLines(),
            retried.sum() - retriedBefore);
      } finally {
        service.close();
        if (o.keep()) say("kept %s (service.log, db/)", dir);
        else deleteTree(dir);
      }
    }
  }

  // ---- 1. burst ---------------------------------------------------------------------------------

  /** One burst: every webhook sent as fast as the service takes them, then every note awaited. */
  private final class Burst {
    final int n;
    final List<Long> replies = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    long start;
    long lastNote;
    long cpu;
    long harnessCpu;
    long done;
    Map<Stubs.Kind, Long> requests;

    Burst(int n) {
      this.n = n;
    }

    double seconds() {
      return (lastNote - start) / 1e9;
    }

    double casesPerSecond() {
      return done / seconds();
    }

    double zendeskPerDecision() {
      long z = 0;
      for (var e : requests.entrySet()) if (e.getKey().zendesk()) z += e.getValue();
      return (double) z / done;
    }

    double cpuPerCase() {
      return (double) cpu / done;
    }

    double replyP(int p) {
      return percentile(replies, p);
    }

    long missing() {
      return n - done;
    }

    void print() {
      say(
          "  %d of %d noted in %.2f s: %.1f cases/s; %.3f Zendesk requests per decision;"
              + " %.2f CPU ms per case",
          done, n, seconds(), casesPerSecond(), zendeskPerDecision(), cpuPerCase());
      say(
          "  webhook reply p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s",
          replyP(50), replyP(99), percentile(replies, 100), new TreeMap<>(statuses));
      say("  requests served: %s", nonZero(requests));
      say(
          "  (this harness, stubs included, used %.2f CPU ms per case on the same cores)",
          (double) harnessCpu / done);
    }
  }

  private Burst burst(Stubs stubs, Service service, int n) throws Exception {
    Burst b = new Burst(n);
    List<Stubs.TicketState> tickets = new ArrayList<>(n);
    Map<Stubs.Kind, Long> before = stubs.counts();
    long cpu0 = service.cpuMillis();
    long own0 = ownCpuMillis();
    Semaphore inFlight = new Semaphore(o.concurrency());
    List<CompletableFuture<?>> sent = new ArrayList<>(n);
    b.start = System.nanoTime();
    for (int k = 0; k < n; k++) {
      inFlight.acquire();
      Stubs.TicketState t = newTicket(stubs);
      tickets.add(t);
      sent.add(post(service, t, b.replies, b.statuses).whenComplete((x, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    awaitNotes(service, tickets, Duration.ofSeconds(60));
    b.cpu = service.cpuMillis() - cpu0;
    b.harnessCpu = ownCpuMillis() - own0;
    b.requests = minus(stubs.counts(), before);
    b.lastNote = tickets.stream().mapToLong(t -> t.firstNoteNanos).max().orElse(b.start);
    b.done = tickets.stream().filter(t -> t.firstNoteNanos != 0).count();
    return b;
  }

  // ---- 2. steady rate ---------------------------------------------------------------------------

  private static final class Steady {
    final List<Long> latencies = new ArrayList<>();
    final List<Long> replies = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    int sent;
    long missing;
    Map<Stubs.Kind, Long> requests;

    double p(int p) {
      return percentile(latencies, p);
    }

    void print() {
      say(
          "  %d sent, %d noted; webhook → note p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms",
          sent, sent - missing, p(50), p(95), p(99), p(100));
      say(
          "  webhook reply p50 %.1f ms, p99 %.1f ms; statuses %s",
          percentile(replies, 50), percentile(replies, 99), new TreeMap<>(statuses));
      say("  requests served: %s", nonZero(requests));
    }
  }

  private Steady steady(Stubs stubs, Service service) throws Exception {
    Steady s = new Steady();
    int n = o.steadyRate() * o.steadySeconds();
    List<Stubs.TicketState> tickets = Collections.synchronizedList(new ArrayList<>());
    Map<Stubs.TicketState, Long> sentAt = new ConcurrentHashMap<>();
    Map<Stubs.Kind, Long> before = stubs.counts();
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemon("steady"));
    AtomicLong count = new AtomicLong();
    long period = 1_000_000_000L / o.steadyRate();
    var ticking =
        clock.scheduleAtFixedRate(
            () -> {
              if (count.incrementAndGet() > n) return;
              try {
                Stubs.TicketState t = newTicket(stubs);
                sentAt.put(t, System.nanoTime());
                tickets.add(t);
                post(service, t, s.replies, s.statuses);
              } catch (RuntimeException e) {
                // A tick that throws would silently end the schedule.
                say("  could not send a webhook: %s", e);
              }
            },
            0,
            period,
            TimeUnit.NANOSECONDS);
    while (count.get() < n) Thread.sleep(50);
    ticking.cancel(false);
    clock.shutdown();
    clock.awaitTermination(5, TimeUnit.SECONDS);
    s.sent = tickets.size();
    awaitNotes(service, tickets, Duration.ofSeconds(60));
    s.requests = minus(stubs.counts(), before);
    for (Stubs.TicketState t : tickets) {
      if (t.firstNoteNanos == 0) s.missing++;
      else s.latencies.add(t.firstNoteNanos - sentAt.get(t));
    }
    return s;
  }

  // ---- 3. many open cases -----------------------------------------------------------------------

  private static final class Fill {
    double firstRate;
    double lastRate;
    long open;
  }

  /**
   * Sends new step-1 cases as fast as the service takes them (at most {@code --backlog} accepted
   * and not yet noted at any time, so the service works a normal queue, not a flood) until {@code
   * --cases} tickets have a note: each is an open case waiting for logistics.
   */
  private Fill fill(Stubs stubs, Service service) throws Exception {
    Fill f = new Fill();
    long already = stubs.distinctNoted();
    long target = o.cases() - already;
    if (target <= 0) {
      f.open = already;
      say("  already %d open cases", already);
      return f;
    }
    Semaphore inFlight = new Semaphore(o.concurrency());
    List<Long> replies = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    List<long[]> samples = new ArrayList<>();
    long start = System.nanoTime();
    long lastReport = start;
    long lastProgressAt = start;
    long lastNoted = 0;
    long sent = 0;
    samples.add(new long[] {start, 0});
    while (true) {
      long noted = stubs.distinctNoted() - already;
      long now = System.nanoTime();
      if (noted != lastNoted) {
        lastNoted = noted;
        lastProgressAt = now;
      }
      if (now - samples.get(samples.size() - 1)[0] >= 250_000_000L)
        samples.add(new long[] {now, noted});
      if (noted >= target) break;
      if (now - lastReport >= 10_000_000_000L) {
        long[] prev = samples.get(Math.max(0, samples.size() - 41));
        say(
            "  %d open cases, %.0f cases/s over the last 10 s, %d accepted and not yet noted",
            already + noted, (noted - prev[1]) / ((now - prev[0]) / 1e9), sent - noted);
        lastReport = now;
      }
      if (!service.process.isAlive()) {
        say("  the service died (exit %d); see %s", service.process.exitValue(), service.log);
        break;
      }
      if (now - lastProgressAt > 120_000_000_000L) {
        say("  no note for 120 s: giving up the fill at %d open cases", already + noted);
        break;
      }
      if (sent < target && sent - noted < o.backlog() && inFlight.tryAcquire()) {
        Stubs.TicketState t = newTicket(stubs);
        post(service, t, replies, statuses).whenComplete((x, e) -> inFlight.release());
        sent++;
      } else {
        Thread.sleep(2);
      }
    }
    long end = System.nanoTime();
    samples.add(new long[] {end, stubs.distinctNoted() - already});
    f.open = stubs.distinctNoted();
    long done = samples.get(samples.size() - 1)[1];
    // The second tenth, not the first: the fill starts with a flood of intake that the service
    // takes before it works much, so the first tenth measures that ramp, not the case count.
    f.firstRate = rateBetween(samples, done / 10, 2 * done / 10);
    f.lastRate = rateBetween(samples, done - done / 10, done);
    say(
        "  %d open cases after %.0f s (%.0f cases/s overall; second tenth %.0f/s, last tenth %.0f/s);"
            + " webhook reply p99 %.1f ms; statuses %s",
        f.open,
        (end - start) / 1e9,
        done / ((end - start) / 1e9),
        f.firstRate,
        f.lastRate,
        percentile(replies, 99),
        new TreeMap<>(statuses));
    return f;
  }

  /** Cases per second between the moments the count passed {@code from} and {@code to}. */
  private static double rateBetween(List<long[]> samples, long from, long to) {
    long tFrom = -1;
    long tTo = -1;
    long cFrom = 0;
    long cTo = 0;
    for (long[] s : samples) {
      if (tFrom < 0 && s[1] >= from) {
        tFrom = s[0];
        cFrom = s[1];
      }
      if (tTo < 0 && s[1] >= to) {
        tTo = s[0];
        cTo = s[1];
      }
    }
    if (tFrom < 0 || tTo <= tFrom) return Double.NaN;
    return (cTo - cFrom) / ((tTo - tFrom) / 1e9);
  }

  // ---- webhooks ---------------------------------------------------------------------------------

  /**
   * A new cancellation ticket in the stub, as Zendesk would hold it when its trigger fires: odd
   * numbers are orders not yet shipped (1.1), even ones shipped (1.2).
   */
  private Stubs.TicketState newTicket(Stubs stubs) {
    long id = nextTicket.getAndIncrement();
    Instant created = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    return stubs.ticket(id, "SP-" + (100000 + id), created, Set.of(TAG));
  }

  /**
   * Posts the trigger-style body of contract section 4a for the ticket, signed as section 4 says
   * (Base64 HMAC-SHA256 of timestamp + body), with a fresh invocation id.
   */
  private CompletableFuture<Integer> post(
      Service service, Stubs.TicketState t, List<Long> replies, Map<Integer, LongAdder> statuses) {
    String body =
        "{\"ticket_id\": \""
            + t.id
            + "\", \"created_at\": \""
            + t.createdAt
            + "\", \"updated_at\": \""
            + t.createdAt
            + "\", \"status\": \"new\", \"tags\": \""
            + TAG
            + "\", \"subject\": "
            + MiniJson.quote(Stubs.subject(t.orderNumber))
            + ", \"description\": \"Please cancel my order.\", \"requester_email\": \"customer"
            + t.id
            + "@example.com\", \"order_number\": \""
            + t.orderNumber
            + "\"}";
    return deliver(service, body.getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString(), 1)
        .thenApply(
            r -> {
              replies.add(r.nanos());
              statuses.computeIfAbsent(r.status(), x -> new LongAdder()).increment();
              return r.status();
            });
  }

  private record Delivery(int status, long nanos) {}

  /**
   * One delivery as Zendesk makes it: a 503 or 429 is retried after its Retry-After (at most 10 s,
   * up to 5 attempts) with the same invocation id (contract section 3: Zendesk retries such
   * deliveries); the reply time is the last attempt's. Status -1: no reply.
   */
  private CompletableFuture<Delivery> deliver(
      Service service, byte[] bytes, String invocation, int attempt) {
    String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.webhookUrl()))
            .header("Content-Type", "application/json")
            .header("X-Zendesk-Webhook-Signature", sign(ts, bytes))
            .header("X-Zendesk-Webhook-Signature-Timestamp", ts)
            .header("X-Zendesk-Webhook-Invocation-Id", invocation)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    long t0 = System.nanoTime();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (r, e) -> {
              int status = e != null ? -1 : r.statusCode();
              Delivery d = new Delivery(status, System.nanoTime() - t0);
              if ((status == 503 || status == 429) && attempt < 5) {
                retried.increment();
                long wait = retryAfterSeconds(r.headers().firstValue("Retry-After").orElse(null));
                return CompletableFuture.supplyAsync(
                        () -> null, CompletableFuture.delayedExecutor(wait, TimeUnit.SECONDS))
                    .thenCompose(x -> deliver(service, bytes, invocation, attempt + 1));
              }
              return CompletableFuture.completedFuture(d);
            })
        .thenCompose(f -> f);
  }

  private static long retryAfterSeconds(String header) {
    try {
      return Math.max(1, Math.min(10, Long.parseLong(header.trim())));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  private static String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(Service.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every ticket has a note, or none came for {@code stall}, or the service died. */
  private static void awaitNotes(Service service, List<Stubs.TicketState> tickets, Duration stall)
      throws InterruptedException {
    List<Stubs.TicketState> pending = new ArrayList<>(tickets);
    long lastProgress = System.nanoTime();
    while (!pending.isEmpty()) {
      int before = pending.size();
      pending.removeIf(t -> t.firstNoteNanos != 0);
      if (pending.size() != before) lastProgress = System.nanoTime();
      if (pending.isEmpty()) return;
      if (!service.process.isAlive()) {
        say("  the service died (exit %d); see %s", service.process.exitValue(), service.log);
        return;
      }
      if (System.nanoTime() - lastProgress > stall.toNanos()) {
        say("  no note for %d s: %d tickets still without one", stall.toSeconds(), pending.size());
        return;
      }
      Thread.sleep(5);
    }
  }

  // ---- reporting --------------------------------------------------------------------------------

  private static void table(List<String> names, List<Map<String, Double>> results) {
    say("## Summary (compare columns of this run only; ratio = last column / first)");
    List<String> metrics = new ArrayList<>();
    for (Map<String, Double> r : results)
      for (String m : r.keySet()) if (!metrics.contains(m)) metrics.add(m);
    StringBuilder head = new StringBuilder("| figure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String n : names) {
      head.append(' ').append(n).append(" |");
      rule.append("---:|");
    }
    boolean ratio = results.size() > 1;
    if (ratio) {
      head.append(" ratio |");
      rule.append("---:|");
    }
    say("%s", head);
    say("%s", rule);
    for (String m : metrics) {
      StringBuilder line = new StringBuilder("| " + m + " |");
      for (Map<String, Double> r : results) line.append(' ').append(fmt(r.get(m))).append(" |");
      if (ratio) {
        Double a = results.get(0).get(m);
        Double z = results.get(results.size() - 1).get(m);
        line.append(' ')
            .append(a == null || z == null || a == 0 ? "" : String.format("%.2f", z / a))
            .append(" |");
      }
      say("%s", line);
    }
  }

  private static String fmt(Double d) {
    if (d == null || d.isNaN()) return "n/a";
    if (d == Math.rint(d) && Math.abs(d) < 1e9) return String.format("%.0f", d);
    return Math.abs(d) >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
  }

  /** Nearest-rank percentile of durations in nanoseconds, in milliseconds. */
  static double percentile(List<Long> nanos, int p) {
    if (nanos.isEmpty()) return Double.NaN;
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(Comparator.naturalOrder());
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }

  private static Map<Stubs.Kind, Long> minus(Map<Stubs.Kind, Long> a, Map<Stubs.Kind, Long> b) {
    Map<Stubs.Kind, Long> out = new LinkedHashMap<>();
    a.forEach((k, v) -> out.put(k, v - b.getOrDefault(k, 0L)));
    return out;
  }

  private static String nonZero(Map<Stubs.Kind, Long> m) {
    StringBuilder b = new StringBuilder();
    m.forEach(
        (k, v) -> {
          if (v != 0) b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
        });
    return b.toString();
  }

  private static String openCasesMetric(Service service) {
    try {
      HttpResponse<String> r = service.get("/metrics");
      if (r.statusCode() != 200) return "n/a (" + r.statusCode() + ")";
      double sum = 0;
      String found = null;
      // desk_open_cases{stage} is the contract's (section 12); older builds have desk_cases{stage}.
      for (String name : List.of("desk_open_cases", "desk_cases{")) {
        for (String line : r.body().split("\n")) {
          if (line.startsWith(name) && !line.contains("\"closed\"")) {
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            found = name;
          }
        }
        if (found != null) break;
      }
      return found == null ? "n/a" : String.format("%.0f (sum of %s, without closed)", sum, found);
    } catch (Exception e) {
      return "n/a (" + e.getMessage() + ")";
    }
  }

  /** The jar's path, size, date, SHA-256, and the commit of the git work tree it sits in. */
  private static String describe(Path jar) {
    StringBuilder b = new StringBuilder();
    try {
      b.append(
          String.format(
              "jar: %s, %d bytes, modified %s, sha256 %s",
              jar.toAbsolutePath().normalize(),
              Files.size(jar),
              Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS),
              sha256(jar).substring(0, 16)));
      Path dir = jar.toAbsolutePath().getParent();
      String head = git(dir, "log", "-1", "--format=%h %cI %s");
      if (head.isBlank()) b.append("\ncommit: unknown (not in a git work tree)");
      else {
        boolean dirty = !git(dir, "status", "--porcelain", "--untracked-files=no").isBlank();
        b.append("\ncommit: HEAD of ")
            .append(git(dir, "rev-parse", "--show-toplevel").trim())
            .append(" is ")
            .append(head.trim())
            .append(dirty ? " (with uncommitted changes)" : "")
            .append("; the jar was built from whatever the tree held then");
      }
    } catch (IOException e) {
      b.append("jar: ").append(jar).append(" (").append(e.getMessage()).append(")");
    }
    return b.toString();
  }

  private static String git(Path dir, String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 ? out : "";
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long ownCpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static void say(String format, Object... args) {
    System.out.println(args.length == 0 ? format : String.format(format, args));
    System.out.flush();
  }
}
