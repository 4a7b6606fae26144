package spark.desk.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.sop.Stage;

/**
 * {@code GET /metrics} (contract section 12): Micrometer's Prometheus registry with the desk's own
 * meters, the connection pool's (HikariCP's Micrometer binding), the work queue's (db-scheduler's
 * {@code MicrometerStatsRegistry}, wired in by the Worker) and the JVM's. The desk's counts of
 * cases and writes are read from the database at each scrape ({@link DeskGauges}): they are the
 * state of the whole desk, the same from every instance (sum them in PromQL only per instance, not
 * across).
 */
public final class DeskMetrics {
  private static final Logger log = LoggerFactory.getLogger(DeskMetrics.class);

  /** The SOP's steps that write to Zendesk, so each has its counter from the start. */
  private static final String[] STEPS = {
    "1", "1.1", "1.2", "1.3", "3", "3.1", "3.2", "4", "4.1", "4.2", "5.1", "5.2"
  };

  /** Buckets of the webhook → step-1 note histogram, in seconds. */
  private static final Duration[] NOTE_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer webhookToNote;
  private final Map<String, Boolean> decisionSteps = new ConcurrentHashMap<>();
  private volatile DeskGauges.Snapshot snapshot = DeskGauges.Snapshot.EMPTY;

  public DeskMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    webhookToNote =
        Timer.builder("desk_webhook_to_note")
            .description(
                "Time from a ticket's first webhook to Zendesk accepting its step-1 note (live mode)")
            .serviceLevelObjectives(NOTE_BUCKETS)
            .register(registry);
    for (String step : STEPS) decisionCounter(step);
    for (Stage s : Stage.values()) {
      String stage = s.wire();
      Gauge.builder("desk_cases", () -> snapshot.casesByStage().getOrDefault(stage, 0L))
          .description("Cases by stage, ended ones included")
          .tag("stage", stage)
          .register(registry);
      if (!s.ended())
        Gauge.builder("desk_open_cases", () -> snapshot.casesByStage().getOrDefault(stage, 0L))
            .description("Open cases (not at one of the SOP's ends) by stage")
            .tag("stage", stage)
            .register(registry);
    }
    Gauge.builder("desk_needs_attention", () -> snapshot.needsAttention())
        .description("Cases that need a person, as /ops lists them (a case counts once per reason)")
        .register(registry);
    Gauge.builder("desk_inbox_pending", () -> snapshot.inboxPending())
        .description("Accepted inputs not yet worked on")
        .register(registry);
    Gauge.builder("desk_writes_pending", () -> snapshot.writesPending())
        .description("Decided Zendesk updates not yet sent")
        .register(registry);
    Gauge.builder("desk_writes_refused", () -> snapshot.writesRefused())
        .description("Zendesk updates Zendesk refused for good")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** HikariCP's Micrometer binding ({@code hikaricp_connections_*}) for this pool. */
  public void bindPool(DataSource dataSource) {
    if (!(dataSource instanceof HikariDataSource ds)) return;
    try {
      ds.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    } catch (IllegalStateException e) {
      log.warn("connection pool meters unavailable: {}", e.getMessage());
    }
  }

  /** A webhook-style counter ({@code name} without {@code _total}), by one label. */
  public void count(String name, String label, String value) {
    Counter.builder(name).tag(label, value).register(registry).increment();
  }

  /** A call to Zendesk made: {@code kind} of call, {@code outcome} ok or the failure's kind. */
  public void zendeskRequest(String kind, String outcome) {
    Counter.builder("desk_zendesk_requests")
        .description("Calls to the Zendesk API by kind and outcome")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void webhookToNote(Duration d) {
    webhookToNote.record(d);
  }

  /** The share of ZENDESK_RATE_LIMIT_RPM used in the last minute, as the given supplier says. */
  public void budget(java.util.function.DoubleSupplier usedRatio) {
    Gauge.builder("desk_zendesk_budget_used_ratio", usedRatio::getAsDouble)
        .description(
            "Share of the Zendesk API budget (ZENDESK_RATE_LIMIT_RPM) this instance used in the last minute")
        .register(registry);
  }

  /** Reads the desk's counts again (called right before each scrape). */
  public void refresh(DeskGauges.Snapshot s) {
    snapshot = s;
    for (String step : s.decisionsByStep().keySet()) decisionCounter(step);
  }

  private void decisionCounter(String step) {
    if (decisionSteps.putIfAbsent(step, Boolean.TRUE) != null) return;
    FunctionCounter.builder(
            "desk_decisions",
            this,
            m -> m.snapshot.decisionsByStep().getOrDefault(step, 0L).doubleValue())
        .description("SOP decisions that wrote to Zendesk (applied or shadow), by step")
        .tag("step", step)
        .register(registry);
  }

  /**
   * Prometheus' text format (version 0.0.4), with # HELP and # TYPE lines, the desk's counts read
   * from the database first.
   */
  public String scrape(org.jdbi.v3.core.Jdbi jdbi) {
    refresh(
        jdbi.withHandle(
            h -> DeskGauges.read(h, new spark.desk.ops.OpsStore().needsAttention(h).size())));
    return registry.scrape();
  }
}
