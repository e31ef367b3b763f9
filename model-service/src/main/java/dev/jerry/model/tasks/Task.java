package dev.jerry.model.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;

/**
 * One node's download of one model, as {@code GET /v1/tasks} shows it. A task is a value: each change of its progress
 * is a new task with the same id.
 *
 * @param bytesPerSecond the average speed since the first byte arrived (0 before)
 * @param error why it failed, in the node's words; null otherwise
 */
public record Task(
        String id,
        String kind,
        String model,
        String node,
        State state,
        long bytesDone,
        long bytesTotal,
        long bytesPerSecond,
        @JsonInclude(JsonInclude.Include.ALWAYS) String error,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.ALWAYS) Instant finishedAt) {
    public static final String PULL = "pull";

    public enum State {
        @JsonProperty("queued")
        QUEUED,
        @JsonProperty("running")
        RUNNING,
        @JsonProperty("done")
        DONE,
        @JsonProperty("failed")
        FAILED;

        public boolean finished() {
            return this == DONE || this == FAILED;
        }
    }

    static Task queued(String id, String model, String node, Instant now) {
        return new Task(id, PULL, model, node, State.QUEUED, 0, 0, 0, null, now, null);
    }

    /** The task with a new count of bytes; {@code firstByte} is when bytes began to arrive. */
    Task progressed(long done, long total, Instant firstByte, Instant now) {
        long millis = Duration.between(firstByte, now).toMillis();
        long speed = millis <= 0 ? bytesPerSecond : done * 1000 / millis;
        return new Task(id, kind, model, node, State.RUNNING, done, total, speed, null, createdAt, null);
    }

    Task running() {
        return new Task(
                id, kind, model, node, State.RUNNING, bytesDone, bytesTotal, bytesPerSecond, null, createdAt, null);
    }

    Task done(Instant now) {
        long total = Math.max(bytesTotal, bytesDone);
        return new Task(id, kind, model, node, State.DONE, total, total, bytesPerSecond, null, createdAt, now);
    }

    Task failed(String why, Instant now) {
        return new Task(
                id, kind, model, node, State.FAILED, bytesDone, bytesTotal, bytesPerSecond, why, createdAt, now);
    }
}
