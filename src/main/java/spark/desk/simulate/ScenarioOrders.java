package spark.desk.simulate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import spark.desk.orders.Order;
import spark.desk.orders.OrderSystem;

/**
 * The order system of a scenario: its {@code orders}, unchanged over time; any other number is a
 * 404.
 */
final class ScenarioOrders implements OrderSystem {
  private final Map<String, Order> orders;

  ScenarioOrders(List<Order> orders) {
    this.orders =
        orders.stream()
            .collect(Collectors.toUnmodifiableMap(Order::orderNumber, Function.identity()));
  }

  @Override
  public Optional<Order> findOrder(String orderNumber) {
    return Optional.ofNullable(orders.get(orderNumber));
  }
}
