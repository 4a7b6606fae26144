package spark.desk.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import spark.desk.web.ApiException;

/**
 * The two checks of a tracking vendor's push signature (contract 6b): it signs a body as the vendor
 * does and accepts that signature, and it refuses a signature that does not fit with a 401.
 */
public final class VendorSignatures {
  /** A vendor's signature: its {@code sign} and {@code verify}. */
  public record Scheme(Signer signer, Verifier verifier) {}

  @FunctionalInterface
  public interface Signer {
    String sign(String secret, byte[] body);
  }

  @FunctionalInterface
  public interface Verifier {
    void verify(String secret, String signature, byte[] body);
  }

  private VendorSignatures() {}

  public static void assertSignsAndAccepts(
      Scheme scheme, String secret, String body, String expected) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, scheme.signer().sign(secret, bytes));
    assertDoesNotThrow(() -> scheme.verifier().verify(secret, expected, bytes));
  }

  public static void assertRefusedWith401(
      Scheme scheme, String secret, String signature, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ApiException e =
        assertThrows(ApiException.class, () -> scheme.verifier().verify(secret, signature, bytes));
    assertEquals(401, e.status());
  }
}
