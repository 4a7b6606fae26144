package spark.desk.logistics.shopify;

import java.time.Clock;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;
import spark.desk.cases.CaseService;
import spark.desk.config.Config;
import spark.desk.config.ShopifyConfig;
import spark.desk.orders.OrderSystem;
import spark.desk.orders.shopify.ShopifyGraphql;
import spark.desk.orders.shopify.ShopifyOrders;
import spark.desk.runner.Worker;
import spark.desk.store.CaseStore;

/** How the composition root plugs Shopify in (contract 6a), kept out of {@code App}. */
public final class ShopifyWiring {
  private ShopifyWiring() {}

  /** {@code ORDERS_PROVIDER=shopify}: the order system over the process's OkHttp client. */
  public static ShopifyOrders orders(Config config, OkHttpClient http) {
    ShopifyConfig s = config.shopify();
    return new ShopifyOrders(ShopifyGraphql.forConfig(http, s), s.url().orElseThrow());
  }

  /**
   * {@code LOGISTICS_CHANNEL=shopify}: hooks step 2 and the worker's tick; empty for the page
   * channel and in shadow mode. Reuses the order system's Shopify client when orders come from
   * Shopify too.
   */
  public static Optional<ShopifyChannel> logistics(
      Config config,
      OkHttpClient http,
      OrderSystem orders,
      Jdbi jdbi,
      CaseStore caseStore,
      CaseService cases,
      Worker worker,
      Clock clock) {
    if (!config.shopify().logisticsThroughShopify()) return Optional.empty();
    if (!config.live()) {
      // Shadow mode writes nothing outside: a 3PL asked to stop a parcel is a real side effect.
      LoggerFactory.getLogger(ShopifyWiring.class)
          .warn("LOGISTICS_CHANNEL=shopify is not used in shadow mode: step 2 stays on the page");
      return Optional.empty();
    }
    ShopifyOrders shopify = orders instanceof ShopifyOrders s ? s : orders(config, http);
    ShopifyChannel channel = new ShopifyChannel(jdbi, caseStore, cases, shopify, clock);
    cases.onLogisticsFiled(channel::filed);
    worker.alsoEveryTick(channel::tick);
    return Optional.of(channel);
  }
}
