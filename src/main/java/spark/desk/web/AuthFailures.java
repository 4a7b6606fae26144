package spark.desk.web;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down credential guessing (issue 14, part 7): every 401 an address earns takes one token
 * from its bucket; an address whose bucket is empty is answered 429 with {@code Retry-After} on
 * every checked endpoint until a token has come back. Buckets refill at {@code perMinute} tokens a
 * minute up to {@code burst}. At most {@link #MAX_ADDRESSES} addresses are remembered (the least
 * recently seen is forgotten first), so a flood of addresses cannot grow the map. Thread-safe.
 *
 * <p>The address is the TCP peer: behind a reverse proxy every caller shares the proxy's address,
 * so there the limit is shared too (see SECURITY.md).
 */
public final class AuthFailures {
  public static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final int burst;
  private final double perNano;
  private final Map<String, Bucket> buckets =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /** {@code burst} failures at once, then {@code perMinute} a minute. */
  public AuthFailures(Clock clock, int burst, int perMinute) {
    if (burst < 1 || perMinute < 1) throw new IllegalArgumentException("limits must be positive");
    this.clock = clock;
    this.burst = burst;
    this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
  }

  /** The default: 20 failures at once, then 20 a minute. */
  public static AuthFailures standard(Clock clock) {
    return new AuthFailures(clock, 20, 20);
  }

  /** How long the address must wait, or empty when it may be served. */
  public synchronized Optional<Duration> blocked(String address) {
    Bucket b = buckets.get(address);
    if (b == null) return Optional.empty();
    refill(b);
    if (b.tokens >= 1) return Optional.empty();
    long nanos = (long) Math.ceil((1 - b.tokens) / perNano);
    return Optional.of(Duration.ofNanos(nanos));
  }

  /** Counts one refused credential from the address. */
  public synchronized void failed(String address) {
    Bucket b = buckets.computeIfAbsent(address, a -> new Bucket(burst, now()));
    refill(b);
    b.tokens = Math.max(0, b.tokens - 1);
  }

  private void refill(Bucket b) {
    long now = now();
    if (now > b.at) b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
    b.at = now;
  }

  private long now() {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
