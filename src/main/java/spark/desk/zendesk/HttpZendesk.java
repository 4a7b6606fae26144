package spark.desk.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.guard.SameOrigin;
import spark.desk.http.JsonHttp;
import spark.desk.shared.Json;
import spark.desk.shared.UpstreamException;

/**
 * Zendesk's REST API over OkHttp with sparse JSON bodies (a whole-object update would undo agents'
 * edits). Every request waits for the shared {@link RateLimiter}; a 429 waits its Retry-After.
 */
public final class HttpZendesk implements Zendesk {
  private static final Logger log = LoggerFactory.getLogger(HttpZendesk.class);
  private static final int MAX_TRIES = 6;
  private static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(10);

  private final JsonHttp http;
  private final RateLimiter limiter;
  private final Long orderFieldId;
  private final Sleeper sleeper;
  private final TicketStamps stamps;

  /** How a 429 waits; tests pass one that does not sleep long. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  public HttpZendesk(
      OkHttpClient client,
      URI base,
      String email,
      String apiToken,
      Long orderFieldId,
      RateLimiter limiter) {
    this(client, base, email, apiToken, orderFieldId, limiter, TicketStamps.inMemory());
  }

  public HttpZendesk(
      OkHttpClient client,
      URI base,
      String email,
      String apiToken,
      Long orderFieldId,
      RateLimiter limiter,
      TicketStamps stamps) {
    this(
        client,
        base,
        email,
        apiToken,
        orderFieldId,
        limiter,
        d -> Thread.sleep(d.toMillis()),
        stamps);
  }

  public HttpZendesk(
      OkHttpClient client,
      URI base,
      String email,
      String apiToken,
      Long orderFieldId,
      RateLimiter limiter,
      Sleeper sleeper) {
    this(client, base, email, apiToken, orderFieldId, limiter, sleeper, TicketStamps.inMemory());
  }

  /** {@code stamps}: what is known of each ticket, so a decision costs one request (contract 7). */
  public HttpZendesk(
      OkHttpClient client,
      URI base,
      String email,
      String apiToken,
      Long orderFieldId,
      RateLimiter limiter,
      Sleeper sleeper,
      TicketStamps stamps) {
    this.stamps = stamps;
    String basic =
        Base64.getEncoder()
            .encodeToString((email + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
    this.http = new JsonHttp(client, "Zendesk", base, "Basic " + basic, Json.mapper());
    this.limiter = limiter;
    this.orderFieldId = orderFieldId;
    this.sleeper = sleeper;
  }

  @Override
  public Ticket getTicket(long ticketId) {
    JsonNode t = call("GET", ticketUrl(ticketId), null).body().path("ticket");
    Ticket ticket = toTicket(t);
    KnownTicket.of(ticket).ifPresent(stamps::offer);
    return ticket;
  }

  @Override
  public void apply(long ticketId, TicketUpdate write, boolean mayHaveBeenApplied) {
    if (mayHaveBeenApplied && noteAlreadyOnTicket(ticketId, write.note())) {
      log.info(
          "ticket {}: the step {} note is already on the ticket; not sending it again",
          ticketId,
          write.step());
      return;
    }
    // Contract 7, "Economy": the ticket as last seen (its webhook, or Zendesk's answer to our last
    // update) stands in for a read; only a 409 (changed since) costs a read.
    KnownTicket known = stamps.latest(ticketId).orElse(null);
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      if (known == null) {
        // Only the stamp and tags are needed: read as such (a ticket body without its id is fine).
        known =
            known(ticketId, call("GET", ticketUrl(ticketId), null).body().path("ticket"))
                .orElse(null);
        if (known != null) stamps.offer(known);
      }
      Set<String> tags = new LinkedHashSet<>();
      if (known != null) tags.addAll(known.tags());
      tags.addAll(write.addTags());
      tags.removeAll(write.removeTags());
      ObjectNode body = Json.mapper().createObjectNode();
      ObjectNode ticket = body.putObject("ticket");
      ticket.putPOJO("tags", tags);
      ObjectNode comment = ticket.putObject("comment");
      comment.put("body", write.note());
      comment.put("public", false);
      if (write.groupId() != null) {
        ticket.put("group_id", write.groupId());
        // Contract 7: the ticket goes to that team's queue. Zendesk refuses (422 "Assignee: is not
        // a member of the group") a group that does not include the current assignee; see
        // developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket (group_id,
        // assignee_id) and /api-reference/ticketing/groups/group_memberships/.
        ticket.putNull("assignee_id");
      }
      if (write.status() != null) ticket.put("status", write.status());
      // Safe update: Zendesk refuses (409) if the ticket changed since updated_stamp, so no
      // agent's tag is lost: "safe_update ... protects against ticket update collisions",
      // developer.zendesk.com/api-reference/ticketing/tickets/tickets/#protecting-against-ticket-update-collisions
      if (known != null) {
        ticket.put("safe_update", true);
        ticket.put("updated_stamp", known.updatedAt().toString());
      }
      JsonHttp.Reply reply = call("PUT", ticketUrl(ticketId), body);
      if (reply.status() == 409) {
        log.info(
            "ticket {} changed while we wrote step {}; reading it again", ticketId, write.step());
        stamps.forget(ticketId);
        known = null;
        continue;
      }
      // Zendesk answers with the ticket as our update left it: the stamp of the next decision.
      JsonNode answered = reply.body() == null ? null : reply.body().path("ticket");
      Optional<KnownTicket> after = answered == null ? Optional.empty() : known(ticketId, answered);
      if (after.isPresent()) stamps.offer(after.get());
      else stamps.forget(ticketId);
      return;
    }
    throw new UpstreamException(
        "Zendesk", 409, true, "ticket " + ticketId + " kept changing while we wrote to it", null);
  }

  @Override
  public Optional<Long> findMacroId(String title) {
    return Optional.ofNullable(findMacroIds(List.of(title)).get(title));
  }

  /** One listing of every macro (up to 50 pages); not cached: callers keep what they need. */
  @Override
  public Map<String, Long> findMacroIds(Collection<String> titles) {
    Map<String, Long> ids = new HashMap<>();
    HttpUrl url = http.url("api/v2/macros.json").addQueryParameter("per_page", "100").build();
    for (int page = 0; url != null && page < 50; page++) {
      JsonNode body = call("GET", url, null).body();
      for (JsonNode m : body.path("macros")) {
        String title = m.path("title").asText();
        if (titles.contains(title)) ids.putIfAbsent(title, m.path("id").asLong());
      }
      // Only on ZENDESK_URL's origin: the request carries the API token (issue 14, part 4).
      String next = body.path("next_page").asText(null);
      HttpUrl followed = SameOrigin.follow(http.url().build(), next);
      if (followed == null && next != null && !next.isBlank() && !"null".equals(next))
        log.warn("Zendesk's next_page {} is not on ZENDESK_URL's host; not followed", next);
      url = followed;
    }
    return ids;
  }

  private boolean noteAlreadyOnTicket(long ticketId, String note) {
    HttpUrl url =
        http.url("api/v2/tickets")
            .addPathSegment(ticketId + "")
            .addPathSegment("comments.json")
            .addQueryParameter("sort_order", "desc")
            .addQueryParameter("per_page", "50")
            .build();
    JsonNode comments = call("GET", url, null).body().path("comments");
    String wanted = normalize(note);
    for (JsonNode c : comments) {
      if (wanted.equals(normalize(c.path("body").asText()))
          || wanted.equals(normalize(c.path("plain_body").asText()))) return true;
    }
    return false;
  }

  private static String normalize(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  private HttpUrl ticketUrl(long ticketId) {
    return http.url("api/v2/tickets").addPathSegment(ticketId + ".json").build();
  }

  /**
   * One request within the budget; waits out 429s; a 409 is returned as data; other failures throw.
   */
  private JsonHttp.Reply call(String method, HttpUrl url, Object body) {
    for (int attempt = 1; ; attempt++) {
      limiter.acquire();
      JsonHttp.Reply reply = http.exchange(method, url, body);
      int s = reply.status();
      if (s >= 200 && s < 300 || s == 409) return reply;
      Duration wait = s == 429 ? retryAfter(reply.retryAfter()) : Duration.ZERO;
      if (s == 429) limiter.holdOff(wait);
      // A short wait is waited here; a long one goes back to the work queue, which tries later
      // without holding a thread and a database connection meanwhile.
      if (s == 429 && attempt < MAX_TRIES && wait.compareTo(MAX_INLINE_WAIT) <= 0) {
        log.warn("Zendesk rate limit reached; waiting {} s as it asks", wait.toSeconds());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UpstreamException(
              "Zendesk", 429, true, "interrupted while waiting for Retry-After", e);
        }
        continue;
      }
      String detail = reply.body() == null || reply.body().isNull() ? "" : reply.body().toString();
      throw UpstreamException.status(
          "Zendesk", s, detail.length() > 300 ? detail.substring(0, 300) : detail);
    }
  }

  private static Duration retryAfter(String header) {
    try {
      long seconds = header == null ? 10 : Long.parseLong(header.trim());
      return Duration.ofSeconds(Math.max(1, Math.min(seconds, 120)));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(10);
    }
  }

  /** The stamp and tags of a ticket in one of Zendesk's answers, when it has them. */
  private static Optional<KnownTicket> known(long ticketId, JsonNode t) {
    Instant at;
    try {
      at = instant(t.path("updated_at"));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
    if (at == null || !t.path("tags").isArray()) return Optional.empty();
    Set<String> tags = new LinkedHashSet<>();
    t.path("tags").forEach(n -> tags.add(n.asText()));
    return Optional.of(new KnownTicket(ticketId, at, tags));
  }

  private Ticket toTicket(JsonNode t) {
    Set<String> tags = new LinkedHashSet<>();
    t.path("tags").forEach(n -> tags.add(n.asText()));
    String orderNumber = null;
    if (orderFieldId != null) {
      for (JsonNode f : t.path("custom_fields")) {
        if (f.path("id").asLong() == orderFieldId && !f.path("value").isNull())
          orderNumber = f.path("value").asText();
      }
    }
    return new Ticket(
        t.path("id").asLong(),
        instant(t.path("created_at")),
        instant(t.path("updated_at")),
        t.path("status").asText(null),
        tags,
        t.path("subject").asText(""),
        t.path("description").asText(""),
        null,
        orderNumber);
  }

  private static Instant instant(JsonNode n) {
    if (n.isMissingNode() || n.isNull() || n.asText().isBlank()) return null;
    return Instant.parse(n.asText());
  }
}
