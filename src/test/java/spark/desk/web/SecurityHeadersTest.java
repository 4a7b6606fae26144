package spark.desk.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spark.desk.testing.Desk;

/** Every answer, page or API, success or error, carries the security headers (issue 14.6). */
class SecurityHeadersTest {
  private static Desk desk;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    desk = Desk.start(Map.of());
  }

  @AfterAll
  static void stop() {
    desk.close();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET, /health, , 200, api",
    "GET, /ready, , 200, api",
    "GET, /metrics, , 200, api",
    "GET, /api/cases, ADMIN, 200, api",
    "GET, /api/cases, , 401, api",
    "GET, /api/app/tickets/424242, APP, 404, api",
    "GET, /api/logistics/requests, LOGISTICS, 200, api",
    "GET, /api/logistics/responses.csv, LOGISTICS, 200, api",
    "POST, /webhooks/zendesk, , 401, api",
    "GET, /no/such/endpoint, , 404, api",
    "GET, /logistics, , 200, page",
    "GET, /logistics/logistics.js, , 200, page",
    "GET, /logistics/logistics.css, , 200, page"
  })
  void carriesTheSecurityHeaders(String method, String path, String token, int status, String kind)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(desk.baseUrl() + path))
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
    if (token != null)
      b.header(
          "Authorization",
          "Bearer "
              + switch (token) {
                case "ADMIN" -> Desk.ADMIN_TOKEN;
                case "APP" -> Desk.APP_TOKEN;
                default -> Desk.LOGISTICS_TOKEN;
              });
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        "default-src 'self'; frame-ancestors 'none'",
        r.headers().firstValue("Content-Security-Policy").orElse(null));
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null));
    if (kind.equals("api"))
      assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    else assertNull(r.headers().firstValue("Cache-Control").orElse(null));
  }
}
