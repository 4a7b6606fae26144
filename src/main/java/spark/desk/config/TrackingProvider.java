package spark.desk.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where tracking is read (contract sections 2, 6 and 6b): {@code TRACKING_PROVIDER} and the
 * EasyPost and AfterShip variables. {@link #toString()} never shows a key or a secret.
 */
public record TrackingProvider(
    Kind kind,
    URI easypostUrl,
    Optional<String> easypostApiKey,
    Optional<String> easypostWebhookSecret,
    URI aftershipUrl,
    Optional<String> aftershipApiKey,
    Optional<String> aftershipWebhookSecret) {

  public enum Kind {
    HTTP,
    EASYPOST,
    AFTERSHIP
  }

  public TrackingProvider {
    if (kind == Kind.EASYPOST && easypostApiKey.isEmpty())
      throw new ConfigException("EASYPOST_API_KEY", "is required with TRACKING_PROVIDER=easypost");
    if (kind == Kind.AFTERSHIP && aftershipApiKey.isEmpty())
      throw new ConfigException(
          "AFTERSHIP_API_KEY", "is required with TRACKING_PROVIDER=aftership");
  }

  /**
   * Default provider: {@code easypost} when {@code EASYPOST_API_KEY} is set, {@code aftership} when
   * {@code AFTERSHIP_API_KEY} is set, else {@code http}.
   */
  static TrackingProvider from(Map<String, String> env) {
    Config.Reader r = new Config.Reader(env);
    Optional<String> easypostKey = r.optional("EASYPOST_API_KEY", Function.identity());
    Optional<String> aftershipKey = r.optional("AFTERSHIP_API_KEY", Function.identity());
    Kind kind =
        r.optional("TRACKING_PROVIDER", TrackingProvider::parseKind)
            .orElse(
                easypostKey.isPresent()
                    ? Kind.EASYPOST
                    : aftershipKey.isPresent() ? Kind.AFTERSHIP : Kind.HTTP);
    return new TrackingProvider(
        kind,
        r.optional("EASYPOST_URL", Config::parseUrl).orElse(URI.create("https://api.easypost.com")),
        easypostKey,
        r.optional("EASYPOST_WEBHOOK_SECRET", Function.identity()),
        r.optional("AFTERSHIP_URL", Config::parseUrl)
            .orElse(URI.create("https://api.aftership.com")),
        aftershipKey,
        r.optional("AFTERSHIP_WEBHOOK_SECRET", Function.identity()));
  }

  private static Kind parseKind(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "http" -> Kind.HTTP;
      case "easypost" -> Kind.EASYPOST;
      case "aftership" -> Kind.AFTERSHIP;
      default -> throw new IllegalArgumentException("must be http, easypost or aftership");
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case HTTP -> "http";
      case EASYPOST -> "easypost " + easypostUrl;
      case AFTERSHIP -> "aftership " + aftershipUrl;
    };
  }
}
