package dev.jerry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official client libraries of another ecosystem ({@code openai} and {@code ollama} from npm, pinned in
 * {@code configs/compat-clients}), driven by a small Node script per API family. A script prints one JSON object:
 * for each case, {@code {"ok": what the library handed its user}} or {@code {"error": what it raised}}.
 */
public final class ClientScripts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MINUTES = 5;

    private ClientScripts() {}

    /** Runs {@code configs/compat-clients/<script>} with {@code env} added to the environment; installs on first use. */
    public static JsonNode run(String script, Map<String, String> env) {
        Path dir = RepoPaths.root().resolve("configs/compat-clients");
        try {
            NpmPackage.ensureInstalled(dir, dir.resolve("node_modules/ollama/package.json"));
            NpmPackage.ensureInstalled(dir, dir.resolve("node_modules/openai/package.json"));
            Path stderr = Files.createTempFile("client-script-", ".err");
            ProcessBuilder builder =
                    new ProcessBuilder("node", script).directory(dir.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(env);
            Process node = builder.start();
            byte[] out = node.getInputStream().readAllBytes();
            if (!node.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                node.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            String errors = Files.readString(stderr);
            Files.deleteIfExists(stderr);
            if (node.exitValue() != 0) {
                throw new IllegalStateException(script + " exited with " + node.exitValue() + ": " + errors);
            }
            return JSON.readTree(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script + " with node: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    /** What case {@code name} handed its user; fails the test if it raised an error instead. */
    public static JsonNode ok(JsonNode results, String name) {
        return outcome(results, name, "ok");
    }

    /** The error case {@code name} raised; fails the test if it succeeded instead. */
    public static JsonNode error(JsonNode results, String name) {
        return outcome(results, name, "error");
    }

    private static JsonNode outcome(JsonNode results, String name, String expected) {
        if (!results.path(name).has(expected)) {
            throw new AssertionError(
                    name + " should " + (expected.equals("ok") ? "succeed" : "fail") + ", got " + results.path(name));
        }
        return results.path(name).path(expected);
    }
}
