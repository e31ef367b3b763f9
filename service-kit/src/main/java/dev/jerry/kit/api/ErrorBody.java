package dev.jerry.kit.api;

/** The error shape of every Jerry service: {@code {"error": {"type", "message", "request_id"}}}. */
public record ErrorBody(Detail error) {
    public record Detail(String type, String message, String requestId) {}

    public static ErrorBody of(String type, String message, String requestId) {
        return new ErrorBody(new Detail(type, message, requestId));
    }
}
