package spark.desk.web;

import spark.desk.shared.DeskException;

/** A request answered with an error status and the contract's {@code {"error", "detail"}} body. */
public final class ApiException extends DeskException {
  private final int status;
  private final String error;

  public ApiException(int status, String error, String detail) {
    super(detail);
    this.status = status;
    this.error = error;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad_request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not_found", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", detail);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }
}
