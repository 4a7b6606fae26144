package spark.desk.orders;

import java.util.Optional;

/**
 * The shop's order system. Thread-safe; reads only, so calls may be repeated freely. Throws {@link
 * spark.desk.shared.UpstreamException} when the system cannot answer.
 */
public interface OrderSystem {
  /** The order, or empty when the order system does not know the number (404). */
  Optional<Order> findOrder(String orderNumber);
}
