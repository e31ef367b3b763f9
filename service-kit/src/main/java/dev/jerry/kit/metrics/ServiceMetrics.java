package dev.jerry.kit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service's Prometheus registry with JVM metrics bound and a {@code service} tag on everything. Jerry's own meters
 * are named {@code jerry.<service>.<what>}, which Prometheus shows as {@code jerry_<service>_<what>_<unit>}.
 */
public final class ServiceMetrics {
    private final String service;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    // meters by name and tags: building a meter id on every request (sorting tags, registry lookup) is measurable
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();

    public ServiceMetrics(String service) {
        this.service = service;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public String service() {
        return service;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code what} in dotted form, e.g. {@code http.server.requests}. */
    public String name(String what) {
        return "jerry." + service + "." + what;
    }

    /** A latency timer with a Prometheus histogram, so quantiles can be computed across instances. */
    public Timer timer(String what, String description, String... tags) {
        return (Timer) meters.computeIfAbsent(
                key("t", what, tags),
                k -> Timer.builder(name(what))
                        .description(description)
                        .tags(tags)
                        .publishPercentileHistogram()
                        .register(registry));
    }

    public Counter counter(String what, String description, String... tags) {
        return (Counter) meters.computeIfAbsent(
                key("c", what, tags),
                k -> Counter.builder(name(what))
                        .description(description)
                        .tags(tags)
                        .register(registry));
    }

    public DistributionSummary summary(String what, String description, String... tags) {
        return (DistributionSummary) meters.computeIfAbsent(
                key("s", what, tags),
                k -> DistributionSummary.builder(name(what))
                        .description(description)
                        .tags(tags)
                        .register(registry));
    }

    private static String key(String kind, String what, String[] tags) {
        StringBuilder key = new StringBuilder(kind).append('|').append(what);
        for (String tag : tags) {
            key.append('|').append(tag);
        }
        return key.toString();
    }

    /** Counts one timeout of {@code what} (an upstream, a health check, a queue wait...). */
    public void timeout(String what) {
        counter("timeouts", "Operations that gave up waiting", "what", what).increment();
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
