package dev.jerry.kit.metrics;

import io.micrometer.core.instrument.Counter;
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

/**
 * A service's Prometheus registry with JVM metrics bound and a {@code service} tag on everything. Jerry's own meters
 * are named {@code jerry.<service>.<what>}, which Prometheus shows as {@code jerry_<service>_<what>_<unit>}.
 */
public final class ServiceMetrics {
    private final String service;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;

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
        return Timer.builder(name(what))
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .register(registry);
    }

    public Counter counter(String what, String description, String... tags) {
        return Counter.builder(name(what)).description(description).tags(tags).register(registry);
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
