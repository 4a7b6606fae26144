package spark.desk.logistics;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.assertError;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * The logistics team's API (contract section 11) through the real server: the list, recording a
 * result (steps 3.1 and 3.2 react at once), its errors, and the responses sheet. One service for
 * the class; every test has its own tickets and none moves the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogisticsApiTest {
  static final Set<String> REQUEST_FIELDS =
      Set.of(
          "id",
          "ticketId",
          "orderNumber",
          "trackingNumber",
          "carrier",
          "shipped",
          "submittedAt",
          "result",
          "resultAt",
          "resultBy",
          "note",
          "trackingOutcome",
          "customerOutcome");
  static final String CSV_HEADER =
      "id,ticketId,orderNumber,trackingNumber,carrier,shipped,submittedAt,result,resultAt,resultBy,note,trackingOutcome,customerOutcome";

  Desk desk;
  CaseDriver cases;

  @BeforeAll
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    cases = new CaseDriver(desk);
  }

  @AfterAll
  void stop() {
    desk.close();
  }

  JsonNode requestOf(String status, long ticketId) {
    Desk.Reply r = desk.get("/api/logistics/requests?status=" + status, Desk.LOGISTICS_TOKEN);
    assertEquals(200, r.status(), r.body());
    for (JsonNode req : r.json().path("requests"))
      if (req.path("ticketId").asLong() == ticketId) return req;
    return null;
  }

  static Set<String> fieldNames(JsonNode n) {
    Set<String> names = new TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void pendingListShowsEachRequestInTheContractShape() {
    cases.openNotShipped(1101);
    cases.openShipped(1102, false);

    JsonNode notShipped = requestOf("pending", 1101);
    assertNotNull(notShipped, "the not shipped order's request is pending");
    assertEquals(REQUEST_FIELDS, fieldNames(notShipped));
    assertTrue(notShipped.path("id").isNumber());
    assertEquals("SP-1101", notShipped.path("orderNumber").asText());
    assertTrue(notShipped.path("trackingNumber").isNull());
    assertTrue(notShipped.path("carrier").isNull());
    assertFalse(notShipped.path("shipped").asBoolean());

    JsonNode shipped = requestOf("pending", 1102);
    assertEquals(REQUEST_FIELDS, fieldNames(shipped));
    assertEquals("1Z1102", shipped.path("trackingNumber").asText());
    assertEquals("UPS", shipped.path("carrier").asText());
    assertTrue(shipped.path("shipped").asBoolean());
    assertEquals(
        Instant.parse("2026-11-26T09:13:00Z"), Instant.parse(shipped.path("submittedAt").asText()));
    assertEquals("pending", shipped.path("result").asText());
    for (String field :
        List.of("resultAt", "resultBy", "note", "trackingOutcome", "customerOutcome"))
      assertTrue(shipped.path(field).isNull(), field + " is null while pending");
  }

  @Test
  void answeredRequestLeavesThePendingListButStaysInAll() {
    cases.openNotShipped(1103);
    assertEquals(200, cases.logisticsResult(1103, "unsuccessful").status());

    assertNull(requestOf("pending", 1103));
    JsonNode answered = requestOf("all", 1103);
    assertEquals(REQUEST_FIELDS, fieldNames(answered));
    assertEquals("unsuccessful", answered.path("result").asText());
    assertEquals("Lee (logistics)", answered.path("resultBy").asText());
    assertEquals("checked with the warehouse", answered.path("note").asText());
    assertEquals(desk.clock.instant(), Instant.parse(answered.path("resultAt").asText()));
  }

  @Test
  void unknownStatusFilterIsABadRequest() {
    assertError(desk.get("/api/logistics/requests?status=done", Desk.LOGISTICS_TOKEN), 400);
  }

  @Test
  void successfulResultEscalatesToTheRefundsTeamAtOnceWithOrderAndAmount() {
    cases.openNotShipped(1104);
    Desk.Reply reply = cases.logisticsResult(1104, "successful");
    assertEquals(200, reply.status(), reply.body());
    assertEquals(REQUEST_FIELDS, fieldNames(reply.json()));
    assertEquals("successful", reply.json().path("result").asText());

    JsonNode update = cases.update(1104, 2);
    assertTrue(
        tags(update).containsAll(List.of("cxl_logistics_successful", "cxl_refund_escalated")),
        tags(update).toString());
    assertEquals(Desk.REFUND_GROUP, update.path("group_id").asLong());
    assertFalse(update.path("comment").path("public").asBoolean(true), "a private note");
    String note = note(update);
    assertTrue(note.startsWith("Step 3.1"), note);
    assertTrue(note.contains("SP-1104") && note.contains("59.90") && note.contains("USD"), note);
    JsonNode view = cases.view(1104);
    assertEquals("refund_escalated", view.path("stage").asText());
    assertTrue(view.path("refundEscalated").asBoolean());
  }

  @Test
  void theSameResultPostedAgainIsAnOkNoOpThatEscalatesOnce() {
    cases.openNotShipped(1105);
    assertEquals(200, cases.logisticsResult(1105, "successful").status());
    Desk.Reply again = cases.logisticsResult(1105, "successful");
    assertEquals(200, again.status(), again.body());
    assertEquals("successful", again.json().path("result").asText());

    assertEquals(2, cases.awaitAllApplied(1105), "step 1.1 and one step 3.1 update");
    assertEquals(
        1,
        desk.zendeskUpdates(1105).stream().filter(u -> u.path("ticket").has("group_id")).count());
    assertEquals(1, cases.writes(1105, "3.1").size());
  }

  @Test
  void aDifferentResultAfterwardsIsAConflictAndKeepsTheFirst() {
    cases.openNotShipped(1106);
    assertEquals(200, cases.logisticsResult(1106, "successful").status());
    assertError(cases.logisticsResult(1106, "unsuccessful"), 409);

    assertEquals("successful", requestOf("all", 1106).path("result").asText());
    assertTrue(cases.writes(1106, "3.2").isEmpty(), "no step 3.2 decision");
    assertEquals("refund_escalated", cases.view(1106).path("stage").asText());
  }

  @Test
  void resultForAnUnknownRequestIsNotFound() {
    assertError(
        desk.post(
            "/api/logistics/requests/999999/result",
            Desk.LOGISTICS_TOKEN,
            "{\"result\": \"successful\", \"by\": \"Lee\"}"),
        404);
  }

  @Test
  void malformedResultIsABadRequestAndChangesNothing() {
    cases.openNotShipped(1107);
    long id = cases.requestId(1107);
    String path = "/api/logistics/requests/" + id + "/result";
    for (String body :
        List.of(
            "not json",
            "[]",
            "{}",
            "{\"result\": \"maybe\", \"by\": \"Lee\"}",
            "{\"result\": \"successful\"}",
            "{\"result\": \"successful\", \"by\": \"  \"}",
            "{\"result\": true, \"by\": \"Lee\"}")) {
      assertError(desk.post(path, Desk.LOGISTICS_TOKEN, body), 400);
    }
    assertError(
        desk.post(
            "/api/logistics/requests/seven/result",
            Desk.LOGISTICS_TOKEN,
            "{\"result\": \"successful\", \"by\": \"Lee\"}"),
        400);

    assertEquals("pending", requestOf("pending", 1107).path("result").asText());
    assertEquals(1, cases.writes(1107).size(), "only the step 1.1 decision");
    assertEquals("awaiting_logistics", cases.view(1107).path("stage").asText());
  }

  @Test
  void logisticsApiWithoutTheLogisticsTokenIsUnauthorized() {
    cases.openNotShipped(1108);
    String path = "/api/logistics/requests/" + cases.requestId(1108) + "/result";
    String body = "{\"result\": \"successful\", \"by\": \"Lee\"}";
    assertError(desk.post(path, null, body), 401);
    assertError(desk.post(path, Desk.APP_TOKEN, body), 401);
    assertError(desk.post("/api/logistics/requests/999999/result", null, body), 401);
    assertError(desk.get("/api/logistics/requests?status=all", null), 401);
    assertError(desk.get("/api/logistics/responses.csv", "wrong"), 401);

    assertEquals("pending", requestOf("pending", 1108).path("result").asText());
    assertEquals(1, cases.writes(1108).size());
  }

  @Test
  void responsesSheetHasAHeaderAndOneRowPerRequestWithTheOutcomesOfSteps4And5() {
    cases.openShipped(1110, true);
    cases.push(1110, "return_to_sender", "2026-11-26T09:12:50Z", "in_transit", "return_to_sender");
    cases.update(1110, 2);
    cases.openShipped(1111, true);
    cases.push(1111, "delivered", "2026-11-26T09:12:50Z", "in_transit", "delivered");
    cases.update(1111, 2);
    assertEquals(200, cases.agentAction(1111, "customer_returns").status());

    Desk.Reply csv = desk.get("/api/logistics/responses.csv", Desk.LOGISTICS_TOKEN);
    assertEquals(200, csv.status(), csv.body());
    List<List<String>> rows = parseCsv(csv.body());
    assertEquals(CSV_HEADER, String.join(",", rows.get(0)));
    int all =
        desk.get("/api/logistics/requests?status=all", Desk.LOGISTICS_TOKEN)
            .json()
            .path("requests")
            .size();
    assertEquals(all, rows.size() - 1, "one row per request");

    Map<String, String> returned = row(rows, 1110);
    assertEquals("return_to_sender", returned.get("trackingOutcome"));
    assertEquals("", returned.get("customerOutcome"));
    assertEquals("pending", returned.get("result"));
    Map<String, String> delivered = row(rows, 1111);
    assertEquals("delivered", delivered.get("trackingOutcome"));
    assertEquals("sales_return", delivered.get("customerOutcome"));
    assertEquals("1Z1111", delivered.get("trackingNumber"));
  }

  static Map<String, String> row(List<List<String>> rows, long ticketId) {
    List<String> header = rows.get(0);
    for (List<String> r : rows.subList(1, rows.size())) {
      if (r.get(header.indexOf("ticketId")).equals(String.valueOf(ticketId))) {
        assertEquals(header.size(), r.size(), "every row has every column: " + r);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < header.size(); i++) m.put(header.get(i), r.get(i));
        return m;
      }
    }
    throw new AssertionError("no row for ticket " + ticketId);
  }

  /** RFC 4180, enough for the sheet: quoted cells with doubled quotes, CRLF or LF line ends. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        cell.append(ch);
      }
    }
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }
}
