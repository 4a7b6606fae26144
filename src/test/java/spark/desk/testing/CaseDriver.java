package spark.desk.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Walks cancellation cases of one {@link Desk} through the SOP by its real entry points (signed
 * webhooks, the logistics API, tracking pushes, the clock) and reads back what Zendesk received.
 * Every case is a ticket created at {@link #CREATED}; its order is {@code SP-<ticketId>} and its
 * parcel {@code 1Z<ticketId>}.
 */
public final class CaseDriver {
  public static final String CREATED = "2026-11-26T09:12:40Z";
  public static final String MACRO_NOT_SHIPPED = "Spark Cancellation (Not Shipped)";
  public static final String MACRO_SHIPPED = "Spark Cancellation (Shipped)";
  public static final String MACRO_KEEP_OR_RETURN = "Spark Cancellation (Keep or Return)";

  private final Desk desk;
  private final String created;
  private boolean zendeskKeepsTags;

  public CaseDriver(Desk desk) {
    this(desk, CREATED);
  }

  public CaseDriver(Desk desk, String created) {
    this.desk = desk;
    this.created = created;
  }

  public static String order(long ticketId) {
    return "SP-" + ticketId;
  }

  public static String parcel(long ticketId) {
    return "1Z" + ticketId;
  }

  // ---- opening cases ---------------------------------------------------------------------

  /** Step 1.1: an order without a tracking number; waits for the first Zendesk update. */
  public JsonNode openNotShipped(long ticketId) {
    desk.stubOrder(Desk.order(order(ticketId), "processing", null, null));
    return open(ticketId, "cancellation_request");
  }

  /**
   * Step 1.2: a shipped order whose parcel is in transit; with {@code refusalAsked} the ticket
   * already carries {@code cxl_refusal_requested}, so the tracking watch starts at once.
   */
  public JsonNode openShipped(long ticketId, boolean refusalAsked) {
    desk.stubOrder(Desk.order(order(ticketId), "shipped", parcel(ticketId), null));
    stubParcel(ticketId, "in_transit", "2026-11-26T08:00:00Z", "in_transit");
    return open(ticketId, "cancellation_request" + (refusalAsked ? " cxl_refusal_requested" : ""));
  }

  private JsonNode open(long ticketId, String tags) {
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(ticketId, created, tags, "Cancel my order", order(ticketId)),
                "open-" + ticketId)
            .status());
    return update(ticketId, 1);
  }

  // ---- inputs ----------------------------------------------------------------------------

  /**
   * A new webhook snapshot of the ticket carrying the tags the service wrote plus {@code agentTags}
   * (Zendesk re-fires the trigger on every update). Waits until the service has worked it.
   */
  public void ticketUpdatedWithTags(long ticketId, String... agentTags) {
    Set<String> tags = new LinkedHashSet<>(zendeskTags(ticketId));
    tags.add("cancellation_request");
    tags.addAll(List.of(agentTags));
    sendSnapshot(ticketId, tags);
  }

  /** A snapshot with exactly these tags (an agent removed the others). */
  public void sendSnapshot(long ticketId, Set<String> tags) {
    String body =
        Desk.triggerBody(
            ticketId, created, String.join(" ", tags), "Cancel my order", order(ticketId));
    assertEquals(202, desk.zendeskWebhook(body, "upd-" + UUID.randomUUID()).status());
    awaitInboxWorked();
  }

  public void awaitInboxWorked() {
    Desk.await(
        "the inbox to be worked",
        () -> desk.get("/metrics", null).body().contains("desk_inbox_pending 0"));
  }

  public void stubParcel(long ticketId, String status, String updatedAt, String... events) {
    desk.stubTracker(Desk.tracker(parcel(ticketId), status, updatedAt, events));
  }

  public void stubParcelDown(long ticketId) {
    desk.wire.stubFor(
        get(urlPathEqualTo("/tracking-system/trackers/" + parcel(ticketId)))
            .willReturn(serverError()));
  }

  public Desk.Reply push(long ticketId, String status, String updatedAt, String... events) {
    Desk.Reply r = desk.trackingPush(Desk.tracker(parcel(ticketId), status, updatedAt, events));
    assertEquals(202, r.status(), r.body());
    return r;
  }

  public long requestId(long ticketId) {
    JsonNode id =
        desk.get("/api/app/tickets/" + ticketId, Desk.APP_TOKEN)
            .json()
            .path("logistics")
            .path("requestId");
    assertTrue(id.isNumber(), "ticket " + ticketId + " has a logistics request");
    return id.asLong();
  }

  public Desk.Reply logisticsResult(long ticketId, String result) {
    return desk.post(
        "/api/logistics/requests/" + requestId(ticketId) + "/result",
        Desk.LOGISTICS_TOKEN,
        "{\"result\": \""
            + result
            + "\", \"by\": \"Lee (logistics)\", \"note\": \"checked with the warehouse\"}");
  }

  public Desk.Reply agentAction(long ticketId, String action) {
    return desk.post(
        "/api/app/tickets/" + ticketId + "/actions",
        Desk.APP_TOKEN,
        "{\"action\": \"" + action + "\", \"agent\": {\"id\": 42, \"name\": \"Ana Agent\"}}");
  }

  /** Moves the clock on and runs what fell due, as the worker's tick would. */
  public void after(Duration d) {
    desk.clock.advance(d);
    desk.runDue();
  }

  // ---- what Zendesk received ---------------------------------------------------------------

  /**
   * The n-th (1-based) update Zendesk received for the ticket, waiting for it if need be. After
   * {@link #zendeskKeepsTags()}, the stub Zendesk then shows the tags of the latest update.
   */
  public JsonNode update(long ticketId, int n) {
    Desk.await(
        "update " + n + " of ticket " + ticketId, () -> desk.zendeskUpdates(ticketId).size() >= n);
    if (zendeskKeepsTags) showTagsOfLastUpdate(ticketId);
    return desk.zendeskUpdates(ticketId).get(n - 1).path("ticket");
  }

  public int updateCount(long ticketId) {
    return desk.zendeskUpdates(ticketId).size();
  }

  /** Waits for every decided write of the ticket to reach Zendesk; returns how many it received. */
  public int awaitAllApplied(long ticketId) {
    Desk.await(
        "ticket " + ticketId + "'s writes applied",
        () -> {
          JsonNode c = desk.caseOf(ticketId);
          if (c == null) return true;
          for (JsonNode w : c.path("writes")) if (!w.path("applied").asBoolean()) return false;
          return desk.zendeskUpdates(ticketId).size() >= c.path("writes").size();
        });
    return updateCount(ticketId);
  }

  /** The decided writes of the ticket (admin view), oldest first. */
  public List<JsonNode> writes(long ticketId) {
    List<JsonNode> out = new ArrayList<>();
    desk.caseOf(ticketId).path("writes").forEach(out::add);
    return out;
  }

  public List<JsonNode> writes(long ticketId, String step) {
    return writes(ticketId).stream().filter(w -> w.path("step").asText().equals(step)).toList();
  }

  /** The tags of the ticket as Zendesk now has them: those of the last update it received. */
  public List<String> zendeskTags(long ticketId) {
    List<JsonNode> updates = desk.zendeskUpdates(ticketId);
    return updates.isEmpty() ? List.of() : tags(updates.get(updates.size() - 1).path("ticket"));
  }

  /**
   * From now on, each {@link #update} also makes the stub Zendesk answer reads of the ticket with
   * the tags of the last update it received, as the real one would, so the service's next update
   * starts from them. (Only updates awaited through {@link #update} are followed.)
   */
  public void zendeskKeepsTags() {
    zendeskKeepsTags = true;
  }

  private void showTagsOfLastUpdate(long ticketId) {
    StringBuilder tags = new StringBuilder();
    for (Iterator<String> it = zendeskTags(ticketId).iterator(); it.hasNext(); ) {
      tags.append('"').append(it.next()).append('"').append(it.hasNext() ? ", " : "");
    }
    desk.wire.stubFor(
        get(urlPathEqualTo("/api/v2/tickets/" + ticketId + ".json"))
            .atPriority(1)
            .willReturn(
                okJson(
                    "{\"ticket\": {\"id\": "
                        + ticketId
                        + ", \"tags\": ["
                        + tags
                        + "], \"updated_at\": \"2026-11-26T09:30:00Z\"}}")));
  }

  public int trackerReads(long ticketId) {
    return desk.wire
        .findAll(getRequestedFor(urlPathEqualTo("/tracking-system/trackers/" + parcel(ticketId))))
        .size();
  }

  public int orderReads(long ticketId) {
    return desk.wire
        .findAll(getRequestedFor(urlPathEqualTo("/orders-system/orders/" + order(ticketId))))
        .size();
  }

  public JsonNode view(long ticketId) {
    Desk.Reply r = desk.get("/api/app/tickets/" + ticketId, Desk.APP_TOKEN);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  public static List<String> tags(JsonNode ticket) {
    List<String> t = new ArrayList<>();
    ticket.path("tags").forEach(n -> t.add(n.asText()));
    return t;
  }

  public static String note(JsonNode ticket) {
    return ticket.path("comment").path("body").asText();
  }

  /** Asserts an error reply: the status and the contract's {@code {"error", "detail"}} body. */
  public static void assertError(Desk.Reply r, int status) {
    assertEquals(status, r.status(), r.body());
    JsonNode j = r.json();
    assertTrue(j.hasNonNull("error") && j.has("detail"), "error body has both keys: " + r.body());
  }
}
