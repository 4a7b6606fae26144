package spark.desk.orders;

import java.net.URI;
import java.util.Optional;
import okhttp3.OkHttpClient;
import spark.desk.http.JsonHttp;
import spark.desk.shared.Json;

/**
 * The order system over HTTP: {@code GET {ORDERS_URL}/orders/{orderNumber}} (contract section 5).
 */
public final class HttpOrderSystem implements OrderSystem {
  private final JsonHttp http;

  public HttpOrderSystem(OkHttpClient client, URI base, String token) {
    this.http =
        new JsonHttp(
            client, "order system", base, token == null ? null : "Bearer " + token, Json.mapper());
  }

  @Override
  public Optional<Order> findOrder(String orderNumber) {
    var url = http.url("orders").addPathSegment(orderNumber).build();
    return http.getOptional(url).map(node -> http.convert(node, Order.class));
  }
}
