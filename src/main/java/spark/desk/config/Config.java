package spark.desk.config;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The service's whole configuration (contract section 2). Built from a map of environment variables
 * in exactly one place ({@link #fromEnvironment}); every value is validated here, so a bad value
 * stops start-up with a message that names the variable. {@link #toString()} never shows a secret.
 */
public record Config(
    int port,
    Optional<URI> publicUrl,
    String databaseUrl,
    Optional<String> databaseUser,
    Optional<String> databasePassword,
    Mode mode,
    Optional<URI> zendeskUrl,
    Optional<String> zendeskEmail,
    Optional<String> zendeskApiToken,
    Optional<String> zendeskWebhookSecret,
    Optional<Long> orderFieldId,
    int zendeskRateLimitRpm,
    Set<String> cancellationTags,
    Pattern orderNumberPattern,
    Optional<Long> refundGroupId,
    Optional<Long> salesReturnGroupId,
    Optional<URI> ordersUrl,
    Optional<String> ordersToken,
    Optional<URI> trackingUrl,
    Optional<String> trackingToken,
    Optional<String> trackingWebhookSecret,
    Duration trackingPollInterval,
    Duration trackingWatchLimit,
    TrackingProvider trackingProvider,
    ZoneId businessTimezone,
    Set<DayOfWeek> businessDays,
    Set<LocalDate> businessHolidays,
    LocalTime followupTime,
    boolean closeWhenOrderKept,
    Optional<String> logisticsToken,
    Optional<String> appToken,
    Optional<String> adminToken,
    Macros macros,
    ShopifyConfig shopify,
    List<String> cancellationKeywords,
    Duration retention) {

  /** Shadow decides and records everything but writes nothing to Zendesk. */
  public enum Mode {
    SHADOW,
    LIVE
  }

  /** The titles of the four macros of the SOP, looked up by exact title in Zendesk. */
  public record Macros(String notShipped, String shipped, String delivered, String keepOrReturn) {
    public Macros {
      requireText(notShipped, "MACRO_NOT_SHIPPED");
      requireText(shipped, "MACRO_SHIPPED");
      requireText(delivered, "MACRO_DELIVERED");
      requireText(keepOrReturn, "MACRO_KEEP_OR_RETURN");
    }

    public List<String> all() {
      return List.of(notShipped, shipped, delivered, keepOrReturn);
    }
  }

  /** Contract section 2: the phrases of {@code provision}'s tagging trigger (section 8). */
  public static final List<String> DEFAULT_CANCELLATION_KEYWORDS =
      List.of("cancel my order", "cancel the order", "cancel order", "cancellation");

  /**
   * The first cancellation tag, in the order {@code CANCELLATION_TAGS} lists them: the one the
   * tagging trigger adds.
   */
  public String firstCancellationTag() {
    return cancellationTags.iterator().next();
  }

  public static final String DEFAULT_ORDER_NUMBER_PATTERN = "\\b([A-Z]{2,4}-\\d{3,12})\\b";

  public Config {
    if (port < 0 || port > 65535) throw new ConfigException("PORT", "must be 0..65535");
    if (zendeskRateLimitRpm < 1)
      throw new ConfigException("ZENDESK_RATE_LIMIT_RPM", "must be at least 1");
    if (cancellationTags.isEmpty())
      throw new ConfigException("CANCELLATION_TAGS", "needs at least one tag");
    if (orderNumberPattern.matcher("").groupCount() != 1)
      throw new ConfigException("ORDER_NUMBER_PATTERN", "must have exactly one capturing group");
    if (trackingPollInterval.isNegative() || trackingPollInterval.isZero())
      throw new ConfigException("TRACKING_POLL_INTERVAL", "must be positive");
    if (retention.isNegative() || retention.isZero())
      throw new ConfigException("RETENTION", "must be positive");
    if (trackingWatchLimit.isNegative() || trackingWatchLimit.isZero())
      throw new ConfigException("TRACKING_WATCH_LIMIT", "must be positive");
    if (businessDays.isEmpty())
      throw new ConfigException("BUSINESS_DAYS", "needs at least one day");
    if (mode == Mode.LIVE && zendeskUrl.isEmpty())
      throw new ConfigException("MODE", "live needs ZENDESK_URL");
    if (mode == Mode.LIVE && (zendeskEmail.isEmpty() || zendeskApiToken.isEmpty()))
      throw new ConfigException(
          "ZENDESK_API_TOKEN", "live mode needs ZENDESK_EMAIL and ZENDESK_API_TOKEN");
    OperatorSettings.checkTokens(
        Map.of(
            "LOGISTICS_TOKEN", logisticsToken, "APP_TOKEN", appToken, "ADMIN_TOKEN", adminToken));
    OperatorSettings.checkHttps("ZENDESK_URL", zendeskUrl);
    OperatorSettings.checkHttps("PUBLIC_URL", publicUrl);
    // Kept in the order given: the first one is the tag the tagging trigger adds.
    cancellationTags =
        java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(cancellationTags));
    if (cancellationKeywords.isEmpty())
      throw new ConfigException("CANCELLATION_KEYWORDS", "needs at least one phrase");
    cancellationKeywords = List.copyOf(cancellationKeywords);
    businessDays = Set.copyOf(businessDays);
    businessHolidays = Set.copyOf(businessHolidays);
  }

  /** Reads and validates the configuration; the only place that looks at the environment. */
  public static Config fromEnvironment(Map<String, String> env) {
    Reader r = new Reader(env);
    Optional<URI> zendeskUrl = r.optional("ZENDESK_URL", Config::parseUrl);
    Mode mode =
        r.optional("MODE", v -> Mode.valueOf(v.trim().toUpperCase(Locale.ROOT)))
            .orElse(zendeskUrl.isPresent() ? Mode.LIVE : Mode.SHADOW);
    return new Config(
        r.optional("PORT", Integer::parseInt).orElse(8080),
        r.optional("PUBLIC_URL", Config::parseUrl),
        r.optional("DATABASE_URL", Config::parseJdbcUrl)
            .orElse("jdbc:h2:file:./data/cancellation-desk;AUTO_SERVER=TRUE"),
        r.optional("DATABASE_USER", Function.identity()),
        r.optional("DATABASE_PASSWORD", Function.identity()),
        mode,
        zendeskUrl,
        r.optional("ZENDESK_EMAIL", Function.identity()),
        r.optional("ZENDESK_API_TOKEN", Function.identity()),
        r.optional("ZENDESK_WEBHOOK_SECRET", Function.identity()),
        r.optional("ZENDESK_ORDER_FIELD_ID", Config::parseId),
        r.optional("ZENDESK_RATE_LIMIT_RPM", Integer::parseInt).orElse(200),
        r.optional("CANCELLATION_TAGS", Config::parseTags).orElse(Set.of("cancellation_request")),
        r.optional("ORDER_NUMBER_PATTERN", Pattern::compile)
            .orElse(Pattern.compile(DEFAULT_ORDER_NUMBER_PATTERN)),
        r.optional("REFUND_GROUP_ID", Config::parseId),
        r.optional("SALES_RETURN_GROUP_ID", Config::parseId),
        r.optional("ORDERS_URL", Config::parseUrl),
        r.optional("ORDERS_TOKEN", Function.identity()),
        r.optional("TRACKING_URL", Config::parseUrl),
        r.optional("TRACKING_TOKEN", Function.identity()),
        r.optional("TRACKING_WEBHOOK_SECRET", Function.identity()),
        r.optional("TRACKING_POLL_INTERVAL", Duration::parse).orElse(Duration.ofHours(4)),
        r.optional("TRACKING_WATCH_LIMIT", Duration::parse).orElse(Duration.ofDays(21)),
        TrackingProvider.from(env),
        r.optional("BUSINESS_TIMEZONE", ZoneId::of).orElse(ZoneId.of("UTC")),
        r.optional("BUSINESS_DAYS", Config::parseDays)
            .orElse(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)),
        r.optional("BUSINESS_HOLIDAYS", Config::parseDates).orElse(Set.of()),
        r.optional("FOLLOWUP_TIME", LocalTime::parse).orElse(LocalTime.of(10, 0)),
        r.optional("CLOSE_WHEN_ORDER_KEPT", Config::parseBoolean).orElse(true),
        r.optional("LOGISTICS_TOKEN", Function.identity()),
        r.optional("APP_TOKEN", Function.identity()),
        r.optional("ADMIN_TOKEN", Function.identity()),
        new Macros(
            r.optional("MACRO_NOT_SHIPPED", Function.identity())
                .orElse("Spark Cancellation (Not Shipped)"),
            r.optional("MACRO_SHIPPED", Function.identity()).orElse("Spark Cancellation (Shipped)"),
            r.optional("MACRO_DELIVERED", Function.identity())
                .orElse("Spark Cancellation (Delivered)"),
            r.optional("MACRO_KEEP_OR_RETURN", Function.identity())
                .orElse("Spark Cancellation (Keep or Return)")),
        ShopifyConfig.fromEnvironment(env),
        r.optional("CANCELLATION_KEYWORDS", Config::parsePhrases)
            .orElse(DEFAULT_CANCELLATION_KEYWORDS),
        r.optional("RETENTION", Duration::parse).orElse(Duration.ofDays(180)));
  }

  /** A copy with other values for some variables: used by {@code simulate} and by tests. */
  public static Config fromEnvironment(Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(env);
    merged.putAll(overrides);
    return fromEnvironment(merged);
  }

  public boolean live() {
    return mode == Mode.LIVE;
  }

  @Override
  public String toString() {
    return "Config[port="
        + port
        + ", mode="
        + mode
        + ", database="
        + redactJdbc(databaseUrl)
        + ", zendesk="
        + zendeskUrl.map(OperatorSettings::redact).orElse("-")
        + ", orders="
        + ordersUrl.map(OperatorSettings::redact).orElse("-")
        + ", tracking="
        + trackingUrl.map(OperatorSettings::redact).orElse("-")
        + ", trackingProvider="
        + trackingProvider
        + ", timezone="
        + businessTimezone
        + ", "
        + shopify
        + "]";
  }

  private static String redactJdbc(String url) {
    return OperatorSettings.redact(url.replaceAll("(?i)(password=)[^&;]*", "$1***"));
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) throw new ConfigException(name, "must not be empty");
  }

  static URI parseUrl(String v) {
    URI uri = URI.create(v.trim().replaceAll("/+$", ""));
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) throw new IllegalArgumentException("must be an http(s) URL");
    return uri;
  }

  private static String parseJdbcUrl(String v) {
    if (!v.startsWith("jdbc:h2:") && !v.startsWith("jdbc:postgresql:"))
      throw new IllegalArgumentException("must be a jdbc:h2: or jdbc:postgresql: URL");
    return v.trim();
  }

  private static long parseId(String v) {
    long id = Long.parseLong(v.trim());
    if (id <= 0) throw new IllegalArgumentException("must be a positive id");
    return id;
  }

  private static boolean parseBoolean(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static List<String> parsePhrases(String v) {
    List<String> phrases = new ArrayList<>();
    for (String p : v.split(",")) {
      String phrase = p.trim().replaceAll("\\s+", " ");
      if (phrase.isEmpty() || phrases.contains(phrase)) continue;
      if (phrase.contains("\"")) throw new IllegalArgumentException("a phrase cannot hold a quote");
      phrases.add(phrase);
    }
    if (phrases.isEmpty()) throw new IllegalArgumentException("needs at least one phrase");
    return phrases;
  }

  private static Set<String> parseTags(String v) {
    Set<String> tags = new java.util.LinkedHashSet<>();
    for (String t : v.split(",")) {
      String tag = t.trim().toLowerCase(Locale.ROOT);
      if (tag.isEmpty()) continue;
      if (!tag.matches("[a-z0-9_:\\-/.]+"))
        throw new IllegalArgumentException("'" + t + "' is not a Zendesk tag");
      tags.add(tag);
    }
    return tags;
  }

  private static Set<DayOfWeek> parseDays(String v) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String d : v.split(",")) {
      String s = d.trim().toUpperCase(Locale.ROOT);
      if (s.isEmpty()) continue;
      days.add(
          EnumSet.allOf(DayOfWeek.class).stream()
              .filter(day -> day.name().startsWith(s) && s.length() >= 3)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException("'" + d.trim() + "' is not a day (MON..SUN)")));
    }
    return days;
  }

  private static Set<LocalDate> parseDates(String v) {
    List<LocalDate> dates = new ArrayList<>();
    for (String d : v.split(",")) if (!d.isBlank()) dates.add(LocalDate.parse(d.trim()));
    return Set.copyOf(dates);
  }

  /** Reads one variable at a time and names it in any failure. */
  record Reader(Map<String, String> env) {
    <T> Optional<T> optional(String name, Function<String, T> parse) {
      String raw = env.get(name);
      if (raw == null || raw.isBlank()) return Optional.empty();
      try {
        return Optional.of(parse.apply(raw.trim()));
      } catch (ConfigException e) {
        throw e;
      } catch (PatternSyntaxException e) {
        throw new ConfigException(name, "is not a valid regular expression: " + e.getDescription());
      } catch (RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        throw new ConfigException(name, "has a bad value (" + why + ")");
      }
    }
  }
}
