package spark.desk.zendesk;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import spark.desk.store.Database;
import spark.desk.testing.TestDatabase;

/** The Zendesk budget, on a fake clock: a backlog is spaced to the budget instead of bursting. */
class RateLimiterTest {
  long now = 0;
  final List<Duration> waits = new ArrayList<>();

  RateLimiter limiter(int perMinute) {
    return limiter(perMinute, new RateLimiter.LocalLedger());
  }

  RateLimiter limiter(int perMinute, RateLimiter.Ledger ledger) {
    return new RateLimiter(
        perMinute,
        () -> now,
        d -> {
          waits.add(d);
          now += d.toNanos();
        },
        ledger);
  }

  @Test
  void instancesSharingTheDatabaseShareOneBudget() {
    try (TestDatabase db = TestDatabase.h2();
        Database first = db.open();
        Database second = db.open()) {
      now = 1_000_000_000L;
      RateLimiter a = limiter(120, new RateLimiter.DatabaseLedger(first.jdbi(), "zendesk"));
      RateLimiter b = limiter(120, new RateLimiter.DatabaseLedger(second.jdbi(), "zendesk"));
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        (i % 2 == 0 ? a : b).acquire();
        times.add(now);
      }
      // Alternating between the two instances, calls are still one budget apart (a minute and
      // the margin over 120: 502 ms).
      for (int i = 1; i < times.size(); i++) {
        assertEquals(
            502, Duration.ofNanos(times.get(i) - times.get(i - 1)).toMillis(), "call " + i);
      }
    }
  }

  @Test
  void aBacklogDrainsAtTheBudgetsPace() {
    RateLimiter limiter = limiter(600); // one call every 100.4 ms
    for (int i = 0; i < 601; i++) limiter.acquire();
    long elapsedMs = Duration.ofNanos(now).toMillis();
    // The 601st call comes a minute and the margin after the first: the whole budget is used.
    assertTrue(
        elapsedMs > 60_000 && elapsedMs <= 60_000 + RateLimiter.MARGIN.toMillis(),
        "600 calls at 600/min take a minute: " + elapsedMs + " ms");
    long lastWait = waits.get(waits.size() - 1).toMillis();
    assertTrue(lastWait >= 100 && lastWait <= 101, "steady state: one call per ~100 ms");
  }

  @Test
  void noSixtySecondWindowSeesMoreThanTheBudget() {
    RateLimiter limiter = limiter(200);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      limiter.acquire();
      times.add(now);
    }
    long window = Duration.ofMinutes(1).toNanos();
    for (int i = 0; i < times.size(); i++) {
      int j = i;
      // Closed at both ends: a call exactly a minute after another counts in the same window.
      while (j < times.size() && times.get(j) - times.get(i) <= window) j++;
      assertTrue(j - i <= 200, "calls in the minute from call " + i + ": " + (j - i));
    }
  }

  @Test
  void anIdleLimiterDoesNotSaveUpCredit() {
    RateLimiter limiter = limiter(60); // one a second
    now += Duration.ofHours(1).toNanos();
    limiter.acquire();
    assertTrue(waits.isEmpty(), "the first call after a pause goes at once");
    limiter.acquire();
    long waitedMs = waits.get(0).toMillis();
    assertTrue(waitedMs >= 1000 && waitedMs <= 1005, "about a second: " + waits.get(0));
  }

  @Test
  void aRetryAfterHoldsOffEveryCallerOnTheLedger() {
    RateLimiter.Ledger shared = new RateLimiter.LocalLedger();
    RateLimiter a = limiter(600, shared);
    RateLimiter b = limiter(600, shared);
    a.acquire();
    a.holdOff(Duration.ofSeconds(30));
    b.acquire();
    assertEquals(
        Duration.ofSeconds(30), waits.get(0), "the other caller waits out the Retry-After too");
  }

  @Test
  void aLargeBudgetIsReservedFromTheLedgerASliceAtATime() {
    // 60,000 a minute: one call per ~1 ms; a slice of 100 ms of the budget is ~99 slots.
    int[] reservations = {0};
    RateLimiter.Ledger shared = new RateLimiter.LocalLedger();
    RateLimiter.Ledger counting =
        (at, interval) -> {
          reservations[0]++;
          return shared.reserve(at, interval);
        };
    RateLimiter a = limiter(60_000, counting);
    RateLimiter b = limiter(60_000, counting);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      // Runs of calls from each process (this test's clock is one: a caller's wait moves it for
      // the other process too, which would leave its slice unused).
      ((i / 500) % 2 == 0 ? a : b).acquire();
      times.add(now);
    }
    assertTrue(reservations[0] < 60, "ledger transactions for 2,000 calls: " + reservations[0]);
    // Two processes on one ledger still never put two calls closer than the spacing, so no
    // 60-second window sees more than the budget.
    List<Long> sorted = new ArrayList<>(times);
    java.util.Collections.sort(sorted);
    long interval = (Duration.ofMinutes(1).plus(RateLimiter.MARGIN).toNanos() + 59_999) / 60_000;
    for (int i = 1; i < sorted.size(); i++)
      assertTrue(sorted.get(i) - sorted.get(i - 1) >= interval, "call " + i + " too close");
  }

  @Test
  void aSlotLeftUnusedIsSkippedNotSpentLate() {
    RateLimiter limiter = limiter(60_000); // ~1 ms apart, slices of ~99
    limiter.acquire();
    now += Duration.ofMillis(50).toNanos() + 123; // most of the slice has passed unused
    waits.clear();
    limiter.acquire();
    limiter.acquire();
    // The first goes at the next slot on the grid (within one spacing), the next one spacing on.
    assertTrue(waits.get(0).toNanos() < 1_004_200, "waited " + waits.get(0));
    assertTrue(waits.get(waits.size() - 1).toNanos() >= 1_004_000, "then one spacing");
  }
}
