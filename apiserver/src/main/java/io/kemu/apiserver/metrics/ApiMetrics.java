package io.kemu.apiserver.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The apiserver's Prometheus metrics, under kube-apiserver's names, served at /metrics. */
public final class ApiMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("apiserver_request_total")
      .help("Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, "
          + "scope, component, and HTTP response code.")
      .labelNames("verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component", "code")
      .register(registry);
  private final Histogram latency = Histogram.builder().name("apiserver_request_duration_seconds")
      .help("Response latency distribution in seconds for each verb, dry run value, group, version, resource, "
          + "subresource, scope and component.")
      .classicUpperBounds(0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15,
          20, 30, 45, 60)
      .labelNames("verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component")
      .register(registry);
  private final Gauge inflight = Gauge.builder().name("apiserver_current_inflight_requests")
      .help("Maximal number of currently used inflight request limit of this apiserver per request kind in last "
          + "second.")
      .labelNames("request_kind").register(registry);
  private final Gauge watchers = Gauge.builder().name("apiserver_longrunning_requests")
      .help("Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, "
          + "scope and component.")
      .labelNames("verb", "group", "version", "resource", "subresource", "scope", "component").register(registry);

  public PrometheusRegistry registry() {
    return registry;
  }

  public void request(String verb, String dryRun, String group, String version, String resource, String subresource,
                      String scope, String component, int code, double seconds) {
    requests.labelValues(verb, dryRun, group, version, resource, subresource, scope, component, Integer.toString(code))
        .inc();
    latency.labelValues(verb, dryRun, group, version, resource, subresource, scope, component).observe(seconds);
  }

  /** metrics.go cleanDryRun: the dryRun values of the query, "All" for kubectl's --dry-run=server, else "". */
  public static String dryRun(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    return value.equals("All") ? "All" : "invalid";
  }

  public void inflight(String kind, int delta) {
    inflight.labelValues(kind).inc(delta);
  }

  public void watchStarted(String group, String version, String resource, String scope, String component) {
    watchers.labelValues("WATCH", group, version, resource, "", scope, component).inc();
  }

  public void watchEnded(String group, String version, String resource, String scope, String component) {
    watchers.labelValues("WATCH", group, version, resource, "", scope, component).dec();
  }

  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
