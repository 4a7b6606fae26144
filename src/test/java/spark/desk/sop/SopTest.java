package spark.desk.sop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import spark.desk.calendar.WorkingCalendar;
import spark.desk.cases.Snapshots;
import spark.desk.config.Config;
import spark.desk.orders.Order;
import spark.desk.tracking.Tracker;
import spark.desk.zendesk.Ticket;

/**
 * The SOP engine as a table: one row per branch of {@code sop/order-cancellation-process.md} and
 * per edge case of the contract (sections 6, 7, 9, 10). Each row builds its case by playing earlier
 * events through the real engine ({@link Desk}), plays one event, and states the one Zendesk update
 * (or none) it must produce. After every row the ticket as Zendesk now shows it (our tags included)
 * is replayed, as Zendesk re-fires its trigger on our own update: that replay must change nothing.
 */
class SopTest {

  // ---- the world of the table -------------------------------------------------------------

  static final long REFUND_GROUP = 9001L;
  static final long SALES_RETURN_GROUP = 9002L;

  /**
   * Logistics works in New York (so a UTC slip shows), Monday to Friday; Tuesday 1 December 2026 is
   * a holiday, so a check from Monday moves to Wednesday.
   */
  static final Map<String, String> ENV =
      Map.of(
          "REFUND_GROUP_ID",
          String.valueOf(REFUND_GROUP),
          "SALES_RETURN_GROUP_ID",
          String.valueOf(SALES_RETURN_GROUP),
          "BUSINESS_TIMEZONE",
          "America/New_York",
          "BUSINESS_HOLIDAYS",
          "2026-12-01");

  static final String MACRO_NOT_SHIPPED = "Spark Cancellation (Not Shipped)";
  static final String MACRO_SHIPPED = "Spark Cancellation (Shipped)";
  static final String MACRO_DELIVERED = "Spark Cancellation (Delivered)";
  static final String MACRO_KEEP_OR_RETURN = "Spark Cancellation (Keep or Return)";

  static final long TICKET = 101L;
  static final String ORDER = "SP-10001";
  static final String TRACKING = "1Z999AA10123456784";

  /**
   * Friday 27 November 2026: the ticket is created at 08:55Z, the service first sees it at 09:00Z.
   */
  static final Instant CREATED = Instant.parse("2026-11-27T08:55:00Z");

  static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

  /** The next working day's 10:00 in New York after T0: Monday 30 November, 10:00 EST. */
  static final Instant FIRST_FOLLOWUP = Instant.parse("2026-11-30T15:00:00Z");

  /** A working day after FIRST_FOLLOWUP, skipping the Tuesday holiday: Wednesday 2 December. */
  static final Instant SECOND_FOLLOWUP = Instant.parse("2026-12-02T15:00:00Z");

  static final Instant LOGISTICS_ANSWERS = Instant.parse("2026-11-30T12:00:00Z");
  static final Duration POLL = Duration.ofHours(4);
  static final Duration WATCH_LIMIT = Duration.ofDays(21);

  // ---- the table --------------------------------------------------------------------------

  static Stream<Row> rows() {
    return Stream.of(
        // ---- step 1: classify the order (and step 2 in the same decision) ----------------------
        row(
            "1.1 not shipped: Not Shipped macro, logistics request filed, check next working day 10:00",
            SopTest::opened,
            d -> found(order("processing", null, null), null),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("1.1")
                        .adds(Tags.NOT_SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .macro(MACRO_NOT_SHIPPED)
                        .note(
                            "Order: SP-10001, status processing",
                            "Tracking number: none",
                            "step 2",
                            MACRO_NOT_SHIPPED,
                            "Mon 30 Nov 2026 10:00"))
                .files()
                .check(
                    "followup at the next working day's 10:00 in the business zone",
                    (d, r) -> assertEquals(FIRST_FOLLOWUP, r.next().logistics().followupAt()))
                .check(
                    "no tracking watch for an unshipped order",
                    (d, r) -> assertFalse(r.next().watch().watching()))),
        row(
            "1.2 shipped: Shipped macro suggested, logistics request filed",
            SopTest::opened,
            d -> found(shippedOrder(), inTransit(T0.minus(Duration.ofHours(3)))),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("1.2")
                        .adds(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .macro(MACRO_SHIPPED)
                        .note(
                            "status shipped",
                            "Tracking number: " + TRACKING + " (UPS)",
                            "Tracking status: in_transit",
                            MACRO_SHIPPED))
                .files()
                .check(
                    "followup set",
                    (d, r) -> assertEquals(FIRST_FOLLOWUP, r.next().logistics().followupAt()))
                .check(
                    "no watch before the refusal is asked",
                    (d, r) -> assertFalse(r.next().watch().watching()))
                .check("no refusal asked", (d, r) -> assertNull(r.refusalAsked()))),
        row(
            "1.2 shipped with cxl_refusal_requested already on the ticket: no macro, watch started",
            d -> d.withTags(Tags.REFUSAL_REQUESTED).open(),
            d -> found(shippedOrder(), inTransit(T0.minus(Duration.ofHours(3)))),
            then(
                    Stage.WATCHING_TRACKING,
                    w("1.2")
                        .adds(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .note("Tracking status: in_transit", "already asked"))
                .files()
                .check(
                    "watch started now, first check one poll interval later",
                    (d, r) -> {
                      assertEquals(d.now, r.next().watch().startedAt());
                      assertEquals(d.now.plus(POLL), r.next().watch().nextCheckAt());
                      assertEquals(FIRST_FOLLOWUP, r.next().logistics().followupAt());
                    })
                .check(
                    "refusal asked by the time the request arrived (the case's milestone)",
                    (d, r) -> assertEquals(Result.RefusalAsked.BY_REQUEST, r.refusalAsked()))),
        row(
            "1.2 tracker unknown (404) for a shipped order: tracking status 'not found'",
            SopTest::opened,
            d -> found(shippedOrder(), null),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("1.2")
                        .adds(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .macro(MACRO_SHIPPED)
                        .note("Tracking number: " + TRACKING, "Tracking status: not found"))
                .files()),
        row(
            "1.3 delivered before the request: sales return, Delivered macro, sales-return group",
            SopTest::opened,
            d ->
                found(
                    order("delivered", TRACKING, CREATED.minus(Duration.ofDays(1))),
                    delivered(CREATED.minus(Duration.ofDays(1)))),
            then(
                    Stage.SALES_RETURN,
                    w("1.3")
                        .adds(Tags.DELIVERED_BEFORE_REQUEST, Tags.SALES_RETURN)
                        .macro(MACRO_DELIVERED)
                        .group(SALES_RETURN_GROUP)
                        .note(
                            "status delivered",
                            "Tracking status: delivered",
                            "Delivered: Thu 26 Nov 2026",
                            MACRO_DELIVERED))
                .check(
                    "nothing to cancel, nothing to follow up",
                    (d, r) -> {
                      assertNull(r.next().logistics().followupAt());
                      assertNull(r.next().logistics().result());
                    })),
        row(
            "1.3 without SALES_RETURN_GROUP_ID: no group on the update",
            Map.of("SALES_RETURN_GROUP_ID", ""),
            SopTest::opened,
            d ->
                found(
                    order("delivered", TRACKING, CREATED.minus(Duration.ofDays(1))),
                    delivered(CREATED.minus(Duration.ofDays(1)))),
            then(
                Stage.SALES_RETURN,
                w("1.3")
                    .adds(Tags.DELIVERED_BEFORE_REQUEST, Tags.SALES_RETURN)
                    .macro(MACRO_DELIVERED))),
        row(
            "1.3 delivered with no delivery time anywhere: taken as before the request",
            SopTest::opened,
            d -> found(order("delivered", TRACKING, null), null),
            then(
                Stage.SALES_RETURN,
                w("1.3")
                    .adds(Tags.DELIVERED_BEFORE_REQUEST, Tags.SALES_RETURN)
                    .macro(MACRO_DELIVERED)
                    .group(SALES_RETURN_GROUP)
                    .note("status delivered", "delivery time is unknown"))),
        row(
            "1.3 tracker delivered while the order system still says shipped: delivery seen anyway",
            SopTest::opened,
            d -> found(shippedOrder(), delivered(CREATED.minus(Duration.ofHours(2)))),
            then(
                Stage.SALES_RETURN,
                w("1.3")
                    .adds(Tags.DELIVERED_BEFORE_REQUEST, Tags.SALES_RETURN)
                    .macro(MACRO_DELIVERED)
                    .group(SALES_RETURN_GROUP)
                    .note("status shipped", "Tracking status: delivered"))),
        row(
            "4.2 at step 1: delivered after the ticket was created, before any refusal: ask keep or return",
            SopTest::opened,
            d -> found(shippedOrder(), delivered(CREATED.plus(Duration.ofMinutes(2)))),
            then(
                    Stage.AWAITING_CUSTOMER_DECISION,
                    w("4.2")
                        .adds(Tags.SHIPPED, Tags.DELIVERED_AFTER_REFUSAL)
                        .macro(MACRO_KEEP_OR_RETURN)
                        .note(
                            "Tracking status: delivered",
                            "after the cancellation request",
                            MACRO_KEEP_OR_RETURN))
                .check(
                    "tracking outcome delivered",
                    (d, r) ->
                        assertEquals(Case.TrackingOutcome.DELIVERED, r.next().watch().outcome()))),
        row(
            "4.1 at step 1: tracker shows return to sender: refund escalation",
            SopTest::opened,
            d ->
                found(
                    shippedOrder(),
                    tracker("return_to_sender", T0.minus(Duration.ofHours(1)), null)),
            then(
                Stage.REFUND_ESCALATED,
                w("4.1")
                    .adds(Tags.SHIPPED, Tags.RETURN_TO_SENDER, Tags.REFUND_ESCALATED)
                    .group(REFUND_GROUP)
                    .note(
                        "Refund due for order SP-10001: 59.90 USD",
                        "Tracking status: return_to_sender"))),
        row(
            "4.1 at step 1: 'delivered' after a return_to_sender event counts as returned, not delivered",
            SopTest::opened,
            d ->
                found(
                    order("delivered", TRACKING, CREATED.minus(Duration.ofDays(1))),
                    tracker(
                        "delivered",
                        CREATED.minus(Duration.ofDays(1)),
                        CREATED.minus(Duration.ofDays(1)),
                        ev("in_transit", CREATED.minus(Duration.ofDays(5))),
                        ev("return_to_sender", CREATED.minus(Duration.ofDays(3))),
                        ev("delivered", CREATED.minus(Duration.ofDays(1))))),
            then(
                Stage.REFUND_ESCALATED,
                w("4.1")
                    .adds(Tags.SHIPPED, Tags.RETURN_TO_SENDER, Tags.REFUND_ESCALATED)
                    .group(REFUND_GROUP)
                    .note("Refund due for order SP-10001"))),
        row(
            "1 already cancelled order: cxl_already_cancelled, case closed",
            SopTest::opened,
            d -> found(order("cancelled", null, null), null),
            then(
                    Stage.CLOSED,
                    w("1")
                        .adds(Tags.ALREADY_CANCELLED)
                        .note("status cancelled", "already cancelled"))
                .check(
                    "nothing filed, nothing scheduled",
                    (d, r) -> assertNull(r.next().nextDueAt()))),

        // ---- step 1: the order number -----------------------------------------------------------
        row(
            "1 no order number: cxl_needs_order_number, no lookup",
            d -> d.withoutOrderNumber(),
            d -> d.snapshot(),
            then(
                Stage.NEEDS_ORDER_NUMBER,
                w("1").adds(Tags.NEEDS_ORDER_NUMBER).note("No order number"))),
        row(
            "1 order number given later: looked up, no write",
            d -> d.withoutOrderNumber().open(),
            d -> d.withOrderNumber(ORDER).snapshot(),
            then(Stage.NEEDS_ORDER_NUMBER)
                .lookup()
                .check(
                    "case takes the number",
                    (d, r) -> assertEquals(ORDER, r.next().orderNumber()))),
        row(
            "1.2 after a missing order number: removes cxl_needs_order_number",
            d -> d.withoutOrderNumber().open().withOrderNumber(ORDER).open(),
            d -> found(shippedOrder(), inTransit(T0)),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("1.2")
                        .adds(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .removes(Tags.NEEDS_ORDER_NUMBER)
                        .macro(MACRO_SHIPPED))
                .files()),
        row(
            "1 order number found by ORDER_NUMBER_PATTERN in the subject",
            d -> d.withoutOrderNumber().withSubject("Please cancel SP-20002, ordered by mistake"),
            d -> d.snapshot(),
            then(Stage.NEEDS_ORDER_NUMBER)
                .lookup()
                .check(
                    "number from the subject",
                    (d, r) -> assertEquals("SP-20002", r.next().orderNumber()))),
        row(
            "1 order number found by ORDER_NUMBER_PATTERN in the description",
            d ->
                d.withoutOrderNumber()
                    .withSubject("Cancel my order")
                    .withDescription("Hi, my order is SP-30003. Thanks"),
            d -> d.snapshot(),
            then(Stage.NEEDS_ORDER_NUMBER)
                .lookup()
                .check(
                    "number from the description",
                    (d, r) -> assertEquals("SP-30003", r.next().orderNumber()))),
        row(
            "1 the order number field wins over a number in the subject",
            d -> d.withSubject("Re: SP-20002"),
            d -> d.snapshot(),
            then(Stage.NEEDS_ORDER_NUMBER)
                .lookup()
                .check(
                    "number from the field",
                    (d, r) -> assertEquals(ORDER, r.next().orderNumber()))),
        row(
            "1 order not found: cxl_order_not_found",
            SopTest::opened,
            d -> new Event.OrderNotFound(ORDER),
            then(
                Stage.ORDER_NOT_FOUND,
                w("1").adds(Tags.ORDER_NOT_FOUND).note("does not know order SP-10001"))),
        row(
            "1 order not found again: no second note",
            d -> d.open().play(new Event.OrderNotFound(ORDER)),
            d -> new Event.OrderNotFound(ORDER),
            then(Stage.ORDER_NOT_FOUND)),
        row(
            "1 order not found after a missing number: removes cxl_needs_order_number",
            d -> d.withoutOrderNumber().open().withOrderNumber(ORDER).open(),
            d -> new Event.OrderNotFound(ORDER),
            then(
                Stage.ORDER_NOT_FOUND,
                w("1")
                    .adds(Tags.ORDER_NOT_FOUND)
                    .removes(Tags.NEEDS_ORDER_NUMBER)
                    .note("SP-10001"))),
        row(
            "1 corrected order number after not found: looked up, then 1.1 removes cxl_order_not_found",
            d -> d.open().play(new Event.OrderNotFound(ORDER)).withOrderNumber("SP-10002").open(),
            d -> found(order("SP-10002", "processing", null, null), null),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("1.1")
                        .adds(Tags.NOT_SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .removes(Tags.ORDER_NOT_FOUND)
                        .macro(MACRO_NOT_SHIPPED)
                        .note("Order: SP-10002"))
                .files()),
        lookupUnavailable(1),
        lookupUnavailable(2),
        lookupUnavailable(3),
        lookupUnavailable(4),
        lookupUnavailable(5),
        row(
            "1 lookup failing for 5 minutes: cxl_lookup_failed, retries go on, doubling",
            d -> unavailable(d, 5),
            d -> d.later(Duration.ofMinutes(1)).event(new Event.LookupUnavailable("HTTP 503")),
            then(
                    Stage.LOOKUP_FAILED,
                    w("1").adds(Tags.LOOKUP_FAILED).note("SP-10001", "6 attempts", "HTTP 503"))
                .check(
                    "retried in 3 s x 2^5",
                    (d, r) ->
                        assertEquals(
                            d.now.plus(Duration.ofSeconds(96)), r.next().lookup().nextAt()))),
        row(
            "1 lookup failing for long: retries at most every 30 minutes",
            d -> unavailable(d, 15),
            d -> d.later(Duration.ofMinutes(1)).event(new Event.LookupUnavailable("HTTP 503")),
            then(Stage.LOOKUP_FAILED)
                .check(
                    "retried in 30 minutes",
                    (d, r) ->
                        assertEquals(
                            d.now.plus(Duration.ofMinutes(30)), r.next().lookup().nextAt()))),
        row(
            "1 lookup still unavailable after cxl_lookup_failed: no second note",
            d -> unavailable(d, 7),
            d -> new Event.LookupUnavailable("HTTP 503"),
            then(Stage.LOOKUP_FAILED)),
        row(
            "1 lookup failed after a missing number: removes cxl_needs_order_number",
            d -> unavailable(d.withoutOrderNumber().open().withOrderNumber(ORDER).open(), 5),
            d -> d.later(Duration.ofMinutes(1)).event(new Event.LookupUnavailable("HTTP 503")),
            then(
                Stage.LOOKUP_FAILED,
                w("1").adds(Tags.LOOKUP_FAILED).removes(Tags.NEEDS_ORDER_NUMBER))),
        row(
            "1.2 after the lookup recovers: removes cxl_lookup_failed",
            d -> unavailable(d, 7),
            d -> found(shippedOrder(), inTransit(T0)),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("1.2")
                        .adds(Tags.SHIPPED, Tags.LOGISTICS_REQUESTED)
                        .removes(Tags.LOOKUP_FAILED)
                        .macro(MACRO_SHIPPED))
                .files()
                .check(
                    "retries stop",
                    (d, r) -> {
                      assertNull(r.next().lookup().nextAt());
                      assertEquals(0, r.next().lookup().attempts());
                    })),

        // ---- step 3: the next-working-day check ------------------------------------------------
        row(
            "3 followup due with no result: cxl_logistics_overdue, next check a working day later",
            SopTest::shipped,
            d -> d.at(FIRST_FOLLOWUP).event(new Event.FollowupDue()),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("3")
                        .adds(Tags.LOGISTICS_OVERDUE)
                        .note("Logistics request: pending", "Wed 2 Dec 2026 10:00"))
                .check(
                    "next check skips the Tuesday holiday",
                    (d, r) -> assertEquals(SECOND_FOLLOWUP, r.next().logistics().followupAt()))),
        row(
            "3 second followup with still no result: another step-3 note",
            d -> shipped(d).followup(),
            d -> d.at(SECOND_FOLLOWUP).event(new Event.FollowupDue()),
            then(
                    Stage.AWAITING_LOGISTICS,
                    w("3").adds(Tags.LOGISTICS_OVERDUE).note("Logistics request: pending"))
                .check(
                    "a working day later again",
                    (d, r) ->
                        assertEquals(
                            Instant.parse("2026-12-03T15:00:00Z"),
                            r.next().logistics().followupAt()))),
        row(
            "3 followup before its time: nothing",
            SopTest::shipped,
            d -> d.at(FIRST_FOLLOWUP.minus(Duration.ofMinutes(1))).event(new Event.FollowupDue()),
            then(Stage.AWAITING_LOGISTICS)
                .check(
                    "the check stays where it was",
                    (d, r) -> assertEquals(FIRST_FOLLOWUP, r.next().logistics().followupAt()))),
        row(
            "3.1 successful: escalate to refunds, removes cxl_logistics_overdue",
            d -> shipped(d).followup(),
            d -> d.at(FIRST_FOLLOWUP.plus(Duration.ofHours(1))).logisticsEvent(true),
            then(
                    Stage.REFUND_ESCALATED,
                    w("3.1")
                        .adds(Tags.LOGISTICS_SUCCESSFUL, Tags.REFUND_ESCALATED)
                        .removes(Tags.LOGISTICS_OVERDUE)
                        .group(REFUND_GROUP)
                        .note(
                            "Refund due for order SP-10001: 59.90 USD",
                            "Successful",
                            "Logistics request: successful (Lee)"))
                .check(
                    "nothing left to do",
                    (d, r) -> {
                      assertNull(r.next().nextDueAt());
                      assertTrue(r.next().refundEscalated());
                    })),
        row(
            "3.1 successful without REFUND_GROUP_ID: tag, no group, escalate by hand",
            Map.of("REFUND_GROUP_ID", ""),
            SopTest::notShipped,
            d -> d.at(LOGISTICS_ANSWERS).logisticsEvent(true),
            then(
                Stage.REFUND_ESCALATED,
                w("3.1")
                    .adds(Tags.LOGISTICS_SUCCESSFUL, Tags.REFUND_ESCALATED)
                    .note("by hand", "59.90 USD"))),
        row(
            "3.2 unsuccessful, refusal not yet asked: Shipped macro, removes cxl_logistics_overdue",
            d -> shipped(d).followup(),
            d -> d.at(FIRST_FOLLOWUP.plus(Duration.ofHours(1))).logisticsEvent(false),
            then(
                    Stage.WATCHING_TRACKING,
                    w("3.2")
                        .adds(Tags.LOGISTICS_UNSUCCESSFUL)
                        .removes(Tags.LOGISTICS_OVERDUE)
                        .macro(MACRO_SHIPPED)
                        .note("Unsuccessful", "not been asked to refuse", MACRO_SHIPPED))
                .check(
                    "watch waits for the refusal",
                    (d, r) -> {
                      assertFalse(r.next().watch().watching());
                      assertNull(r.next().logistics().followupAt());
                    })),
        row(
            "3.2 unsuccessful after the refusal was asked: no macro, watch goes on",
            SopTest::asked,
            d -> d.at(LOGISTICS_ANSWERS).logisticsEvent(false),
            then(
                    Stage.WATCHING_TRACKING,
                    w("3.2").adds(Tags.LOGISTICS_UNSUCCESSFUL).note("Unsuccessful"))
                .check(
                    "watching since the refusal",
                    (d, r) -> {
                      assertTrue(r.next().watch().watching());
                      assertEquals(T0.plus(Duration.ofMinutes(30)), r.next().watch().startedAt());
                    })),
        row(
            "3.2 then the agent asks the customer to refuse: watch starts, no note",
            d -> shipped(d).at(LOGISTICS_ANSWERS).logistics(false),
            d -> d.later(Duration.ofMinutes(10)).tagged(Tags.REFUSAL_REQUESTED),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "watch started",
                    (d, r) -> {
                      assertTrue(r.next().watch().watching());
                      assertEquals(d.now, r.next().watch().startedAt());
                      assertNull(r.next().suggestedMacro());
                    })),
        row(
            "3 the same logistics result twice: second writes nothing",
            d -> shipped(d).at(LOGISTICS_ANSWERS).logistics(true),
            d -> d.later(Duration.ofMinutes(5)).logisticsEvent(true),
            then(Stage.REFUND_ESCALATED)),
        row(
            "3 a different logistics result after the first: no second escalation, nothing written",
            d -> shipped(d).at(LOGISTICS_ANSWERS).logistics(true),
            d -> d.later(Duration.ofMinutes(5)).logisticsEvent(false),
            then(Stage.REFUND_ESCALATED)
                .check(
                    "the first result stands",
                    (d, r) ->
                        assertEquals(
                            Case.LogisticsResult.SUCCESSFUL, r.next().logistics().result()))),
        row(
            "3 followup after the case was escalated by a return to sender: nothing",
            d -> asked(d).later(Duration.ofHours(4)).seen(tracker("return_to_sender", d.now, null)),
            d -> d.at(FIRST_FOLLOWUP).event(new Event.FollowupDue()),
            then(Stage.REFUND_ESCALATED)),

        // ---- step 4: watching the tracking -----------------------------------------------------
        row(
            "4.1 return to sender while watching: escalate to refunds",
            SopTest::unsuccessful,
            d ->
                d.at(Instant.parse("2026-12-02T14:00:00Z"))
                    .seenEvent(
                        tracker("return_to_sender", Instant.parse("2026-12-02T13:00:00Z"), null)),
            then(
                    Stage.REFUND_ESCALATED,
                    w("4.1")
                        .adds(Tags.RETURN_TO_SENDER, Tags.REFUND_ESCALATED)
                        .group(REFUND_GROUP)
                        .note(
                            "Refund due for order SP-10001: 59.90 USD",
                            "Tracking status: return_to_sender",
                            "Logistics request: unsuccessful"))
                .check("watch over", (d, r) -> assertNull(r.next().nextDueAt()))),
        row(
            "4.1 return to sender while the logistics result is pending: escalate",
            SopTest::asked,
            d ->
                d.later(Duration.ofHours(4))
                    .seenEvent(tracker("return_to_sender", d.now.minus(Duration.ofHours(1)), null)),
            then(
                    Stage.REFUND_ESCALATED,
                    w("4.1")
                        .adds(Tags.RETURN_TO_SENDER, Tags.REFUND_ESCALATED)
                        .group(REFUND_GROUP)
                        .note("Refund due for order SP-10001", "still pending"))
                .check(
                    "no step-3 check any more",
                    (d, r) -> assertNull(r.next().logistics().followupAt()))),
        row(
            "3.1 after a 4.1 escalation: recorded with cxl_logistics_successful, no second escalation, no group",
            d -> asked(d).later(Duration.ofHours(4)).seen(tracker("return_to_sender", d.now, null)),
            d -> d.at(LOGISTICS_ANSWERS).logisticsEvent(true),
            then(
                    Stage.REFUND_ESCALATED,
                    w("3.1")
                        .adds(Tags.LOGISTICS_SUCCESSFUL)
                        .note("no second escalation", "Successful"))
                .check(
                    "result recorded",
                    (d, r) ->
                        assertEquals(
                            Case.LogisticsResult.SUCCESSFUL, r.next().logistics().result()))),
        row(
            "3.1 after a 4.2 delivery: recorded, no escalation, still awaiting the customer",
            d ->
                asked(d)
                    .later(Duration.ofHours(4))
                    .seen(delivered(d.now.minus(Duration.ofHours(1)))),
            d -> d.at(LOGISTICS_ANSWERS).logisticsEvent(true),
            then(
                    Stage.AWAITING_CUSTOMER_DECISION,
                    w("3.1").adds(Tags.LOGISTICS_SUCCESSFUL).note("Successful"))
                .check("no refund escalation", (d, r) -> assertFalse(r.next().refundEscalated()))),
        row(
            "4.2 delivered after the refusal: ask keep or return",
            SopTest::unsuccessful,
            d ->
                d.at(Instant.parse("2026-12-03T18:00:00Z"))
                    .seenEvent(delivered(Instant.parse("2026-12-03T16:00:00Z"))),
            then(
                    Stage.AWAITING_CUSTOMER_DECISION,
                    w("4.2")
                        .adds(Tags.DELIVERED_AFTER_REFUSAL)
                        .macro(MACRO_KEEP_OR_RETURN)
                        .note(
                            "Tracking status: delivered",
                            "although they were asked to refuse it",
                            MACRO_KEEP_OR_RETURN))
                .check("watch over", (d, r) -> assertNull(r.next().nextDueAt()))),
        row(
            "4 just before the watch limit: no note, next poll scheduled",
            SopTest::unsuccessful,
            d ->
                d.at(watchStart().plus(WATCH_LIMIT).minus(Duration.ofMinutes(1)))
                    .seenEvent(inTransit(d.now)),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "next poll",
                    (d, r) -> assertEquals(d.now.plus(POLL), r.next().watch().nextCheckAt()))),
        row(
            "4 watch limit passed: cxl_tracking_stalled, polling continues",
            SopTest::unsuccessful,
            d -> d.at(watchStart().plus(WATCH_LIMIT)).seenEvent(inTransit(d.now)),
            then(
                    Stage.WATCHING_TRACKING,
                    w("4")
                        .adds(Tags.TRACKING_STALLED)
                        .note("Tracking status: in_transit", "21 days"))
                .check(
                    "next poll",
                    (d, r) -> assertEquals(d.now.plus(POLL), r.next().watch().nextCheckAt()))),
        row(
            "4 stalled once only: later polls write nothing",
            SopTest::stalled,
            d -> d.later(POLL).seenEvent(inTransit(d.now)),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "polling goes on",
                    (d, r) -> assertEquals(d.now.plus(POLL), r.next().watch().nextCheckAt()))),
        row(
            "4 tracker unavailable past the watch limit: stalled",
            SopTest::unsuccessful,
            d ->
                d.at(watchStart().plus(WATCH_LIMIT).plus(Duration.ofHours(1)))
                    .event(new Event.TrackerUnavailable("HTTP 502")),
            then(Stage.WATCHING_TRACKING, w("4").adds(Tags.TRACKING_STALLED))),
        row(
            "4.1 stalled then returned: removes cxl_tracking_stalled",
            SopTest::stalled,
            d -> d.later(POLL).seenEvent(tracker("return_to_sender", d.now, null)),
            then(
                Stage.REFUND_ESCALATED,
                w("4.1")
                    .adds(Tags.RETURN_TO_SENDER, Tags.REFUND_ESCALATED)
                    .removes(Tags.TRACKING_STALLED)
                    .group(REFUND_GROUP)
                    .note("Refund due"))),
        row(
            "4.2 stalled then delivered: removes cxl_tracking_stalled",
            SopTest::stalled,
            d -> d.later(POLL).seenEvent(delivered(d.now)),
            then(
                Stage.AWAITING_CUSTOMER_DECISION,
                w("4.2")
                    .adds(Tags.DELIVERED_AFTER_REFUSAL)
                    .removes(Tags.TRACKING_STALLED)
                    .macro(MACRO_KEEP_OR_RETURN))),
        row(
            "3.1 while the watch is stalled: the escalation removes cxl_tracking_stalled",
            d -> stalledWhilePending(d),
            d -> d.later(Duration.ofHours(1)).logisticsEvent(true),
            then(
                Stage.REFUND_ESCALATED,
                w("3.1")
                    .adds(Tags.LOGISTICS_SUCCESSFUL, Tags.REFUND_ESCALATED)
                    .removes(Tags.TRACKING_STALLED)
                    .group(REFUND_GROUP))),
        row(
            "4 an older tracker update after a newer one: ignored",
            d ->
                unsuccessful(d)
                    .at(Instant.parse("2026-12-03T12:00:00Z"))
                    .seen(inTransit(Instant.parse("2026-12-03T11:00:00Z"))),
            d ->
                d.later(Duration.ofMinutes(5))
                    .seenEvent(delivered(Instant.parse("2026-12-02T09:00:00Z"))),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "the newer tracker stays",
                    (d, r) -> assertEquals("in_transit", r.next().parcel().status()))),
        row(
            "4 a tracker update for another parcel: ignored",
            SopTest::unsuccessful,
            d ->
                d.at(Instant.parse("2026-12-02T14:00:00Z"))
                    .seenEvent(
                        new Tracker(
                            "1ZOTHER0000000001",
                            "UPS",
                            "return_to_sender",
                            Instant.parse("2026-12-02T13:00:00Z"),
                            null,
                            List.of())),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "tracker unchanged",
                    (d, r) -> assertEquals(TRACKING, r.next().parcel().trackingNumber()))),
        row(
            "4 tracker unavailable: no write, next check scheduled",
            SopTest::unsuccessful,
            d ->
                d.at(Instant.parse("2026-12-02T14:00:00Z"))
                    .event(new Event.TrackerUnavailable("HTTP 502")),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "next check one poll later",
                    (d, r) -> assertEquals(d.now.plus(POLL), r.next().watch().nextCheckAt()))),

        // ---- step 5: the customer's answer ---------------------------------------------------
        row(
            "5.1 customer keeps: cxl_order_kept, ticket solved",
            SopTest::deliveredAfterRefusal,
            d -> d.later(Duration.ofHours(2)).tagged(Tags.CUSTOMER_KEEPS),
            then(
                Stage.ORDER_KEPT,
                w("5.1").adds(Tags.ORDER_KEPT).status("solved").note("Order Kept"))),
        row(
            "5.1 with CLOSE_WHEN_ORDER_KEPT=false: no status",
            Map.of("CLOSE_WHEN_ORDER_KEPT", "false"),
            SopTest::deliveredAfterRefusal,
            d -> d.later(Duration.ofHours(2)).tagged(Tags.CUSTOMER_KEEPS),
            then(
                Stage.ORDER_KEPT,
                w("5.1").adds(Tags.ORDER_KEPT).note("Order Kept", "Solve the ticket"))),
        row(
            "5.2 customer returns: cxl_sales_return, sales-return group",
            SopTest::deliveredAfterRefusal,
            d -> d.later(Duration.ofHours(2)).tagged(Tags.CUSTOMER_RETURNS),
            then(
                Stage.SALES_RETURN,
                w("5.2")
                    .adds(Tags.SALES_RETURN)
                    .group(SALES_RETURN_GROUP)
                    .note("SR", "sales return"))),
        row(
            "5.2 from the sidebar app: the agent is named",
            SopTest::deliveredAfterRefusal,
            d ->
                d.later(Duration.ofHours(2))
                    .event(new Event.AgentAction(Event.Action.CUSTOMER_RETURNS, "Ann Agent")),
            then(
                Stage.SALES_RETURN,
                w("5.2").adds(Tags.SALES_RETURN).group(SALES_RETURN_GROUP).note("Ann Agent"))),
        row(
            "5 a customer answer before delivery: kept pending, no write",
            SopTest::unsuccessful,
            d -> d.at(Instant.parse("2026-12-02T09:00:00Z")).tagged(Tags.CUSTOMER_KEEPS),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "answer kept",
                    (d, r) ->
                        assertEquals(
                            Case.CustomerAnswer.KEEP, r.next().customer().pendingAnswer()))),
        row(
            "4.2 then 5.1: an earlier answer is applied right after the delivery",
            d -> unsuccessful(d).at(Instant.parse("2026-12-02T09:00:00Z")).tag(Tags.CUSTOMER_KEEPS),
            d ->
                d.at(Instant.parse("2026-12-03T18:00:00Z"))
                    .seenEvent(delivered(Instant.parse("2026-12-03T16:00:00Z"))),
            then(
                    Stage.ORDER_KEPT,
                    w("4.2")
                        .adds(Tags.DELIVERED_AFTER_REFUSAL)
                        .note("Tracking status: delivered", "already answered"),
                    w("5.1")
                        .adds(Tags.ORDER_KEPT)
                        .status("solved")
                        .note("the answer given earlier"))
                .check(
                    "pending answer consumed",
                    (d, r) -> {
                      assertNull(r.next().customer().pendingAnswer());
                      assertNull(r.next().suggestedMacro());
                    })),
        row(
            "5 a customer answer after the case ended: ignored",
            d -> asked(d).later(Duration.ofHours(4)).seen(tracker("return_to_sender", d.now, null)),
            d -> d.later(Duration.ofDays(1)).tagged(Tags.CUSTOMER_KEEPS),
            then(Stage.REFUND_ESCALATED)
                .check(
                    "no outcome recorded",
                    (d, r) -> {
                      assertNull(r.next().customer().outcome());
                      assertNull(r.next().customer().pendingAnswer());
                    })),
        row(
            "5 the answer changed after 5.1: ignored",
            d -> deliveredAfterRefusal(d).later(Duration.ofHours(2)).tag(Tags.CUSTOMER_KEEPS),
            d ->
                d.later(Duration.ofHours(1))
                    .untag(Tags.CUSTOMER_KEEPS)
                    .tagged(Tags.CUSTOMER_RETURNS),
            then(Stage.ORDER_KEPT)),
        row(
            "5 both keep and return tags at once: nothing",
            SopTest::deliveredAfterRefusal,
            d -> d.later(Duration.ofHours(2)).tagged(Tags.CUSTOMER_KEEPS, Tags.CUSTOMER_RETURNS),
            then(Stage.AWAITING_CUSTOMER_DECISION)
                .check(
                    "no answer taken",
                    (d, r) -> {
                      assertNull(r.next().customer().outcome());
                      assertNull(r.next().customer().pendingAnswer());
                    })),

        // ---- agents' tags -------------------------------------------------------------------
        row(
            "agent asks the customer to refuse after 1.2: watch starts, no note",
            SopTest::shipped,
            d -> d.at(T0.plus(Duration.ofMinutes(30))).tagged(Tags.REFUSAL_REQUESTED),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "watch and no macro due",
                    (d, r) -> {
                      assertEquals(d.now, r.next().watch().startedAt());
                      assertEquals(d.now.plus(POLL), r.next().watch().nextCheckAt());
                      assertNull(r.next().suggestedMacro());
                    })
                .check(
                    "refusal asked now (the case's milestone)",
                    (d, r) -> assertEquals(Result.RefusalAsked.NOW, r.refusalAsked()))),
        row(
            "agent removing cxl_refusal_requested changes nothing",
            SopTest::asked,
            d -> d.later(Duration.ofHours(1)).untag(Tags.REFUSAL_REQUESTED).snapshot(),
            then(Stage.WATCHING_TRACKING)
                .check(
                    "still asked and watched",
                    (d, r) -> {
                      assertTrue(r.next().watch().refusalRequested());
                      assertTrue(r.next().watch().watching());
                      assertEquals(d.before, r.next());
                    })
                .check("not asked again", (d, r) -> assertNull(r.refusalAsked()))));
  }

  // ---- the stories rows start from ----------------------------------------------------------

  static void opened(Desk d) {
    d.open();
  }

  static Desk shipped(Desk d) {
    return d.open().lookedUp(shippedOrder(), inTransit(T0.minus(Duration.ofHours(3))));
  }

  static Desk notShipped(Desk d) {
    return d.open().lookedUp(order("processing", null, null), null);
  }

  /** 1.2, then the agent applies the Shipped macro (which adds cxl_refusal_requested) at 09:30. */
  static Desk asked(Desk d) {
    return shipped(d).at(T0.plus(Duration.ofMinutes(30))).tag(Tags.REFUSAL_REQUESTED);
  }

  static Instant watchStart() {
    return T0.plus(Duration.ofMinutes(30));
  }

  /** Asked, then logistics could not cancel (3.2): the tracking is watched. */
  static Desk unsuccessful(Desk d) {
    return asked(d).at(LOGISTICS_ANSWERS).logistics(false);
  }

  static Desk deliveredAfterRefusal(Desk d) {
    return unsuccessful(d)
        .at(Instant.parse("2026-12-03T18:00:00Z"))
        .seen(delivered(Instant.parse("2026-12-03T16:00:00Z")));
  }

  static Desk stalled(Desk d) {
    return unsuccessful(d).at(watchStart().plus(WATCH_LIMIT)).seen(inTransit(d.now));
  }

  /** Asked; logistics never answers; the watch limit passes before the result comes. */
  static Desk stalledWhilePending(Desk d) {
    return asked(d).at(watchStart().plus(WATCH_LIMIT)).seen(inTransit(d.now));
  }

  static Desk unavailable(Desk d, int times) {
    if (d.c == null) d.open();
    for (int i = 0; i < times; i++)
      d.later(Duration.ofMinutes(1)).play(new Event.LookupUnavailable("HTTP 503"));
    return d;
  }

  /**
   * The n-th failed lookup, a minute after the one before: under 5 minutes of failure, no write;
   * retried in 3 s, doubling (contract section 5: the first retry within 5 s).
   */
  static Row lookupUnavailable(int n) {
    Duration wait = Duration.ofSeconds(3L << (n - 1));
    return row(
        "1 lookup unavailable "
            + n
            + " times in "
            + (n - 1)
            + " minutes: no write, retry in "
            + wait.toSeconds()
            + "s (doubling)",
        d -> unavailable(d, n - 1),
        d -> d.later(Duration.ofMinutes(1)).event(new Event.LookupUnavailable("HTTP 503")),
        then(Stage.LOOKUP_FAILED)
            .check(
                "retry time",
                (d, r) -> {
                  assertEquals(d.now.plus(wait), r.next().lookup().nextAt());
                  assertEquals(n, r.next().lookup().attempts());
                }));
  }

  // ---- orders and trackers ------------------------------------------------------------------

  static Order order(String status, String tracking, Instant deliveredAt) {
    return order(ORDER, status, tracking, deliveredAt);
  }

  static Order order(String number, String status, String tracking, Instant deliveredAt) {
    return new Order(
        number,
        status,
        tracking,
        tracking == null ? null : "UPS",
        Instant.parse("2026-11-20T10:15:00Z"),
        tracking == null ? null : Instant.parse("2026-11-25T10:00:00Z"),
        deliveredAt,
        "jane@example.com",
        new Order.Money("59.90", "USD"));
  }

  /**
   * The order system's answer; a shipped order without a tracker means the tracker was unknown
   * (404).
   */
  static Event found(Order order, Tracker tracker) {
    return new Event.OrderLookedUp(
        Snapshots.order(order),
        Snapshots.parcel(tracker),
        tracker == null && order.shipped() ? "not found" : null);
  }

  static Order shippedOrder() {
    return order("shipped", TRACKING, null);
  }

  static Tracker tracker(
      String status, Instant updatedAt, Instant deliveredAt, Tracker.Event... events) {
    List<Tracker.Event> list =
        events.length == 0 ? List.of(ev(status, updatedAt)) : List.of(events);
    return new Tracker(TRACKING, "UPS", status, updatedAt, deliveredAt, list);
  }

  static Tracker inTransit(Instant at) {
    return tracker("in_transit", at, null);
  }

  static Tracker delivered(Instant at) {
    return tracker(
        "delivered", at, at, ev("in_transit", at.minus(Duration.ofDays(1))), ev("delivered", at));
  }

  static Tracker.Event ev(String status, Instant at) {
    return new Tracker.Event(status, status.replace('_', ' '), at);
  }

  // ---- the runner -----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void sop(Row row) {
    Map<String, String> env = new HashMap<>(ENV);
    env.putAll(row.env);
    Desk desk = new Desk(Config.fromEnvironment(env));
    row.given.accept(desk);
    desk.before = desk.c;
    Event event = row.when.apply(desk);
    Result r = desk.decideAndApply(event);
    row.then.verify(desk, r);

    // Zendesk re-fires its trigger on every update, ours included: the ticket as it now stands
    // (with the tags we just wrote) must change nothing.
    Case settled = desk.c;
    Result replay = desk.later(Duration.ofMinutes(1)).decideAndApply(desk.snapshot());
    assertEquals(List.of(), replay.writes(), "replaying the ticket wrote again");
    assertFalse(replay.lookupWanted(), "replaying the ticket looked the order up again");
    assertFalse(replay.fileLogisticsRequest(), "replaying the ticket filed again");
    assertEquals(settled, replay.next(), "replaying the ticket changed the case");

    desk.assertSideEffectsOnce();
  }

  record Row(
      String name,
      Map<String, String> env,
      Consumer<Desk> given,
      Function<Desk, Event> when,
      Then then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<Desk> given, Function<Desk, Event> when, Then then) {
    return new Row(name, Map.of(), given, when, then);
  }

  static Row row(
      String name,
      Map<String, String> env,
      Consumer<Desk> given,
      Function<Desk, Event> when,
      Then then) {
    return new Row(name, env, given, when, then);
  }

  /** What one decision must produce: the stage after it and its Zendesk updates, in order. */
  static final class Then {
    final Stage stage;
    final List<W> writes;
    boolean lookup;
    boolean files;
    final List<Map.Entry<String, BiConsumer<Desk, Result>>> checks = new ArrayList<>();

    Then(Stage stage, List<W> writes) {
      this.stage = stage;
      this.writes = writes;
    }

    Then lookup() {
      lookup = true;
      return this;
    }

    Then files() {
      files = true;
      return this;
    }

    Then check(String what, BiConsumer<Desk, Result> check) {
      checks.add(Map.entry(what, check));
      return this;
    }

    void verify(Desk d, Result r) {
      assertEquals(writes.size(), r.writes().size(), () -> "number of writes: " + r.writes());
      for (int i = 0; i < writes.size(); i++) writes.get(i).verify(r.writes().get(i));
      assertEquals(stage, r.next().stage(), "stage");
      assertEquals(lookup, r.lookupWanted(), "lookupWanted");
      assertEquals(files, r.fileLogisticsRequest(), "fileLogisticsRequest");
      if (!writes.isEmpty())
        assertEquals(writes.get(writes.size() - 1).step, r.next().sopStep(), "case's sopStep");
      for (var check : checks) {
        try {
          check.getValue().accept(d, r);
        } catch (AssertionError e) {
          throw new AssertionError(check.getKey() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  static Then then(Stage stage, W... writes) {
    return new Then(stage, List.of(writes));
  }

  /**
   * One expected Zendesk update. Tags are compared exactly; macro, group and status default to
   * none.
   */
  static final class W {
    final String step;
    Set<String> adds = Set.of();
    Set<String> removes = Set.of();
    String macro;
    Long group;
    String status;
    List<String> note = List.of();

    W(String step) {
      this.step = step;
    }

    W adds(String... tags) {
      adds = new TreeSet<>(Arrays.asList(tags));
      return this;
    }

    W removes(String... tags) {
      removes = new TreeSet<>(Arrays.asList(tags));
      return this;
    }

    W macro(String title) {
      macro = title;
      return this;
    }

    W group(long id) {
      group = id;
      return this;
    }

    W status(String s) {
      status = s;
      return this;
    }

    W note(String... parts) {
      note = List.of(parts);
      return this;
    }

    void verify(Write w) {
      assertEquals(step, w.step(), () -> "step of " + w);
      assertEquals(adds, w.addTags(), "added tags of step " + step);
      assertEquals(removes, w.removeTags(), "removed tags of step " + step);
      assertEquals(macro, w.macro(), "macro of step " + step);
      assertEquals(group, w.groupId(), "group of step " + step);
      assertEquals(status, w.status(), "status of step " + step);
      for (String part : note) {
        assertTrue(
            w.note().contains(part),
            () -> "note of step " + step + " lacks '" + part + "':\n" + w.note());
      }
    }
  }

  static W w(String step) {
    return new W(step);
  }

  // ---- the desk: plays events through the engine as the service would ---------------------------

  static final Set<String> STEPS =
      Set.of("1", "1.1", "1.2", "1.3", "3", "3.1", "3.2", "4", "4.1", "4.2", "5.1", "5.2");
  static final Set<String> OUTCOME_TAGS =
      Set.of(
          Tags.NOT_SHIPPED,
          Tags.SHIPPED,
          Tags.DELIVERED_BEFORE_REQUEST,
          Tags.LOGISTICS_REQUESTED,
          Tags.LOGISTICS_SUCCESSFUL,
          Tags.LOGISTICS_UNSUCCESSFUL,
          Tags.RETURN_TO_SENDER,
          Tags.DELIVERED_AFTER_REFUSAL,
          Tags.ORDER_KEPT,
          Tags.SALES_RETURN,
          Tags.REFUND_ESCALATED,
          Tags.ALREADY_CANCELLED);

  /**
   * A ticket, its case and a clock. Every event goes through {@link Sop#decide}; every write is
   * applied to the ticket's tags as Zendesk would, and checked against the contract's rules for all
   * writes (section 7).
   */
  static final class Desk {
    final Config config;
    final Sop sop;
    Instant now = T0;
    Case c;
    Case before;
    Set<String> tags = new LinkedHashSet<>(Set.of("cancellation_request"));
    String orderNumber = ORDER;
    String subject = "Please cancel my order";
    String description = "I ordered the wrong size.";
    int refundEscalations;
    int logisticsRequests;

    Desk(Config config) {
      this.config = config;
      this.sop = new Sop(Snapshots.settings(config), WorkingCalendar.from(config));
    }

    Ticket ticket() {
      return new Ticket(
          TICKET,
          CREATED,
          now,
          "open",
          tags,
          subject,
          description,
          "jane@example.com",
          orderNumber);
    }

    Desk at(Instant at) {
      if (at.isBefore(now)) fail("the clock goes forward only: " + at + " < " + now);
      now = at;
      return this;
    }

    Desk later(Duration d) {
      return at(now.plus(d));
    }

    Desk withTags(String... more) {
      tags.addAll(Arrays.asList(more));
      return this;
    }

    Desk withoutOrderNumber() {
      orderNumber = null;
      return this;
    }

    Desk withOrderNumber(String number) {
      orderNumber = number;
      return this;
    }

    Desk withSubject(String s) {
      subject = s;
      return this;
    }

    Desk withDescription(String s) {
      description = s;
      return this;
    }

    Desk untag(String tag) {
      tags.remove(tag);
      return this;
    }

    /** The ticket as it stands, as an event (not played). */
    Event snapshot() {
      return new Event.TicketUpdated(Snapshots.ticket(ticket()));
    }

    /** The ticket with more tags, as an event (not played). */
    Event tagged(String... more) {
      withTags(more);
      return snapshot();
    }

    Desk open() {
      return play(snapshot());
    }

    Desk tag(String... more) {
      return play(tagged(more));
    }

    Desk lookedUp(Order order, Tracker tracker) {
      return play(found(order, tracker));
    }

    Event logisticsEvent(boolean successful) {
      return new Event.LogisticsResult(
          successful, "Lee", successful ? "cancelled in the WMS" : "already with UPS", now);
    }

    Desk logistics(boolean successful) {
      return play(logisticsEvent(successful));
    }

    Event seenEvent(Tracker t) {
      return new Event.TrackerSeen(Snapshots.parcel(t));
    }

    Desk seen(Tracker t) {
      return play(seenEvent(t));
    }

    Event event(Event e) {
      return e;
    }

    /** Plays the step-3 check when it is due. */
    Desk followup() {
      assertNotNull(c.logistics().followupAt(), "no followup set");
      return at(c.logistics().followupAt()).play(new Event.FollowupDue());
    }

    Desk play(Event e) {
      decideAndApply(e);
      return this;
    }

    Result decideAndApply(Event e) {
      Result r = sop.decide(c, e, now);
      for (Write w : r.writes()) {
        checkWrite(w);
        tags.addAll(w.addTags());
        tags.removeAll(w.removeTags());
        if (w.addTags().contains(Tags.REFUND_ESCALATED)) refundEscalations++;
      }
      if (r.fileLogisticsRequest()) logisticsRequests++;
      c = r.next();
      assertEquals(TICKET, c.ticketId());
      return r;
    }

    private void checkWrite(Write w) {
      assertTrue(STEPS.contains(w.step()), () -> "not an SOP step: " + w.step());
      String firstLine = w.note().lines().findFirst().orElse("");
      assertTrue(
          firstLine.matches("Step " + java.util.regex.Pattern.quote(w.step()) + ": \\S.*"),
          () -> "note's first line must name the step: " + firstLine);
      Set<String> both = new HashSet<>(w.addTags());
      both.retainAll(w.removeTags());
      assertEquals(Set.of(), both, "tags both added and removed");
      for (String removed : w.removeTags()) {
        assertTrue(Tags.PROBLEMS.contains(removed), () -> "outcome tag removed: " + removed);
        assertTrue(
            tags.contains(removed), () -> "removes a tag the ticket does not carry: " + removed);
      }
      for (String added : w.addTags()) {
        assertTrue(
            Tags.PROBLEMS.contains(added) || OUTCOME_TAGS.contains(added),
            () -> "unknown tag " + added);
      }
      if (w.macro() != null) {
        assertTrue(config.macros().all().contains(w.macro()), () -> "unknown macro " + w.macro());
        assertTrue(
            w.note().contains(w.macro()),
            () -> "the note must name the suggested macro: " + w.note());
      }
      Long refundGroup = config.refundGroupId().orElse(null);
      if (refundGroup != null && refundGroup.equals(w.groupId()))
        assertTrue(
            w.addTags().contains(Tags.REFUND_ESCALATED), "refund group without the escalation tag");
      if (w.addTags().contains(Tags.REFUND_ESCALATED))
        assertEquals(refundGroup, w.groupId(), "escalation group");
    }

    /** Contract section 7: a logistics request and an escalation happen at most once per case. */
    void assertSideEffectsOnce() {
      assertTrue(refundEscalations <= 1, "escalated " + refundEscalations + " times");
      assertTrue(logisticsRequests <= 1, "filed " + logisticsRequests + " logistics requests");
    }
  }
}
