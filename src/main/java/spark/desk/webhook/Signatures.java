package spark.desk.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import spark.desk.web.ApiException;

/** HMAC-SHA256 webhook signatures (contract sections 4 and 6), compared in constant time. */
public final class Signatures {
  /** A Zendesk signature timestamp further than this from now is refused (replays). */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private Signatures() {}

  /**
   * Standard Base64 of HMAC-SHA256 over {@code prefix} then {@code body}, keyed with the secret's
   * UTF-8 bytes.
   */
  public static String sign(String secret, String prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(prefix.getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Checks a Zendesk delivery; throws a 401 {@link ApiException} saying what is wrong. */
  public static void verifyZendesk(
      String secret, String signature, String timestamp, byte[] body, Instant now) {
    if (secret == null)
      throw new ApiException(
          401, "unauthorized", "ZENDESK_WEBHOOK_SECRET is not set, so no delivery can be verified");
    if (signature == null || signature.isBlank())
      throw new ApiException(401, "unauthorized", "missing X-Zendesk-Webhook-Signature");
    if (timestamp == null || timestamp.isBlank())
      throw new ApiException(401, "unauthorized", "missing X-Zendesk-Webhook-Signature-Timestamp");
    Instant at;
    try {
      at = Instant.parse(timestamp.trim());
    } catch (DateTimeParseException e) {
      throw new ApiException(
          401, "unauthorized", "X-Zendesk-Webhook-Signature-Timestamp is not an ISO-8601 instant");
    }
    if (!equal(sign(secret, timestamp, body), signature.trim()))
      throw new ApiException(401, "unauthorized", "bad webhook signature");
    if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0)
      throw new ApiException(
          401, "unauthorized", "signature timestamp is more than 5 minutes from now");
  }

  /**
   * Whether a Zendesk delivery's headers are usable, so that only the secret can have refused it:
   * both present and the timestamp an instant within 5 minutes of {@code now}.
   */
  public static boolean zendeskHeadersUsable(String signature, String timestamp, Instant now) {
    if (signature == null || signature.isBlank() || timestamp == null) return false;
    try {
      return Duration.between(Instant.parse(timestamp.trim()), now).abs().compareTo(MAX_SKEW) <= 0;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Checks a tracking push ({@code X-Tracking-Signature} over the raw body). */
  public static void verifyTracking(String secret, String signature, byte[] body) {
    if (secret == null)
      throw new ApiException(
          401, "unauthorized", "TRACKING_WEBHOOK_SECRET is not set, so no push can be verified");
    if (signature == null || signature.isBlank())
      throw new ApiException(401, "unauthorized", "missing X-Tracking-Signature");
    if (!equal(sign(secret, "", body), signature.trim()))
      throw new ApiException(401, "unauthorized", "bad tracking signature");
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
