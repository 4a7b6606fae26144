package spark.desk.ports;

import java.util.Optional;
import okhttp3.OkHttpClient;
import spark.desk.config.Config;
import spark.desk.logistics.shopify.ShopifyWiring;
import spark.desk.orders.HttpOrderSystem;
import spark.desk.orders.OrderSystem;
import spark.desk.shared.UpstreamException;
import spark.desk.store.Database;
import spark.desk.tracking.HttpTrackingService;
import spark.desk.tracking.TrackingService;
import spark.desk.tracking.vendors.TrackingAdapters;
import spark.desk.zendesk.HttpZendesk;
import spark.desk.zendesk.RateLimiter;
import spark.desk.zendesk.TicketStamps;
import spark.desk.zendesk.Zendesk;

/**
 * The outside systems the service talks to. Outside the composition root so that the checks and the
 * metrics can take them without importing {@code App}.
 */
public record Ports(OrderSystem orders, TrackingService tracking, Optional<Zendesk> zendesk) {
  /**
   * The production adapters over one shared OkHttp client; a system that is not configured fails
   * every call. The Zendesk budget is kept in the database, shared by every instance on it.
   */
  public static Ports production(Config config, OkHttpClient http, Database database) {
    OrderSystem orders =
        config
            .ordersUrl()
            .<OrderSystem>map(u -> new HttpOrderSystem(http, u, config.ordersToken().orElse(null)))
            .orElse(
                n -> {
                  throw new UpstreamException(
                      "order system", 0, true, "ORDERS_URL is not set", null);
                });
    // ORDERS_PROVIDER=shopify (contract 6a).
    if (config.shopify().ordersFromShopify()) orders = ShopifyWiring.orders(config, http);
    TrackingService tracking =
        config
            .trackingUrl()
            .<TrackingService>map(
                u -> new HttpTrackingService(http, u, config.trackingToken().orElse(null)))
            .orElse(
                (n, c) -> {
                  throw new UpstreamException(
                      "tracking service", 0, true, "TRACKING_URL is not set", null);
                });
    tracking = TrackingAdapters.of(config.trackingProvider(), http).orElse(tracking);
    Optional<Zendesk> zendesk =
        config
            .zendeskUrl()
            .filter(u -> config.zendeskEmail().isPresent() && config.zendeskApiToken().isPresent())
            .map(
                u ->
                    new HttpZendesk(
                        http,
                        u,
                        config.zendeskEmail().get(),
                        config.zendeskApiToken().get(),
                        config.orderFieldId().orElse(null),
                        RateLimiter.shared(config.zendeskRateLimitRpm(), database.sideJdbi()),
                        TicketStamps.database(database.sideJdbi())));
    return new Ports(orders, tracking, zendesk);
  }
}
