package spark.desk.tracking.easypost;

import static spark.desk.testing.VendorSignatures.assertRefusedWith401;
import static spark.desk.testing.VendorSignatures.assertSignsAndAccepts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spark.desk.testing.VendorSignatures.Scheme;

/**
 * EasyPost's {@code X-Hmac-Signature} (contract 6b). The expected digests were computed outside
 * Java with OpenSSL 3, for example:
 *
 * <pre>
 * $ printf '%s' '{"id":"evt_1","object":"Event","description":"tracker.updated"}' \
 *     | openssl dgst -sha256 -hmac 'easypost-secret'
 * SHA2-256(stdin)= ac02607f1c258ccbd4181b830a8fe90f21f2f5daeb5cabbad613c887008ab3f2
 * $ printf '%s' '{"id":"evt_1","object":"Event","description":"tracker.updated"}' \
 *     | openssl dgst -sha256 -hmac 'whsec_file'
 * SHA2-256(stdin)= 010e6eafa916ed82b823fb912bdbd815b2ca12a489a692a272f06c187380c82d
 * $ printf '%s' '{"id":"evt_1","object":"Event","description":"tracker.updated"}' \
 *     | openssl dgst -sha256 -hmac "$(printf 'cle\xcc\x81')"
 * SHA2-256(stdin)= 5d21ce70b0bdbb45bbf5fa872a6fd02ab856e26d6491777a0ef322168352eb3d
 * $ printf '' | openssl dgst -sha256 -hmac 'easypost-secret'
 * SHA2-256(stdin)= e674ab369724869d36d3beeb244035aba5b185da41e26e6ba130cdf6567fd6fa
 * </pre>
 *
 * The key is the NFKD form of the secret: "whsec_\uFB01le" (with the ﬁ ligature) signs as
 * "whsec_file", and "cl\u00E9" (precomposed é) as "cle" + U+0301.
 */
class EasyPostSignatureTest {
  static final Scheme SCHEME = new Scheme(EasyPostSignature::sign, EasyPostSignature::verify);
  static final String BODY =
      "{\"id\":\"evt_1\",\"object\":\"Event\",\"description\":\"tracker.updated\"}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain secret | easypost-secret | BODY | hmac-sha256-hex=ac02607f1c258ccbd4181b830a8fe90f21f2f5daeb5cabbad613c887008ab3f2",
        "ligature, NFKD | whsec_\uFB01le | BODY | hmac-sha256-hex=010e6eafa916ed82b823fb912bdbd815b2ca12a489a692a272f06c187380c82d",
        "precomposed é, NFKD | cl\u00E9 | BODY | hmac-sha256-hex=5d21ce70b0bdbb45bbf5fa872a6fd02ab856e26d6491777a0ef322168352eb3d",
        "empty body | easypost-secret | '' | hmac-sha256-hex=e674ab369724869d36d3beeb244035aba5b185da41e26e6ba130cdf6567fd6fa",
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
        "wrong secret | other-secret | hmac-sha256-hex=ac02607f1c258ccbd4181b830a8fe90f21f2f5daeb5cabbad613c887008ab3f2",
        "no prefix | easypost-secret | ac02607f1c258ccbd4181b830a8fe90f21f2f5daeb5cabbad613c887008ab3f2",
        "upper-case hex | easypost-secret | hmac-sha256-hex=AC02607F1C258CCBD4181B830A8FE90F21F2F5DAEB5CABBAD613C887008AB3F2",
        "body changed | easypost-secret | hmac-sha256-hex=e674ab369724869d36d3beeb244035aba5b185da41e26e6ba130cdf6567fd6fa",
        "missing header | easypost-secret | NULL",
        "no secret configured | NULL | hmac-sha256-hex=ac02607f1c258ccbd4181b830a8fe90f21f2f5daeb5cabbad613c887008ab3f2",
      })
  void refusesWithA401(String name, String secret, String signature) {
    assertRefusedWith401(SCHEME, secret, signature, BODY);
  }
}
