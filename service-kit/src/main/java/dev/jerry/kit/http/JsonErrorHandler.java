package dev.jerry.kit.http;

import dev.jerry.kit.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a path Jetty refuses such as {@code %00} or {@code /..;/}, headers over the limit, a malformed
 * request line) answered with the same JSON error body as the app's, instead of Jetty's HTML page. These never reach
 * Javalin, so the body is made here, with a fresh request id, and never shows internals.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected boolean generateAcceptableResponse(
            Request request,
            Response response,
            Callback callback,
            String contentType,
            List<Charset> charsets,
            int code,
            String message,
            Throwable cause) {
        String requestId = RequestIds.resolve(request.getHeaders().get(RequestIds.HEADER));
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(request.getHttpURI().getPath(), code, requestId)), callback);
        return true;
    }

    /** Errors found while parsing the request (431, 400 bad request line...), before there is a request. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = RequestIds.generate();
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        fields.put(RequestIds.HEADER, requestId);
        return ByteBuffer.wrap(body(null, status, requestId));
    }

    private static byte[] body(String path, int status, String requestId) {
        String message = switch (status) {
            case 400 -> "the request is malformed (its path, headers or framing); nothing was done";
            case 404 -> "no such endpoint";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            default -> HttpStatus.getMessage(status);
        };
        Object body = ApiFamily.of(path).body(status, ServiceApp.errorType(status), message, null, requestId);
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
