package dev.jerry.kit.auth;

import dev.jerry.kit.config.Secret;
import dev.jerry.kit.digest.Sha256;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the caller that a bearer token belongs to. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every known caller without stopping early, so neither the token's length
 * nor which caller matched leaks through timing.
 */
public final class BearerAuthenticator {
    private record Caller(String name, byte[] digest) {}

    private final List<Caller> callers;

    public BearerAuthenticator(Map<String, Secret> callers) {
        this.callers = callers.entrySet().stream()
                .map(e -> new Caller(e.getKey(), Sha256.bytes(e.getValue().value())))
                .toList();
    }

    public Optional<String> callerFor(String presentedToken) {
        byte[] presented = Sha256.bytes(presentedToken);
        String match = null;
        for (Caller caller : callers) {
            if (MessageDigest.isEqual(caller.digest(), presented)) {
                match = caller.name();
            }
        }
        return Optional.ofNullable(match);
    }
}
