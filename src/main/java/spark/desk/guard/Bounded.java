package spark.desk.guard;

/**
 * Caps for free text that is stored (issue 14, part 2): a value longer than its column would fail
 * the insert and block the ticket, so it is cut at the edge instead.
 */
public final class Bounded {
  /** Who did something: an agent's name from the sidebar, the logistics team's "by" (200 max). */
  public static final int NAME = 100;

  private Bounded() {}

  /** {@code s} cut to {@code max} characters (with an ellipsis), trimmed; null stays null. */
  public static String cap(String s, int max) {
    if (s == null) return null;
    String t = s.strip();
    if (t.length() <= max) return t;
    int end = max - 1;
    // Never cut a surrogate pair in two.
    if (Character.isHighSurrogate(t.charAt(end - 1))) end--;
    return t.substring(0, end) + "…";
  }
}
