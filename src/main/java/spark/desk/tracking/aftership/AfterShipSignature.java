package spark.desk.tracking.aftership;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import spark.desk.web.ApiException;

/**
 * AfterShip's webhook signature (contract section 6b;
 * aftership.com/docs/tracking/webhook/webhook-overview): header {@code aftership-hmac-sha256} =
 * standard Base64 of HMAC-SHA256 over the raw body, keyed with the webhook secret's UTF-8 bytes;
 * compared in constant time.
 */
public final class AfterShipSignature {
  public static final String HEADER = "aftership-hmac-sha256";

  private AfterShipSignature() {}

  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Checks a delivery; throws a 401 {@link ApiException} saying what is wrong. */
  public static void verify(String secret, String signature, byte[] body) {
    if (secret == null)
      throw new ApiException(
          401, "unauthorized", "AFTERSHIP_WEBHOOK_SECRET is not set, so no push can be verified");
    if (signature == null || signature.isBlank())
      throw new ApiException(401, "unauthorized", "missing " + HEADER);
    if (!MessageDigest.isEqual(
        sign(secret, body).getBytes(StandardCharsets.UTF_8),
        signature.trim().getBytes(StandardCharsets.UTF_8)))
      throw new ApiException(401, "unauthorized", "bad AfterShip signature");
  }
}
