package spark.desk.store;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.shared.Json;
import spark.desk.testing.MutableClock;
import spark.desk.testing.TestDatabase;

/**
 * Contract 2, RETENTION: what is older than it goes (raw inputs, delivery ids, pushed trackers, an
 * ended case's customer e-mail); what is younger, unworked, or a case record, note or timeline
 * stays. On H2 with the real migrations and a settable clock.
 */
class RetentionTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final Instant OLD = NOW.minus(Duration.ofDays(181));
  static final Instant RECENT = NOW.minus(Duration.ofDays(179));

  TestDatabase db;
  Database database;
  Jdbi jdbi;
  MutableClock clock = new MutableClock(NOW);
  Retention retention;

  @BeforeEach
  void open() {
    db = TestDatabase.h2();
    database = db.open();
    jdbi = database.jdbi();
    retention = new Retention(jdbi, Duration.ofDays(180), clock, Json.mapper());
  }

  @AfterEach
  void close() {
    database.close();
    db.close();
  }

  static OffsetDateTime at(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  void inbox(Handle h, long ticket, Instant received, Instant processed) {
    h.createUpdate(
            "insert into inbox (ticket_id, kind, payload, received_at, processed_at)"
                + " values (:t, 'ticket', '{\"requester_email\":\"jane@example.com\"}', :r, :p)")
        .bind("t", ticket)
        .bind("r", at(received))
        .bind("p", processed == null ? null : at(processed))
        .execute();
  }

  void kase(Handle h, long ticket, String stage, Instant updated) {
    h.createUpdate(
            "insert into cases (ticket_id, stage, state, created_at, updated_at)"
                + " values (:t, :s, :state, :u, :u)")
        .bind("t", ticket)
        .bind("s", stage)
        .bind(
            "state",
            "{\"ticketId\":"
                + ticket
                + ",\"order\":{\"orderNumber\":\"SP-1\",\"customerEmail\":\"jane@example.com\"}}")
        .bind("u", at(updated))
        .execute();
  }

  long count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  String state(long ticket) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select state from cases where ticket_id = " + ticket)
                .mapTo(String.class)
                .one());
  }

  @Test
  void deletesWhatIsPastRetentionAndNothingElse() {
    jdbi.useHandle(
        h -> {
          inbox(h, 1, OLD, OLD); // worked long ago: goes
          inbox(h, 2, RECENT, RECENT); // worked recently: stays
          inbox(h, 3, OLD, null); // never worked: stays (nothing accepted is lost)
          for (var d : new Object[][] {{"old", OLD}, {"new", RECENT}})
            h.createUpdate("insert into deliveries (invocation_id, received_at) values (:i, :r)")
                .bind("i", (String) d[0])
                .bind("r", at((Instant) d[1]))
                .execute();
          for (var d : new Object[][] {{"1ZOLD", OLD}, {"1ZNEW", RECENT}})
            h.createUpdate(
                    "insert into trackers (tracking_number, state, received_at) values (:n, '{}', :r)")
                .bind("n", (String) d[0])
                .bind("r", at((Instant) d[1]))
                .execute();
          kase(h, 10, "closed", OLD); // ended long ago: e-mail blanked
          kase(h, 11, "closed", RECENT); // ended recently: kept
          kase(h, 12, "awaiting_logistics", OLD); // still open: kept
          h.createUpdate(
                  "insert into case_history (ticket_id, at, step, text) values (10, :a, '1.1', 'x')")
              .bind("a", at(OLD))
              .execute();
        });

    Retention.Purged p = retention.purge(clock.instant());

    assertEquals(new Retention.Purged(1, 1, 1, 0, 1), p);
    assertEquals(0, count("select count(*) from inbox where ticket_id = 1"));
    assertEquals(2, count("select count(*) from inbox where ticket_id in (2, 3)"));
    assertEquals(1, count("select count(*) from deliveries where invocation_id = 'new'"));
    assertEquals(1, count("select count(*) from trackers where tracking_number = '1ZNEW'"));
    assertEquals(3, count("select count(*) from cases"), "case records stay");
    assertEquals(1, count("select count(*) from case_history"), "timelines stay");
    assertFalse(state(10).contains("jane@example.com"), state(10));
    assertTrue(state(10).contains("SP-1"), "the rest of the state stays");
    assertTrue(state(11).contains("jane@example.com"));
    assertTrue(state(12).contains("jane@example.com"));
  }

  @Test
  void aRunPurgesAsOfTheServiceClock() {
    jdbi.useHandle(h -> inbox(h, 1, RECENT, RECENT));
    assertEquals(0, retention.run().inbox(), "179 days old: kept");
    assertEquals(1, count("select count(*) from inbox"));

    clock.advance(Duration.ofDays(2));
    assertEquals(1, retention.run().inbox(), "181 days old on the clock: gone");
    assertEquals(0, count("select count(*) from inbox"));
  }
}
