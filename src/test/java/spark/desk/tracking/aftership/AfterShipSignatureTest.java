package spark.desk.tracking.aftership;

import static spark.desk.testing.VendorSignatures.assertRefusedWith401;
import static spark.desk.testing.VendorSignatures.assertSignsAndAccepts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spark.desk.testing.VendorSignatures.Scheme;

/**
 * AfterShip's {@code aftership-hmac-sha256} (contract 6b). The expected values were computed
 * outside Java with OpenSSL 3 and base64:
 *
 * <pre>
 * $ printf '%s' '{"event":"tracking_update","event_id":"e1"}' \
 *     | openssl dgst -sha256 -hmac 'aftership-secret' -binary | base64
 * BwL6Fq4TS3m9Lvq+H8VdLBf2IyoqtcydyaddytgQePo=
 * $ printf '' | openssl dgst -sha256 -hmac 'aftership-secret' -binary | base64
 * O2Wr0LR+QDgEAxJ/XpMvdWuc1HWKluqRiS/3enRml5k=
 * $ printf '%s' '{"event":"tracking_update","event_id":"e1"}' \
 *     | openssl dgst -sha256 -hmac "$(printf 'cl\xc3\xa9')" -binary | base64
 * H51eOjp1+qqwhDrwijypy/oc1VDmhypzqO8eK6i2C8g=
 * </pre>
 *
 * (No normalisation here: the secret's UTF-8 bytes are the key.)
 */
class AfterShipSignatureTest {
  static final Scheme SCHEME = new Scheme(AfterShipSignature::sign, AfterShipSignature::verify);
  static final String BODY = "{\"event\":\"tracking_update\",\"event_id\":\"e1\"}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain secret | aftership-secret | BODY | BwL6Fq4TS3m9Lvq+H8VdLBf2IyoqtcydyaddytgQePo=",
        "empty body | aftership-secret | '' | O2Wr0LR+QDgEAxJ/XpMvdWuc1HWKluqRiS/3enRml5k=",
        "non-ASCII secret | cl\u00E9 | BODY | H51eOjp1+qqwhDrwijypy/oc1VDmhypzqO8eK6i2C8g=",
      })
  void signsAndAcceptsTheVendorsSignature(
      String name, String secret, String body, String expected) {
    assertSignsAndAccepts(SCHEME, secret, body.equals("BODY") ? BODY : body, expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "wrong secret | other-secret | BwL6Fq4TS3m9Lvq+H8VdLBf2IyoqtcydyaddytgQePo=",
        "body changed | aftership-secret | O2Wr0LR+QDgEAxJ/XpMvdWuc1HWKluqRiS/3enRml5k=",
        "hex instead of Base64 | aftership-secret | 0702fa16ae134b79bd2efabe1fc55d2c17f6232a2ab5cc9dc9a75dcad81078fa",
        "missing header | aftership-secret | NULL",
        "no secret configured | NULL | BwL6Fq4TS3m9Lvq+H8VdLBf2IyoqtcydyaddytgQePo=",
      })
  void refusesWithA401(String name, String secret, String signature) {
    assertRefusedWith401(SCHEME, secret, signature, BODY);
  }
}
