package spark.desk.sop;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the service accepts as an order number (issue 14, parts 2 and 3). It becomes a path segment
 * of the order system's URL and a column of the database, so it is bounded and strict: at most 64
 * characters, an optional leading {@code #} (Shopify's order names), then a letter or digit, then
 * letters, digits, {@code . _ - #}. A value that starts with a letter or digit can never be a dot
 * segment ({@code .}, {@code ..}), which OkHttp would resolve into another URL. Anything else is
 * treated as "no order number".
 */
public final class OrderNumbers {
  public static final int MAX_LENGTH = 64;
  private static final Pattern VALID = Pattern.compile("#?[A-Za-z0-9][A-Za-z0-9._#-]*");

  private OrderNumbers() {}

  public static boolean valid(String s) {
    return s != null && s.length() <= MAX_LENGTH && VALID.matcher(s).matches();
  }

  /** The trimmed value when it is a valid order number, else empty. */
  public static Optional<String> parse(String s) {
    if (s == null) return Optional.empty();
    String t = s.trim();
    return valid(t) ? Optional.of(t) : Optional.empty();
  }

  /**
   * Whether an answer's number is the one asked for: equal ignoring case and a leading {@code #}
   * (contract 6a: Shopify's {@code name} is {@code #NUMBER} or {@code NUMBER}, case-insensitive).
   */
  public static boolean same(String asked, String answered) {
    if (asked == null || answered == null) return false;
    return bare(asked).equals(bare(answered));
  }

  private static String bare(String s) {
    String t = s.trim();
    return (t.startsWith("#") ? t.substring(1) : t).toLowerCase(Locale.ROOT);
  }
}
