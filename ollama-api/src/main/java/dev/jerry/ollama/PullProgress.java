package dev.jerry.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One line of {@code POST /api/pull}'s progress stream: a status ({@code pulling manifest}, {@code pulling <digest>}
 * with {@code total} and {@code completed} bytes, {@code success}), or an {@code error} that ends the pull.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PullProgress(String status, String digest, Long total, Long completed, String error) {
    public static final String SUCCESS = "success";

    public static PullProgress status(String status) {
        return new PullProgress(status, null, null, null, null);
    }

    public static PullProgress failure(String error) {
        return new PullProgress(null, null, null, null, error);
    }

    public boolean succeeded() {
        return SUCCESS.equals(status);
    }
}
