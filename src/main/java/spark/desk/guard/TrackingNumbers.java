package spark.desk.guard;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the service accepts as a tracking number or a carrier (issue 14, parts 2 and 3). A tracking
 * number becomes a path segment of the tracking service's URL and a database column: at most 64
 * characters, a letter or digit, then letters, digits, {@code . _ -} (carriers' numbers are letters
 * and digits; UPS {@code 1Z...}, USPS up to 34 digits). It can never be a dot segment.
 */
public final class TrackingNumbers {
  public static final int MAX_LENGTH = 64;

  /** A carrier name is a query parameter and a 100-character column; longer is not a carrier. */
  public static final int MAX_CARRIER_LENGTH = 64;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private TrackingNumbers() {}

  public static boolean valid(String s) {
    return s != null && s.length() <= MAX_LENGTH && VALID.matcher(s).matches();
  }

  public static boolean validCarrier(String s) {
    return s == null || (s.length() <= MAX_CARRIER_LENGTH && !s.isBlank());
  }

  /** Whether a tracker's number is the one asked for (case-insensitive, as carriers print it). */
  public static boolean same(String asked, String answered) {
    return asked != null
        && answered != null
        && asked.trim().toLowerCase(Locale.ROOT).equals(answered.trim().toLowerCase(Locale.ROOT));
  }
}
