package spark.desk.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Refuses weak operator settings at start-up (issue 14, part 7), each naming its variable: a bearer
 * token shorter than {@link #MIN_TOKEN_LENGTH}, one token shared by two audiences, a Zendesk or
 * public address that is not https. And keeps credentials embedded in a URL out of every log line.
 */
final class OperatorSettings {
  /** 32 characters: at least 160 bits even for a hex token, far beyond guessing at any rate. */
  static final int MIN_TOKEN_LENGTH = 32;

  /** Addresses that never leave the machine: plain http is fine there (tests, local stand-ins). */
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

  private OperatorSettings() {}

  static void checkTokens(Map<String, Optional<String>> tokens) {
    Map<String, String> byValue = new LinkedHashMap<>();
    // Sorted, so the message names the same variable whatever the map's order.
    for (var e : new TreeMap<>(tokens).entrySet()) {
      if (e.getValue().isEmpty()) continue;
      String token = e.getValue().get();
      if (token.length() < MIN_TOKEN_LENGTH)
        throw new ConfigException(
            e.getKey(),
            "is too short: at least "
                + MIN_TOKEN_LENGTH
                + " characters (e.g. openssl rand -hex 32), or unset to have one generated");
      String other = byValue.putIfAbsent(token, e.getKey());
      if (other != null)
        throw new ConfigException(
            e.getKey(), "is the same as " + other + ": each audience needs its own token");
    }
  }

  static void checkHttps(String variable, Optional<URI> url) {
    if (url.isEmpty()) return;
    URI u = url.get();
    if ("https".equals(u.getScheme())) return;
    if (u.getHost() != null && LOOPBACK.contains(u.getHost())) return;
    throw new ConfigException(
        variable, "must be an https URL (plain http only for localhost, 127.0.0.1 or ::1)");
  }

  /** The URL without the user name and password it may carry ({@code scheme://user:pw@host}). */
  static String redact(URI url) {
    // A query may carry a key (?api_key=...): not shown either.
    return redact(url.toString()).replaceAll("\\?.*$", "?***");
  }

  static String redact(String url) {
    return url.replaceAll("(?<=//)[^/@?#]*@", "***@");
  }
}
