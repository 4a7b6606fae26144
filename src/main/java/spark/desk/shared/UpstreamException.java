package spark.desk.shared;

/**
 * An outside system (order system, tracking service, Zendesk) did not answer as it should. {@code
 * retryable} says whether trying again later can help (transport errors, 429, 5xx) or not (4xx).
 */
public final class UpstreamException extends DeskException {
  private final String system;
  private final boolean retryable;
  private final int status;

  public UpstreamException(
      String system, int status, boolean retryable, String message, Throwable cause) {
    super(system + ": " + message, cause);
    this.system = system;
    this.status = status;
    this.retryable = retryable;
  }

  public static UpstreamException transport(String system, Throwable cause) {
    return new UpstreamException(
        system, 0, true, "unreachable (" + cause.getClass().getSimpleName() + ")", cause);
  }

  public static UpstreamException status(String system, int status, String detail) {
    // 401/403: credentials an operator can fix (a rotated token); the work waits for them.
    boolean retryable =
        status == 429 || status == 408 || status == 401 || status == 403 || status >= 500;
    return new UpstreamException(
        system,
        status,
        retryable,
        "answered HTTP " + status + (detail.isBlank() ? "" : ": " + detail),
        null);
  }

  public String system() {
    return system;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The HTTP status, or 0 for a transport failure. */
  public int status() {
    return status;
  }
}
