package spark.desk.app;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters for {@code /metrics} in Prometheus' text format. Thread-safe. */
public final class Metrics {
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  public void count(String name, String label, String value) {
    counters
        .computeIfAbsent(name + "{" + label + "=\"" + value + "\"}", k -> new AtomicLong())
        .incrementAndGet();
  }

  public String render(Map<String, Long> gauges) {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(counters).forEach((k, v) -> s.append(k).append(' ').append(v.get()).append('\n'));
    new TreeMap<>(gauges).forEach((k, v) -> s.append(k).append(' ').append(v).append('\n'));
    return s.toString();
  }
}
