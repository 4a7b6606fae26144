package spark.desk.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zendesk, the order system (contract section 5) and the tracking service (section 6) on one JDK
 * HTTP server, answering as the real systems do for what the service asks during step 1. Zendesk's
 * tickets are kept with their tags and {@code updated_at}, and a {@code safe_update} PUT whose
 * {@code updated_stamp} is older than the ticket gets Zendesk's 409, so a build that writes with a
 * stale stamp is caught rather than flattered. Every request is counted by kind. An optional delay
 * is added to every reply (a real network). Thread-safe.
 */
final class Stubs implements AutoCloseable {
  static final long ORDER_FIELD_ID = 9001L;
  static final String ZENDESK_PATH = "";
  static final String ORDERS_PATH = "/orders-system";
  static final String TRACKING_PATH = "/tracking-system";
  static final List<String> MACROS =
      List.of(
          "Spark Cancellation (Not Shipped)",
          "Spark Cancellation (Shipped)",
          "Spark Cancellation (Delivered)",
          "Spark Cancellation (Keep or Return)");

  /** What a request was, as counted. */
  enum Kind {
    ZENDESK_TICKET_GET,
    ZENDESK_TICKET_PUT,
    ZENDESK_TICKET_PUT_409,
    ZENDESK_TICKETS_SHOW_MANY,
    ZENDESK_COMMENTS_GET,
    ZENDESK_MACROS_GET,
    ZENDESK_OTHER,
    ORDERS_GET,
    TRACKING_GET,
    OTHER;

    boolean zendesk() {
      return name().startsWith("ZENDESK_");
    }
  }

  /** A Zendesk ticket as the stub holds it. Guarded by its own monitor. */
  static final class TicketState {
    final long id;
    final String orderNumber;
    final Instant createdAt;
    Set<String> tags;
    Instant updatedAt;
    Long groupId;
    String status = "new";
    final List<String> notes = new ArrayList<>(1);
    volatile long firstNoteNanos;

    TicketState(long id, String orderNumber, Instant createdAt, Set<String> tags) {
      this.id = id;
      this.orderNumber = orderNumber;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
      this.tags = new LinkedHashSet<>(tags);
    }
  }

  private static final Pattern TICKET = Pattern.compile("/api/v2/tickets/(\\d+)\\.json");
  private static final Pattern COMMENTS = Pattern.compile("/api/v2/tickets/(\\d+)/comments\\.json");
  private static final Pattern ORDER = Pattern.compile(ORDERS_PATH + "/orders/([^/]+)");
  private static final Pattern TRACKER = Pattern.compile(TRACKING_PATH + "/trackers/([^/]+)");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);
  private final Map<Long, TicketState> tickets = new ConcurrentHashMap<>();
  private final AtomicLong distinctNoted = new AtomicLong();
  private final AtomicLong notes = new AtomicLong();
  private volatile int delayMs;

  Stubs() throws IOException {
    for (Kind k : Kind.values()) counts.put(k, new LongAdder());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "stub");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void delay(int ms) {
    this.delayMs = ms;
  }

  /** Registers the ticket that a webhook is about to announce, as Zendesk would have it. */
  TicketState ticket(long id, String orderNumber, Instant createdAt, Set<String> tags) {
    TicketState t = new TicketState(id, orderNumber, createdAt, tags);
    tickets.put(id, t);
    return t;
  }

  TicketState find(long id) {
    return tickets.get(id);
  }

  long distinctNoted() {
    return distinctNoted.get();
  }

  long notes() {
    return notes.get();
  }

  Map<Kind, Long> counts() {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * Order {@code SP-n}: an even n is shipped (tracking number, in transit), an odd one is not yet.
   */
  static boolean shipped(String orderNumber) {
    return Long.parseLong(orderNumber.substring(orderNumber.indexOf('-') + 1)) % 2 == 0;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getPath();
      Reply reply;
      Kind kind;
      Matcher m;
      if ((m = TICKET.matcher(path)).matches() && method.equals("GET")) {
        kind = Kind.ZENDESK_TICKET_GET;
        TicketState t = tickets.get(Long.parseLong(m.group(1)));
        reply = t == null ? notFound() : new Reply(200, "{\"ticket\": " + ticketJson(t) + "}");
      } else if (m.matches() && method.equals("PUT")) {
        reply = update(Long.parseLong(m.group(1)), new String(body, StandardCharsets.UTF_8));
        kind = reply.status == 409 ? Kind.ZENDESK_TICKET_PUT_409 : Kind.ZENDESK_TICKET_PUT;
      } else if (path.equals("/api/v2/tickets/show_many.json") && method.equals("GET")) {
        kind = Kind.ZENDESK_TICKETS_SHOW_MANY;
        reply = showMany(query(uri, "ids"));
      } else if ((m = COMMENTS.matcher(path)).matches() && method.equals("GET")) {
        kind = Kind.ZENDESK_COMMENTS_GET;
        reply = comments(Long.parseLong(m.group(1)));
      } else if (path.startsWith("/api/v2/macros") && method.equals("GET")) {
        kind = Kind.ZENDESK_MACROS_GET;
        reply = macros();
      } else if (path.startsWith("/api/v2/")) {
        kind = Kind.ZENDESK_OTHER;
        reply = notFound();
      } else if ((m = ORDER.matcher(path)).matches() && method.equals("GET")) {
        kind = Kind.ORDERS_GET;
        reply = new Reply(200, order(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)));
      } else if ((m = TRACKER.matcher(path)).matches() && method.equals("GET")) {
        kind = Kind.TRACKING_GET;
        reply = new Reply(200, tracker(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)));
      } else {
        kind = Kind.OTHER;
        reply = notFound();
      }
      counts.get(kind).increment();
      int d = delayMs;
      if (d > 0) Thread.sleep(d);
      byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(reply.status, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.err.println("stub: " + e);
    }
  }

  private record Reply(int status, String body) {}

  private static Reply notFound() {
    return new Reply(404, "{\"error\": \"RecordNotFound\", \"description\": \"Not found\"}");
  }

  /**
   * {@code PUT /api/v2/tickets/{id}.json} as Zendesk answers it: with {@code safe_update}, a stamp
   * older than the ticket's {@code updated_at} is a 409; otherwise tags, note, group and status are
   * applied, {@code updated_at} moves on, and the updated ticket comes back.
   */
  private Reply update(long id, String body) {
    TicketState t = tickets.get(id);
    if (t == null) return notFound();
    Map<String, Object> ticket =
        MiniJson.object(MiniJson.object(MiniJson.parse(body)).get("ticket"));
    long now = System.nanoTime();
    synchronized (t) {
      if (Boolean.TRUE.equals(ticket.get("safe_update"))
          && ticket.get("updated_stamp") instanceof String stamp) {
        Instant given;
        try {
          given = Instant.parse(stamp);
        } catch (RuntimeException e) {
          return new Reply(
              400, "{\"error\": \"InvalidValue\", \"description\": \"updated_stamp\"}");
        }
        if (given.isBefore(t.updatedAt))
          return new Reply(
              409,
              "{\"error\": \"UpdateConflict\", \"description\": \"The ticket was updated since"
                  + " updated_stamp\"}");
      }
      if (ticket.get("tags") instanceof List<?> l) {
        t.tags = new LinkedHashSet<>();
        l.forEach(x -> t.tags.add(String.valueOf(x)));
      }
      if (ticket.get("additional_tags") instanceof List<?> l)
        l.forEach(x -> t.tags.add(String.valueOf(x)));
      if (ticket.get("remove_tags") instanceof List<?> l)
        l.forEach(x -> t.tags.remove(String.valueOf(x)));
      if (ticket.get("group_id") instanceof Double g) t.groupId = g.longValue();
      if (ticket.get("status") instanceof String s) t.status = s;
      Object note = MiniJson.object(ticket.get("comment")).get("body");
      if (note instanceof String n) {
        t.notes.add(n);
        notes.incrementAndGet();
        if (t.firstNoteNanos == 0) {
          t.firstNoteNanos = now;
          distinctNoted.incrementAndGet();
        }
      }
      Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant bumped = t.updatedAt.plusSeconds(1);
      t.updatedAt = next.isAfter(bumped) ? next : bumped;
      return new Reply(200, "{\"ticket\": " + ticketJson(t) + ", \"audit\": {\"id\": 1}}");
    }
  }

  private Reply showMany(String ids) {
    StringBuilder b = new StringBuilder("{\"tickets\": [");
    boolean first = true;
    for (String s : ids == null ? new String[0] : ids.split(",")) {
      TicketState t;
      try {
        t = tickets.get(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        continue;
      }
      if (t == null) continue;
      if (!first) b.append(", ");
      first = false;
      b.append(ticketJson(t));
    }
    return new Reply(200, b.append("], \"next_page\": null, \"count\": 0}").toString());
  }

  private Reply comments(long id) {
    TicketState t = tickets.get(id);
    if (t == null) return notFound();
    StringBuilder b = new StringBuilder("{\"comments\": [");
    synchronized (t) {
      for (int k = t.notes.size() - 1; k >= 0; k--) {
        if (k < t.notes.size() - 1) b.append(", ");
        String q = MiniJson.quote(t.notes.get(k));
        b.append("{\"id\": ")
            .append(k + 1)
            .append(", \"public\": false, \"body\": ")
            .append(q)
            .append(", \"plain_body\": ")
            .append(q)
            .append("}");
      }
    }
    return new Reply(200, b.append("], \"next_page\": null}").toString());
  }

  private static Reply macros() {
    StringBuilder b = new StringBuilder("{\"macros\": [");
    for (int k = 0; k < MACROS.size(); k++) {
      if (k > 0) b.append(", ");
      b.append("{\"id\": ")
          .append(360001 + k)
          .append(", \"title\": ")
          .append(MiniJson.quote(MACROS.get(k)))
          .append(", \"active\": true, \"actions\": []}");
    }
    return new Reply(
        200,
        b.append("], \"next_page\": null, \"count\": ")
            .append(MACROS.size())
            .append("}")
            .toString());
  }

  private String ticketJson(TicketState t) {
    synchronized (t) {
      StringBuilder tags = new StringBuilder("[");
      for (String tag : t.tags) {
        if (tags.length() > 1) tags.append(", ");
        tags.append(MiniJson.quote(tag));
      }
      tags.append(']');
      String field =
          "[{\"id\": " + ORDER_FIELD_ID + ", \"value\": " + MiniJson.quote(t.orderNumber) + "}]";
      return "{\"id\": "
          + t.id
          + ", \"url\": \""
          + baseUrl()
          + "/api/v2/tickets/"
          + t.id
          + ".json\", \"subject\": "
          + MiniJson.quote(subject(t.orderNumber))
          + ", \"description\": \"Please cancel my order.\", \"status\": \""
          + t.status
          + "\", \"tags\": "
          + tags
          + ", \"created_at\": \""
          + t.createdAt
          + "\", \"updated_at\": \""
          + t.updatedAt
          + "\", \"requester_id\": 1001, \"assignee_id\": null, \"group_id\": "
          + t.groupId
          + ", \"custom_fields\": "
          + field
          + ", \"fields\": "
          + field
          + "}";
    }
  }

  static String subject(String orderNumber) {
    return "Please cancel order " + orderNumber;
  }

  private static String order(String number) {
    boolean shipped = shipped(number);
    String tracking = shipped ? "\"1Z" + number.replaceAll("\\D", "") + "\"" : "null";
    return "{\"orderNumber\": "
        + MiniJson.quote(number)
        + ", \"status\": \""
        + (shipped ? "shipped" : "processing")
        + "\", \"trackingNumber\": "
        + tracking
        + ", \"carrier\": "
        + (shipped ? "\"UPS\"" : "null")
        + ", \"placedAt\": \"2026-11-20T10:15:00Z\", \"shippedAt\": "
        + (shipped ? "\"2026-11-21T08:00:00Z\"" : "null")
        + ", \"deliveredAt\": null, \"customerEmail\": \"jane@example.com\","
        + " \"total\": {\"amount\": \"59.90\", \"currency\": \"USD\"}}";
  }

  private static String tracker(String number) {
    return "{\"trackingNumber\": "
        + MiniJson.quote(number)
        + ", \"carrier\": \"UPS\", \"status\": \"in_transit\","
        + " \"updatedAt\": \"2026-11-24T08:00:00Z\", \"deliveredAt\": null, \"events\":"
        + " [{\"status\": \"in_transit\", \"description\": \"Departed facility\","
        + " \"occurredAt\": \"2026-11-24T08:00:00Z\"}]}";
  }

  private static String query(URI uri, String name) {
    String q = uri.getRawQuery();
    if (q == null) return null;
    for (String part : q.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).equals(name))
        return URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
