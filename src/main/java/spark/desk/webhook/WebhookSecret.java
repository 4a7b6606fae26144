package spark.desk.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.store.Settings;

/**
 * Where the Zendesk webhook's signing secret comes from (contract section 8): {@code
 * ZENDESK_WEBHOOK_SECRET} when set; else the one {@code provision} stored in the database, read
 * again at least every 30 s; and in live mode Zendesk's own {@code GET
 * /api/v2/webhooks/{id}/signing_secret} when there is none or a delivery fails verification, at
 * most once a minute, so a secret rotated in Admin Center heals by itself. Zendesk is read in the
 * background, never while a delivery waits (contract section 3): a delivery that cannot be verified
 * while such a read is under way learns so from {@link #afterRefused} and is answered 503 with
 * Retry-After, which Zendesk retries. Thread-safe. Never logs a secret.
 */
public final class WebhookSecret {
  public static final String SETTING = "ZENDESK_WEBHOOK_SECRET";
  static final Duration REREAD = Duration.ofSeconds(30);
  static final Duration ZENDESK_AT_MOST_EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

  /**
   * After a refused signature: {@code newer}, a different secret to try at once; else {@code
   * pending} when Zendesk is being asked for a newer one (answer 503 and let the sender retry).
   */
  public record Retry(Optional<String> newer, boolean pending) {}

  private final Optional<String> configured;
  private final Optional<Settings> settings;
  private final Optional<Supplier<Optional<String>>> zendesk;
  private final Executor background;
  private final Clock clock;

  private Optional<String> current = Optional.empty();
  private Instant readAt = Instant.MIN;
  private Instant askedZendeskAt = Instant.MIN;
  private boolean asking;

  /**
   * {@code zendesk}: reads the secret from Zendesk (empty when Zendesk has no such webhook); only
   * in live mode. {@code background} runs those reads.
   */
  public WebhookSecret(
      Optional<String> configured,
      Optional<Settings> settings,
      Optional<Supplier<Optional<String>>> zendesk,
      Executor background,
      Clock clock) {
    this.configured = configured;
    this.settings = settings;
    this.zendesk = zendesk;
    this.background = background;
    this.clock = clock;
  }

  /** Only the configured secret: nothing is read from anywhere. */
  public static WebhookSecret fixed(Optional<String> configured) {
    return new WebhookSecret(
        configured, Optional.empty(), Optional.empty(), Runnable::run, Clock.systemUTC());
  }

  /** At start-up: with no secret configured or stored, Zendesk is asked now, in the background. */
  public void start() {
    current();
  }

  /**
   * The secret to verify with now; empty when none is known (then Zendesk is asked in the
   * background, at most once a minute). Reads only the database, never Zendesk.
   */
  public synchronized Optional<String> current() {
    if (configured.isPresent()) return configured;
    Instant now = clock.instant();
    if (current.isEmpty() || !now.isBefore(readAt.plus(REREAD))) readStored(now);
    if (current.isEmpty()) askZendesk(now);
    return current;
  }

  /**
   * After {@code used} failed a delivery's signature: a different secret if the database now holds
   * one; else Zendesk is asked in the background (at most once a minute), and {@code pending} says
   * whether that read is still under way. The configured secret is never replaced.
   */
  public synchronized Retry afterRefused(Optional<String> used) {
    if (configured.isPresent()) return new Retry(Optional.empty(), false);
    Instant now = clock.instant();
    readStored(now);
    if (!current.equals(used)) return new Retry(current, false);
    askZendesk(now);
    return new Retry(Optional.empty(), asking);
  }

  private void readStored(Instant now) {
    if (settings.isEmpty()) return;
    readAt = now;
    try {
      settings.get().find(SETTING).ifPresent(s -> current = Optional.of(s));
    } catch (RuntimeException e) {
      log.warn("could not read the stored webhook secret: {}", e.getMessage());
    }
  }

  private void askZendesk(Instant now) {
    if (zendesk.isEmpty() || asking || now.isBefore(askedZendeskAt.plus(ZENDESK_AT_MOST_EVERY)))
      return;
    askedZendeskAt = now;
    asking = true;
    try {
      background.execute(this::readFromZendesk);
    } catch (RejectedExecutionException stopping) {
      asking = false;
    }
  }

  private void readFromZendesk() {
    Optional<String> read = readZendesk();
    boolean changed;
    synchronized (this) {
      changed = read.isPresent() && !read.equals(current);
      if (changed) current = read;
      asking = false;
    }
    if (!changed) return;
    log.info("read the webhook's signing secret from Zendesk");
    try {
      settings.ifPresent(s -> s.put(SETTING, read.get()));
    } catch (RuntimeException e) {
      log.warn("could not store the webhook's signing secret: {}", e.getMessage());
    }
  }

  private Optional<String> readZendesk() {
    try {
      return zendesk.orElseThrow().get();
    } catch (RuntimeException e) {
      log.warn("could not read the webhook's signing secret from Zendesk: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
