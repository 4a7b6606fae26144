package spark.desk.guard;

import okhttp3.HttpUrl;

/**
 * Pagination links from Zendesk ({@code next_page}, {@code links.next}) are followed only on
 * ZENDESK_URL's own scheme, host and port (issue 14, part 4): the request carries the API token,
 * and a link is data that Zendesk, or whatever answered in its place, chose.
 */
public final class SameOrigin {
  private SameOrigin() {}

  /** The link when it is on {@code base}'s origin, else null (stop paging). */
  public static HttpUrl follow(HttpUrl base, String link) {
    if (link == null || link.isBlank() || "null".equals(link)) return null;
    HttpUrl next = HttpUrl.parse(link);
    if (next == null) return null;
    boolean same =
        next.scheme().equals(base.scheme())
            && next.host().equalsIgnoreCase(base.host())
            && next.port() == base.port();
    return same ? next : null;
  }
}
