package spark.desk.testing;

import static spark.desk.testing.CaseDriver.parcel;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One test's tracking vendor (contract 6b): a WireMock standing in for it with the recorded replies
 * of {@code src/test/resources/<name>/}, the service started on it, and pushes to {@code
 * /webhooks/<name>} signed as the vendor signs them.
 */
public record TrackingVendor(
    String name,
    String signatureHeader,
    BiFunction<String, byte[], String> signer,
    WireMockServer server,
    Desk desk,
    CaseDriver cases)
    implements AutoCloseable {

  /**
   * Starts the stand-in, then the service with the settings {@code env} gives for the stand-in's
   * base URL, at {@link Desk#START}.
   *
   * @param signer the vendor's signature of a push: (secret, body bytes) to header value
   */
  public static TrackingVendor start(
      String name,
      String signatureHeader,
      BiFunction<String, byte[], String> signer,
      Function<String, Map<String, String>> env) {
    WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    Desk desk;
    try {
      desk = Desk.start(env.apply(server.baseUrl()), Desk.START);
    } catch (RuntimeException | Error e) {
      server.stop();
      throw e;
    }
    return new TrackingVendor(name, signatureHeader, signer, server, desk, new CaseDriver(desk));
  }

  /** The recorded reply {@code <name>/<file>}, {@code @@CODE@@} replaced by the ticket's parcel. */
  public String fixture(String file, long ticketId) {
    try (InputStream in = TrackingVendor.class.getResourceAsStream("/" + name + "/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@@CODE@@", parcel(ticketId));
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("fixture " + file, e);
    }
  }

  /** Posts a push to {@code /webhooks/<name>}, signed with {@code secret}, unsigned when null. */
  public Desk.Reply send(String body, String secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/" + name))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (secret != null) b.header(signatureHeader, signer.apply(secret, bytes));
    return desk.send(b.build());
  }

  @Override
  public void close() {
    desk.close();
    server.stop();
  }
}
