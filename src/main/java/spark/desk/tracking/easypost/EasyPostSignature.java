package spark.desk.tracking.easypost;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import spark.desk.web.ApiException;

/**
 * EasyPost's webhook signature (contract section 6b; easypost-python {@code easypost/util.py
 * validate_webhook}, docs.easypost.com/docs/webhooks): header {@code X-Hmac-Signature} = {@code
 * "hmac-sha256-hex="} + lowercase hex of HMAC-SHA256 over the raw body, keyed with the
 * NFKD-normalised webhook secret in UTF-8; compared in constant time.
 */
public final class EasyPostSignature {
  public static final String HEADER = "X-Hmac-Signature";
  private static final String PREFIX = "hmac-sha256-hex=";

  private EasyPostSignature() {}

  public static String sign(String secret, byte[] body) {
    String key = Normalizer.normalize(secret, Normalizer.Form.NFKD);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Checks a delivery; throws a 401 {@link ApiException} saying what is wrong. */
  public static void verify(String secret, String signature, byte[] body) {
    if (secret == null)
      throw new ApiException(
          401, "unauthorized", "EASYPOST_WEBHOOK_SECRET is not set, so no event can be verified");
    if (signature == null || signature.isBlank())
      throw new ApiException(401, "unauthorized", "missing " + HEADER);
    if (!MessageDigest.isEqual(
        sign(secret, body).getBytes(StandardCharsets.UTF_8),
        signature.trim().getBytes(StandardCharsets.UTF_8)))
      throw new ApiException(401, "unauthorized", "bad EasyPost signature");
  }
}
