package spark.desk.provision;

import spark.desk.shared.UpstreamException;

/** Provisioning's Zendesk failures, each saying what was being attempted. */
final class ZendeskFailures {
  static final String SYSTEM = "Zendesk";

  private ZendeskFailures() {}

  /** Zendesk answered {@code status}; {@code body} is its error body, summarised in the message. */
  static UpstreamException refused(String attempted, int status, String body) {
    String detail = ZendeskErrors.describe(body);
    boolean retryable = status == 429 || status == 408 || status >= 500;
    return new UpstreamException(
        SYSTEM,
        status,
        retryable,
        "refused " + attempted + ": HTTP " + status + (detail.isBlank() ? "" : " " + detail),
        null);
  }

  /** Zendesk answered 2xx with something provisioning cannot read. */
  static UpstreamException unreadable(String attempted, String problem) {
    return new UpstreamException(
        SYSTEM, 200, false, "unexpected answer while " + attempted + ": " + problem, null);
  }

  static UpstreamException unreachable(String attempted, Throwable cause) {
    return new UpstreamException(
        SYSTEM, 0, true, "unreachable while " + attempted + " (" + cause.getMessage() + ")", cause);
  }
}
