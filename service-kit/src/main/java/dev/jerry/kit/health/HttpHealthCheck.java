package dev.jerry.kit.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Ready when a GET of the URL answers 2xx: how a service checks that Chroma or another Jerry service is up. */
public final class HttpHealthCheck implements HealthCheck {
    private final String name;
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    public HttpHealthCheck(String name, URI url, Duration timeout) {
        this.name = name;
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Result check() throws Exception {
        try {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(url).timeout(timeout).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2
                    ? Result.up(Map.of("url", url.toString()))
                    : Result.down(url + " answered " + response.statusCode());
        } catch (java.net.ConnectException e) {
            return Result.down("unreachable at " + url + " (connection refused)");
        }
    }
}
