package dev.jerry.model;

import dev.jerry.kit.health.HealthCheck;
import java.time.Duration;

/** Reuses a probe's result for a while: a probe that generates is cheap, but not free. */
final class CachedProbe {
    private final HealthCheck.Probe probe;
    private final long ttlNanos;
    private HealthCheck.Result last;
    private long at;

    CachedProbe(HealthCheck.Probe probe, Duration ttl) {
        this.probe = probe;
        this.ttlNanos = ttl.toNanos();
    }

    synchronized HealthCheck.Result check() throws Exception {
        long now = System.nanoTime();
        if (last == null || now - at > ttlNanos) {
            last = probe.check();
            at = now;
        }
        return last;
    }
}
