package spark.desk.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.zendesk.Zendesk;

/**
 * The Zendesk ids of the suggested macros, by exact title, served from memory: no request waits on
 * Zendesk (contract section 3). They are read in the background: at start, every 10 minutes, and
 * (at most once a minute) soon after a view asked for a title that is not known, such as a macro
 * made or renamed since the last read. Until a title has been read its id is null, as for a title
 * Zendesk does not have (contract section 10). Thread-safe.
 */
public final class MacroIds {
  static final Duration EVERY = Duration.ofMinutes(10);
  static final Duration AFTER_A_MISS = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(MacroIds.class);

  private final Optional<Zendesk> zendesk;
  private final ScheduledExecutorService background;
  private final Clock clock;
  private final Set<String> titles = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile Map<String, Long> ids = Map.of();
  private Instant missRefreshedAt = Instant.MIN;

  /**
   * {@code titles}: the macros to read from the start (the configured ones); {@code background}
   * runs the reads; {@code zendesk} empty: no Zendesk, every id is null.
   */
  public MacroIds(
      Optional<Zendesk> zendesk,
      Collection<String> titles,
      ScheduledExecutorService background,
      Clock clock) {
    this.zendesk = zendesk;
    this.background = background;
    this.clock = clock;
    this.titles.addAll(titles);
  }

  /** Without Zendesk (shadow mode with no account, tests): every id is null. */
  public static MacroIds none() {
    return new MacroIds(Optional.empty(), java.util.List.of(), null, Clock.systemUTC());
  }

  /** Reads the ids now, in the background, and again every 10 minutes. */
  public void start() {
    if (zendesk.isEmpty()) return;
    background.scheduleWithFixedDelay(this::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The id of the macro with exactly this title, or null when none is known (yet). */
  public Long find(String title) {
    Long id = ids.get(title);
    if (id == null && zendesk.isPresent()) missed(title);
    return id;
  }

  private void missed(String title) {
    titles.add(title);
    Instant now = clock.instant();
    synchronized (this) {
      if (now.isBefore(missRefreshedAt.plus(AFTER_A_MISS))) return;
      missRefreshedAt = now;
    }
    if (!queued.compareAndSet(false, true)) return;
    try {
      background.execute(this::refresh);
    } catch (RejectedExecutionException stopping) {
      queued.set(false);
    }
  }

  /**
   * One read of every title, on the caller's thread (the background's, or a test's right after it
   * changed the macros); a failure keeps what was known.
   */
  public void refresh() {
    queued.set(false);
    Map<String, Long> read;
    try {
      read = zendesk.orElseThrow().findMacroIds(Set.copyOf(titles));
    } catch (RuntimeException e) {
      log.warn("could not read the macros from Zendesk (kept what was known): {}", e.getMessage());
      return;
    }
    ids = Map.copyOf(read);
  }
}
