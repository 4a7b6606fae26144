package spark.desk.zendesk;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Zendesk budget, on a fake clock: a backlog is spaced to the budget instead of bursting. */
class RateLimiterTest {
  long now = 0;
  final List<Duration> waits = new ArrayList<>();

  RateLimiter limiter(int perMinute) {
    return new RateLimiter(perMinute, () -> now, d -> {
      waits.add(d);
      now += d.toNanos();
    });
  }

  @Test
  void aBacklogDrainsAtTheBudgetsPaceAfterASmallBurst() {
    RateLimiter limiter = limiter(600); // one call every 100 ms, a burst of 60
    for (int i = 0; i < 600; i++) limiter.acquire();
    // 600 calls at 600/min take about a minute less the burst allowance, never less.
    long elapsedMs = Duration.ofNanos(now).toMillis();
    assertTrue(elapsedMs >= 53_900 && elapsedMs <= 54_000, "elapsed " + elapsedMs + " ms");
    assertEquals(Duration.ofMillis(100), waits.get(waits.size() - 1), "steady state: one call per 100 ms");
  }

  @Test
  void callsWithinTheBurstDoNotWait() {
    RateLimiter limiter = limiter(200); // burst of 20
    for (int i = 0; i < 20; i++) limiter.acquire();
    assertTrue(waits.isEmpty(), "no wait inside the burst: " + waits);
    limiter.acquire();
    assertEquals(1, waits.size());
  }

  @Test
  void anIdleLimiterDoesNotSaveUpMoreThanTheBurst() {
    RateLimiter limiter = limiter(60); // one a second, burst of 6
    now += Duration.ofHours(1).toNanos();
    for (int i = 0; i < 6; i++) limiter.acquire();
    assertTrue(waits.isEmpty());
    limiter.acquire();
    assertEquals(Duration.ofSeconds(1), waits.get(0));
  }
}
