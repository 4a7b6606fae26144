package spark.desk.app;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.desk.sop.Case;
import spark.desk.sop.OrderSnapshot;
import spark.desk.sop.Stage;
import spark.desk.store.CaseStore;
import spark.desk.store.LogisticsStore;
import spark.desk.testing.Desk;

/**
 * {@code GET /api/cases?limit=&after=} (contract section 10) through the real server: 250 stored
 * cases paged by ticket id, every case once, the stage filter kept, a case that moves while a
 * client pages neither lost nor repeated, and bad parameters answered 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CasesPagingTest {
  static final String SHIPPED = "Spark Cancellation (Shipped)";
  static final long FIRST = 5001;
  static final int COUNT = 250;

  Desk desk;
  Jdbi jdbi;
  final CaseStore store = new CaseStore();

  @BeforeAll
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    desk.stubMacro(360002, SHIPPED);
    jdbi = desk.app.database().jdbi();
    // Stored in shuffled order: the list's order is the ticket's, not the row's.
    List<Long> tickets = new ArrayList<>(LongStream.range(FIRST, FIRST + COUNT).boxed().toList());
    Collections.shuffle(tickets, new Random(8));
    jdbi.useTransaction(
        h -> {
          for (long t : tickets) {
            Case c = caseOf(t, stageOf(t));
            store.saveCase(h, c, Desk.START);
            store.addHistory(h, t, Desk.START, "1.1", "seeded " + t);
            if (c.stage() == Stage.AWAITING_LOGISTICS) new LogisticsStore().file(h, c, Desk.START);
          }
        });
  }

  @AfterAll
  void stop() {
    desk.close();
  }

  /** One in ten is closed (left out of the default list), one in five awaits logistics. */
  static Stage stageOf(long ticket) {
    return switch ((int) (ticket % 10)) {
      case 0 -> Stage.CLOSED;
      case 1, 6 -> Stage.AWAITING_LOGISTICS;
      case 2, 3, 4 -> Stage.WATCHING_TRACKING;
      default -> Stage.NEEDS_ORDER_NUMBER;
    };
  }

  static Case caseOf(long ticket, Stage stage) {
    boolean shipped = stage == Stage.AWAITING_LOGISTICS;
    return new Case(
        ticket,
        Desk.START,
        "SP-" + ticket,
        stage,
        "1.1",
        new OrderSnapshot(
            "SP-" + ticket,
            shipped ? "shipped" : "processing",
            shipped ? "1Z" + ticket : null,
            shipped ? "UPS" : null,
            null,
            "jane@example.com",
            null,
            null),
        null,
        Case.Lookup.NONE,
        Case.Logistics.NONE,
        Case.Watch.NONE,
        Case.CustomerDecision.NONE,
        false,
        Set.of(),
        shipped ? SHIPPED : null,
        null);
  }

  List<Long> expected(Stage only) {
    return LongStream.range(FIRST, FIRST + COUNT)
        .filter(t -> only == null ? !stageOf(t).ended() : stageOf(t) == only)
        .boxed()
        .toList();
  }

  JsonNode page(String query) {
    Desk.Reply r = desk.get("/api/cases" + query, Desk.ADMIN_TOKEN);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void pagesThroughEveryOpenCaseOnceByTicket() {
    List<Long> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String next = null;
    int before = desk.wire.findAll(getRequestedFor(urlPathEqualTo("/api/v2/macros.json"))).size();
    do {
      JsonNode body = page("?limit=100" + (next == null ? "" : "&after=" + enc(next)));
      assertTrue(body.has("next"), "next is always there");
      sizes.add(body.path("cases").size());
      for (JsonNode c : body.path("cases")) seen.add(c.path("ticketId").asLong());
      next = body.path("next").isNull() ? null : body.path("next").asText();
      if (sizes.size() == 1) {
        // A case on the next page moves meanwhile: still listed once, where its ticket is.
        long moving = FIRST + 101 + 1;
        jdbi.useTransaction(
            h ->
                store.saveCase(
                    h, caseOf(moving, Stage.WATCHING_TRACKING), Instant.now().plusSeconds(60)));
      }
    } while (next != null && sizes.size() < 10);

    assertEquals(expected(null), seen, "every open case once, by ticket id");
    assertEquals(List.of(100, 100, 25), sizes);
    int lookups =
        desk.wire.findAll(getRequestedFor(urlPathEqualTo("/api/v2/macros.json"))).size() - before;
    assertTrue(lookups <= 1, "macro ids from the cache, not per case: " + lookups + " reads");
  }

  @Test
  void theStageFilterPagesToo() {
    List<Long> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      JsonNode body =
          page("?stage=awaiting_logistics&limit=7" + (next == null ? "" : "&after=" + enc(next)));
      pages++;
      for (JsonNode c : body.path("cases")) {
        seen.add(c.path("ticketId").asLong());
        assertEquals("awaiting_logistics", c.path("stage").asText());
        assertEquals("pending", c.path("logistics").path("result").asText(), c.toString());
        assertEquals(SHIPPED, c.path("suggestedMacro").path("title").asText());
        assertEquals(360002, c.path("suggestedMacro").path("id").asLong(), c.toString());
        assertEquals(1, c.path("timeline").size());
        assertEquals(
            "seeded " + c.path("ticketId").asLong(),
            c.path("timeline").get(0).path("text").asText());
        assertFalse(c.has("writes"), "the list has no writes");
      }
      next = body.path("next").isNull() ? null : body.path("next").asText();
    } while (next != null && pages < 20);

    assertEquals(expected(Stage.AWAITING_LOGISTICS), seen);
    assertEquals(8, pages, "50 cases, 7 a page");
    assertEquals(
        expected(Stage.CLOSED),
        page("?stage=closed&limit=500").path("cases").findValues("ticketId").stream()
            .map(JsonNode::asLong)
            .toList(),
        "an ended stage is listed when asked for");
  }

  @Test
  void withoutLimitAPageHoldsAHundred() {
    JsonNode body = page("");
    assertEquals(100, body.path("cases").size());
    assertEquals(expected(null).subList(0, 100), ids(body));
    assertFalse(body.path("next").isNull());
    JsonNode rest = page("?limit=500&after=" + enc(body.path("next").asText()));
    assertEquals(expected(null).subList(100, expected(null).size()), ids(rest));
    assertTrue(rest.path("next").isNull());
  }

  static List<Long> ids(JsonNode body) {
    List<Long> ids = new ArrayList<>();
    body.path("cases").forEach(c -> ids.add(c.path("ticketId").asLong()));
    return ids;
  }

  @Test
  void badLimitOrCursorIsABadRequest() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    for (String q :
        List.of(
            "?limit=0",
            "?limit=501",
            "?limit=-3",
            "?limit=ten",
            "?limit=99999999999",
            "?after=%21%21%21",
            "?after=" + b64.encodeToString("x:5".getBytes(StandardCharsets.US_ASCII)),
            "?after=" + b64.encodeToString("t:abc".getBytes(StandardCharsets.US_ASCII)),
            "?after=" + b64.encodeToString("t:-4".getBytes(StandardCharsets.US_ASCII)),
            "?stage=bogus&limit=5")) {
      assertError(desk.get("/api/cases" + q, Desk.ADMIN_TOKEN), 400);
    }
    assertError(desk.get("/api/cases?limit=5", Desk.APP_TOKEN), 401);
  }
}
