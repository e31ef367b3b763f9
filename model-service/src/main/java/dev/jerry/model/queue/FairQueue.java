package dev.jerry.model.queue;

import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.ClientGoneException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A fair, bounded queue in front of one backend: at most {@code concurrency} generations run at once; the others wait,
 * and the next to run is the waiting user who has been served least so far (ties: who came first), so one user's ten
 * requests never hold another user's one request behind more than the one running. Beyond {@code maxWaiting}, 429
 * with {@code Retry-After}. Waiters hear their position and an ETA; one whose client left is dropped.
 */
public final class FairQueue {
    /** Told where a waiting request stands; throwing {@link IOException} means its client left. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (position, eta) -> {};

        void waiting(int position, Duration eta) throws IOException;
    }

    private static final class Waiter {
        final String user;
        final long arrival;
        boolean admitted;

        Waiter(String user, long arrival) {
            this.user = user;
            this.arrival = arrival;
        }
    }

    private final String backend;
    private final int concurrency;
    private final int maxWaiting;
    private final ServiceMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Deque<Waiter>> waiting = new LinkedHashMap<>();
    private final Map<String, Long> served = new HashMap<>();
    private int waitingCount;
    private int running;
    private long arrivals;
    private volatile double averageMs = 1000;

    public FairQueue(String backend, int concurrency, int maxWaiting, ServiceMetrics metrics) {
        this.backend = backend;
        this.concurrency = concurrency;
        this.maxWaiting = maxWaiting;
        this.metrics = metrics;
        metrics.registry()
                .gauge(
                        metrics.name("queue.waiting"),
                        java.util.List.of(io.micrometer.core.instrument.Tag.of("backend", backend)),
                        this,
                        FairQueue::waitingCount);
        metrics.registry()
                .gauge(
                        metrics.name("queue.running"),
                        java.util.List.of(io.micrometer.core.instrument.Tag.of("backend", backend)),
                        this,
                        FairQueue::runningCount);
    }

    public int waitingCount() {
        lock.lock();
        try {
            return waitingCount;
        } finally {
            lock.unlock();
        }
    }

    public int runningCount() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    public int concurrency() {
        return concurrency;
    }

    /**
     * Refuses now what {@link #run} would refuse on arrival because the queue is full: a streamed answer asks before
     * it sends its status line, so that the client gets 429 with {@code Retry-After} rather than a 200 and an error.
     */
    public void checkRoom() {
        lock.lock();
        try {
            if (!(running < concurrency && waitingCount == 0) && waitingCount >= maxWaiting) {
                throw full();
            }
        } finally {
            lock.unlock();
        }
    }

    private ServiceException.TooBusy full() {
        metrics.counter("queue.rejected", "Requests refused because the queue was full", "backend", backend)
                .increment();
        return new ServiceException.TooBusy(
                "the queue of " + backend + " is full (" + maxWaiting + " waiting, JERRY_QUEUE_MAX); try again later",
                eta(waitingCount));
    }

    /** Waits for a turn (telling {@code listener} where it stands), then runs {@code work}. */
    public <T> T run(String user, Supplier<T> work, Listener listener) {
        long enqueued = System.nanoTime();
        Waiter waiter = enter(user, listener);
        metrics.timer("queue.wait", "Time requests waited for a generation slot", "backend", backend)
                .record(Duration.ofNanos(System.nanoTime() - enqueued));
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            averageMs = 0.8 * averageMs + 0.2 * (System.nanoTime() - start) / 1e6;
            leave(waiter);
        }
    }

    private Waiter enter(String user, Listener listener) {
        Waiter waiter;
        lock.lock();
        try {
            waiter = new Waiter(user, arrivals++);
            if (running < concurrency && waitingCount == 0) {
                running++;
                served.merge(user, 1L, Long::sum);
                waiter.admitted = true;
            } else if (waitingCount >= maxWaiting) {
                throw full();
            } else {
                waiting.computeIfAbsent(user, u -> new ArrayDeque<>()).addLast(waiter);
                waitingCount++;
            }
        } finally {
            lock.unlock();
        }
        try {
            if (waiter.admitted) {
                listener.waiting(0, Duration.ZERO);
                return waiter;
            }
            int told = -1;
            while (true) {
                int position;
                lock.lock();
                try {
                    if (waiter.admitted) {
                        break;
                    }
                    position = position(waiter);
                } finally {
                    lock.unlock();
                }
                if (position != told) {
                    listener.waiting(position, eta(position));
                    told = position;
                }
                lock.lock();
                try {
                    if (!waiter.admitted) {
                        changed.await(1, TimeUnit.SECONDS);
                    }
                } finally {
                    lock.unlock();
                }
                if (told >= 0 && !waiter.admitted) {
                    listener.waiting(position, eta(position)); // a heartbeat: a client that left is noticed
                }
            }
            listener.waiting(0, Duration.ZERO);
            return waiter;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            abandon(waiter);
            throw new ClientGoneException(e);
        }
    }

    /** Removes a waiter whose client left; if it had just been admitted, gives its slot to the next. */
    private void abandon(Waiter waiter) {
        lock.lock();
        try {
            if (waiter.admitted) {
                running--;
                admit();
            } else {
                Deque<Waiter> queue = waiting.get(waiter.user);
                if (queue != null && queue.remove(waiter)) {
                    waitingCount--;
                    if (queue.isEmpty()) {
                        waiting.remove(waiter.user);
                    }
                }
                changed.signalAll();
            }
            metrics.counter("queue.abandoned", "Waiting requests whose client left", "backend", backend)
                    .increment();
        } finally {
            lock.unlock();
        }
    }

    private void leave(Waiter waiter) {
        lock.lock();
        try {
            running--;
            admit();
        } finally {
            lock.unlock();
        }
    }

    /** Admits waiters while slots are free: each time, the user served least, then the earliest arrival. */
    private void admit() {
        while (running < concurrency && waitingCount > 0) {
            Deque<Waiter> next = null;
            for (Deque<Waiter> queue : waiting.values()) {
                if (next == null || before(queue.peekFirst(), next.peekFirst(), served)) {
                    next = queue;
                }
            }
            Waiter waiter = next.pollFirst();
            if (next.isEmpty()) {
                waiting.remove(waiter.user);
            }
            waitingCount--;
            running++;
            served.merge(waiter.user, 1L, Long::sum);
            waiter.admitted = true;
        }
        if (waitingCount == 0 && running == 0) {
            served.clear(); // an idle queue starts every user afresh
        }
        changed.signalAll();
    }

    private static boolean before(Waiter a, Waiter b, Map<String, Long> served) {
        long servedA = served.getOrDefault(a.user, 0L);
        long servedB = served.getOrDefault(b.user, 0L);
        return servedA != servedB ? servedA < servedB : a.arrival < b.arrival;
    }

    /** How many waiting requests will run before this one, replaying the admission rule. */
    private int position(Waiter target) {
        Map<String, Long> counts = new HashMap<>(served);
        Map<String, Deque<Waiter>> copy = new LinkedHashMap<>();
        waiting.forEach((user, queue) -> copy.put(user, new ArrayDeque<>(queue)));
        int ahead = 0;
        while (true) {
            Deque<Waiter> next = null;
            for (Deque<Waiter> queue : copy.values()) {
                if (!queue.isEmpty() && (next == null || before(queue.peekFirst(), next.peekFirst(), counts))) {
                    next = queue;
                }
            }
            if (next == null) {
                return ahead;
            }
            Waiter w = next.pollFirst();
            if (w == target) {
                return ahead;
            }
            counts.merge(w.user, 1L, Long::sum);
            ahead++;
        }
    }

    private Duration eta(int ahead) {
        long rounds = ahead / concurrency + 1;
        return Duration.ofMillis((long) (rounds * averageMs));
    }
}
