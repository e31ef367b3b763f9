package dev.jerry.kit.client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** A response whose body was read into a string after the status was checked. */
record StringResponse(HttpResponse<InputStream> raw, String body) implements HttpResponse<String> {
    @Override
    public int statusCode() {
        return raw.statusCode();
    }

    @Override
    public HttpRequest request() {
        return raw.request();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        return raw.headers();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return raw.sslSession();
    }

    @Override
    public URI uri() {
        return raw.uri();
    }

    @Override
    public HttpClient.Version version() {
        return raw.version();
    }
}
