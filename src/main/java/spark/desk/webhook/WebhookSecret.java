package spark.desk.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.store.Settings;

/**
 * Where the Zendesk webhook's signing secret comes from (contract section 8): {@code
 * ZENDESK_WEBHOOK_SECRET} when set; else the one {@code provision} stored in the database, read
 * again at least every 30 s; and in live mode Zendesk's own {@code GET
 * /api/v2/webhooks/{id}/signing_secret} when there is none or a delivery fails verification, at
 * most once a minute, so a secret rotated in Admin Center heals by itself. Thread-safe. Never logs
 * a secret.
 */
public final class WebhookSecret {
  public static final String SETTING = "ZENDESK_WEBHOOK_SECRET";
  static final Duration REREAD = Duration.ofSeconds(30);
  static final Duration ZENDESK_AT_MOST_EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

  private final Optional<String> configured;
  private final Optional<Settings> settings;
  private final Optional<Supplier<Optional<String>>> zendesk;
  private final Clock clock;

  private Optional<String> current = Optional.empty();
  private Instant readAt = Instant.MIN;
  private Instant askedZendeskAt = Instant.MIN;

  /**
   * {@code zendesk}: reads the secret from Zendesk (empty when Zendesk has no such webhook); only
   * in live mode.
   */
  public WebhookSecret(
      Optional<String> configured,
      Optional<Settings> settings,
      Optional<Supplier<Optional<String>>> zendesk,
      Clock clock) {
    this.configured = configured;
    this.settings = settings;
    this.zendesk = zendesk;
    this.clock = clock;
  }

  /** Only the configured secret: nothing is read from anywhere. */
  public static WebhookSecret fixed(Optional<String> configured) {
    return new WebhookSecret(configured, Optional.empty(), Optional.empty(), Clock.systemUTC());
  }

  /** The secret to verify with now; empty when none is known. */
  public synchronized Optional<String> current() {
    if (configured.isPresent()) return configured;
    Instant now = clock.instant();
    if (current.isEmpty() || !now.isBefore(readAt.plus(REREAD))) readStored(now);
    if (current.isEmpty()) askZendesk(now);
    return current;
  }

  /**
   * After {@code used} failed a delivery's signature: a different secret if the database or Zendesk
   * now holds one, else empty. The configured secret is never replaced.
   */
  public synchronized Optional<String> newerThan(Optional<String> used) {
    if (configured.isPresent()) return Optional.empty();
    Instant now = clock.instant();
    readStored(now);
    if (current.equals(used)) askZendesk(now);
    return current.equals(used) ? Optional.empty() : current;
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
    if (zendesk.isEmpty() || now.isBefore(askedZendeskAt.plus(ZENDESK_AT_MOST_EVERY))) return;
    askedZendeskAt = now;
    try {
      Optional<String> read = zendesk.get().get();
      if (read.isEmpty() || read.equals(current)) return;
      current = read;
      log.info("read the webhook's signing secret from Zendesk");
      settings.ifPresent(s -> s.put(SETTING, read.get()));
    } catch (RuntimeException e) {
      log.warn("could not read the webhook's signing secret from Zendesk: {}", e.getMessage());
    }
  }
}
