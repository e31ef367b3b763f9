package dev.jerry.kit.health;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One named readiness check. {@link #check()} may block; {@link Readiness} runs it on its own virtual thread and
 * gives up after {@link #timeout()}.
 */
public interface HealthCheck {
    String name();

    Duration timeout();

    /** The state of the dependency; throwing counts as {@link Result.Down} with the exception's message. */
    Result check() throws Exception;

    sealed interface Result {
        record Up(Map<String, Object> details) implements Result {
            public Up {
                details = Map.copyOf(details);
            }
        }

        record Down(String reason, Map<String, Object> details) implements Result {
            public Down {
                Objects.requireNonNull(reason, "reason");
                details = Map.copyOf(details);
            }
        }

        static Result up() {
            return new Up(Map.of());
        }

        static Result up(Map<String, Object> details) {
            return new Up(details);
        }

        static Result down(String reason) {
            return new Down(reason, Map.of());
        }
    }

    interface Probe {
        Result check() throws Exception;
    }

    static HealthCheck of(String name, Duration timeout, Probe probe) {
        return new Simple(name, timeout, probe);
    }

    /** A check made of a name, a timeout and a probe. */
    record Simple(String name, Duration timeout, Probe probe) implements HealthCheck {
        public Simple {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(probe, "probe");
        }

        @Override
        public Result check() throws Exception {
            return probe.check();
        }
    }
}
