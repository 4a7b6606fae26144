package spark.desk.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads request bodies, every one of them, under the contract's 256 KiB limit (section 3).
 *
 * <p>Javalin 6.7's {@code maxRequestSize} compares only a declared {@code Content-Length} and then
 * reads the stream whole ({@code ctx.bodyAsBytes()}), so a chunked body has no limit there. Here
 * the stream itself is read and abandoned at the limit + 1 byte, and the request answered 413;
 * Jetty then closes the connection rather than read the rest. A new endpoint calls {@link #bytes}
 * (raw bytes, e.g. to check a signature) or {@link #json} and never {@code ctx.body*()}.
 */
public final class Bodies {
  /** Request bodies above this are refused with 413 (contract section 3). */
  public static final int MAX_BODY = 256 * 1024;

  private final ObjectMapper json;

  public Bodies(ObjectMapper json) {
    this.json = json;
  }

  /** The raw body; 413 past {@link #MAX_BODY} bytes, declared or not. */
  public static byte[] bytes(Context ctx) {
    try {
      long declared = ctx.req().getContentLengthLong();
      if (declared > MAX_BODY) throw tooLarge();
      try (InputStream in = ctx.req().getInputStream()) {
        return readAtMost(in, MAX_BODY, declared);
      } catch (IOException e) {
        throw new UncheckedIOException("reading the request body failed", e);
      }
    } catch (ApiException e) {
      refuseRest(ctx);
      throw e;
    }
  }

  /**
   * After the answer Jetty 11 still reads and drops whatever rest of the body is arriving at that
   * moment ({@code HttpChannel.ensureConsumeAllOrNotPersistent}), holding none of it; {@code
   * Connection: close} makes sure the connection is closed after that instead of being kept for
   * another request.
   */
  private static void refuseRest(Context ctx) {
    ctx.header("Connection", "close");
  }

  /** Up to {@code limit} bytes of {@code in}; 413 as soon as byte {@code limit + 1} arrives. */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return readAtMost(in, limit, -1);
  }

  /**
   * As {@link #readAtMost(InputStream, int)}; {@code declared}: the body's declared length (-1:
   * none), which sizes the buffers (a webhook of 600 bytes allocated 24 KiB of them), not the
   * limit: a body longer than it declares is still read, up to {@code limit}.
   */
  static byte[] readAtMost(InputStream in, int limit, long declared) throws IOException {
    int expected = declared >= 0 && declared <= limit ? (int) declared : Math.min(limit, 16 * 1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(expected, 32));
    byte[] chunk = new byte[Math.min(8192, expected + 1)];
    int total = 0;
    for (int n; (n = in.read(chunk, 0, Math.min(chunk.length, limit + 1 - total))) != -1; ) {
      total += n;
      if (total > limit) throw tooLarge();
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /** The body as a JSON object, or 400; 413 past the limit. */
  public JsonNode object(Context ctx) {
    try {
      JsonNode node = json.readTree(bytes(ctx));
      if (node == null || !node.isObject())
        throw ApiException.badRequest("the body must be a JSON object");
      return node;
    } catch (IOException e) {
      throw ApiException.badRequest("the body is not JSON");
    }
  }

  /**
   * The body read as {@code type} (a record), or 400 saying what does not fit; 413 past the limit.
   * A record's compact constructor may throw {@link ApiException} or {@link
   * IllegalArgumentException} to refuse a value.
   */
  public <T> T json(Context ctx, Class<T> type) {
    byte[] body = bytes(ctx);
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject())
        throw ApiException.badRequest("the body must be a JSON object");
      return json.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof ApiException a) throw a;
      if (e.getCause() instanceof IllegalArgumentException i)
        throw ApiException.badRequest(i.getMessage());
      throw ApiException.badRequest(
          "the body is not a valid " + name(type) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the body is not JSON");
    }
  }

  private static String name(Class<?> type) {
    return type.getSimpleName();
  }

  static ApiException tooLarge() {
    return new ApiException(413, "payload_too_large", "the body is over 256 KiB");
  }
}
