package spark.desk.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spark.desk.shared.Json;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.webhook.Signatures;

/**
 * Contract section 3: a body over 256 KiB is answered 413, also when it comes chunked (no {@code
 * Content-Length}), and without the service reading it whole. Through the real server, with OkHttp
 * sending {@code Transfer-Encoding: chunked}.
 */
class BodyLimitTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final long HUGE = 64L * 1024 * 1024;

  private static Desk desk;
  private static final OkHttpClient http =
      new OkHttpClient.Builder()
          .callTimeout(Duration.ofSeconds(30))
          .retryOnConnectionFailure(false)
          .build();

  @BeforeAll
  static void start() {
    desk = Desk.start(Map.of());
  }

  @AfterAll
  static void stop() {
    desk.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** {@code size} bytes of a JSON string, sent chunked in 64 KiB pieces. */
  private static final class Endless extends RequestBody {
    final long size;

    Endless(long size) {
      this.size = size;
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return -1; // unknown: OkHttp sends Transfer-Encoding: chunked
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      sink.writeUtf8("{\"filler\":\"");
      for (long written = 0; written < size; written += chunk.length) sink.write(chunk);
      sink.writeUtf8("\"}");
    }
  }

  /** A body sent chunked, in pieces of 1000 bytes. */
  private static final class Chunked extends RequestBody {
    final byte[] bytes;

    Chunked(String body) {
      this.bytes = body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public MediaType contentType() {
      return JSON;
    }

    @Override
    public long contentLength() {
      return -1; // unknown: OkHttp sends Transfer-Encoding: chunked
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      // Several chunks, so the body is really streamed.
      for (int i = 0; i < bytes.length; i += 1000) {
        sink.write(bytes, i, Math.min(1000, bytes.length - i));
        sink.flush();
      }
    }
  }

  private record Answer(int status, String body, Headers headers) {}

  private static Answer post(String path, RequestBody body, Headers headers) throws IOException {
    Request request =
        new Request.Builder().url(desk.baseUrl() + path).headers(headers).post(body).build();
    try (Response r = http.newCall(request).execute()) {
      return new Answer(r.code(), r.body().string(), r.headers());
    }
  }

  private static Headers authHeaders(String path) {
    if (path.startsWith("/api/app/"))
      return Headers.of("Authorization", "Bearer " + Desk.APP_TOKEN);
    if (path.startsWith("/api/logistics/"))
      return Headers.of("Authorization", "Bearer " + Desk.LOGISTICS_TOKEN);
    return Headers.of();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/webhooks/zendesk",
        "/webhooks/tracking",
        "/api/app/tickets/101/actions",
        "/api/logistics/requests/1/result"
      })
  void answers413ToAChunkedBodyOfSixtyFourMebibytes(String path) throws IOException {
    long allocatedBefore = serverAllocatedBytes();
    long started = System.nanoTime();
    Answer answer = post(path, new Endless(HUGE), authHeaders(path));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long allocated = serverAllocatedBytes() - allocatedBefore;

    assertEquals(413, answer.status(), answer.body());
    assertEquals("payload_too_large", Json.mapper().readTree(answer.body()).path("error").asText());
    assertEquals("close", answer.headers().get("Connection"));
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
    // The heap stays flat: reading the body whole would allocate over 64 MiB on the server's
    // threads.
    assertTrue(allocated < 16L * 1024 * 1024, "the server allocated " + allocated + " bytes");
  }

  /** Bytes allocated so far by the HTTP server's threads (Javalin's Jetty pool). */
  private static long serverAllocatedBytes() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet())
      if (t.getName().startsWith("JettyServerThreadPool"))
        total += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
    return total;
  }

  /**
   * What the endpoints above read of such a body: the limit and one byte more, then they stop
   * (after the answer, Jetty drops the rest it is sent without keeping it).
   */
  @Test
  void readsNoMoreThanTheLimitAndOneByteOfAnEndlessBody() {
    AtomicLong read = new AtomicLong();
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            read.incrementAndGet();
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'x');
            read.addAndGet(len);
            return len;
          }
        };
    ApiException e =
        assertThrows(ApiException.class, () -> Bodies.readAtMost(endless, Bodies.MAX_BODY));
    assertEquals(413, e.status());
    assertEquals(Bodies.MAX_BODY + 1, read.get());
  }

  @Test
  void aDeclaredLengthSizesTheBuffersButNotWhatIsRead() throws IOException {
    byte[] body = "x".repeat(20_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // As declared, shorter than declared, longer than declared: every byte sent is read.
    for (long declared : new long[] {body.length, 30_000, 10, 0}) {
      byte[] read = Bodies.readAtMost(new java.io.ByteArrayInputStream(body), 64 * 1024, declared);
      org.junit.jupiter.api.Assertions.assertArrayEquals(body, read, "declared " + declared);
    }
    // Declaring little does not lift the limit.
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> Bodies.readAtMost(new java.io.ByteArrayInputStream(body), 1_000, 10));
    assertEquals(413, e.status());
  }

  @Test
  void answers413ToAChunkedBodyJustOverTheLimit() throws IOException {
    Answer answer =
        post("/webhooks/tracking", new Chunked(" ".repeat(Bodies.MAX_BODY + 1)), Headers.of());
    assertEquals(413, answer.status(), answer.body());
    assertEquals("close", answer.headers().get("Connection"));
  }

  @Test
  void acceptsASignedZendeskWebhookSentChunkedUnderTheLimit() throws IOException {
    String json =
        Desk.triggerBody(
            7301, CaseDriver.CREATED, "cancellation_request", "Cancel order SP-7301", "SP-7301");
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String ts = desk.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    Answer answer =
        post(
            "/webhooks/zendesk",
            new Chunked(json),
            Headers.of(
                "X-Zendesk-Webhook-Signature",
                Signatures.sign(Desk.WEBHOOK_SECRET, ts, bytes),
                "X-Zendesk-Webhook-Signature-Timestamp",
                ts,
                "X-Zendesk-Webhook-Invocation-Id",
                "chunked-7301"));
    assertEquals(202, answer.status(), answer.body());
  }

  @Test
  void acceptsASignedTrackingPushSentChunkedJustUnderTheLimit() throws IOException {
    // Padded with JSON whitespace to 256 KiB exactly: the limit itself is allowed.
    String tracker = Desk.tracker("1Z-CHUNKED", "in_transit", "2026-11-26T09:00:00Z");
    String json = tracker + " ".repeat(Bodies.MAX_BODY - tracker.length());
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(Bodies.MAX_BODY, bytes.length);
    Answer answer =
        post(
            "/webhooks/tracking",
            new Chunked(json),
            Headers.of("X-Tracking-Signature", Signatures.sign(Desk.TRACKING_SECRET, "", bytes)));
    assertEquals(202, answer.status(), answer.body());
  }
}
