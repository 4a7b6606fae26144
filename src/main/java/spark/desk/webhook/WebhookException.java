package spark.desk.webhook;

import spark.desk.DeskException;

/** A webhook delivery refused before anything is stored: {@code status} is 400 or 401. */
public final class WebhookException extends DeskException {
  private final int status;
  private final String error;

  public WebhookException(int status, String error, String detail) {
    super(detail);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }
}
