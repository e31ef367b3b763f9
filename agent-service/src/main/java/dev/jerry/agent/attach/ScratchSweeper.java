package dev.jerry.agent.attach;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes expired scratch collections now and then; a sweep that fails (Chroma down) is tried at the next one. */
public final class ScratchSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScratchSweeper.class);

    private final ScheduledExecutorService timer;

    private ScratchSweeper(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static ScratchSweeper start(Attachments attachments) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("scratch-sweeper").factory());
        long every = attachments.config().sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        attachments.sweep();
                    } catch (RuntimeException e) {
                        log.warn("could not remove expired attachments: {}", e.getMessage());
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        return new ScratchSweeper(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
