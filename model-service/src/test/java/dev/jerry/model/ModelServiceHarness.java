package dev.jerry.model;

import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.embedding.EmbeddingConfig;
import dev.jerry.model.llama.LlamaCppBackend;
import dev.jerry.model.llama.LlamaCppConfig;
import dev.jerry.model.llamaserver.LlamaServerBackend;
import dev.jerry.model.llamaserver.LlamaServerConfig;
import dev.jerry.model.ollama.OllamaConfig;
import dev.jerry.model.openai.OpenAiConfig;
import dev.jerry.model.queue.QueueConfig;
import dev.jerry.testing.LlamaServerBinaries;
import dev.jerry.testing.TinyLlamaGguf;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real model-service per test JVM: real llama.cpp on the generated tiny model (named {@code tiny}), the real
 * in-process embedding model, auth on for the caller {@code agent}. Tests take it as a parameter. llama.cpp is the
 * default engine, upstream llama-server as a child process ({@link LlamaServerBinaries}: built by {@code .ci/run});
 * {@code JERRY_LLAMA_ENGINE=jni} runs the same tests on the old in-process binding.
 */
public final class ModelServiceHarness implements BeforeAllCallback, ParameterResolver {
    public static final String TOKEN = "agent-token-0123456789abcdef";
    public static final int CONTEXT = TinyLlamaGguf.CONTEXT;
    /** The in-process embedding model, loaded once for the JVM. */
    public static final Embedder EMBEDDER = Embedder.bgeSmall();

    /**
     * The running service, its metrics, and its llama.cpp backend (for other apps built around the same model) and the
     * GGUF file it loaded.
     */
    public record Running(ServiceApp app, ServiceMetrics metrics, Backend backend, Path modelFile)
            implements AutoCloseable {
        public URI baseUrl() {
            return app.baseUrl();
        }

        public String[] auth() {
            return new String[] {"Authorization", "Bearer " + TOKEN};
        }

        @Override
        public void close() throws Exception {
            app.stop();
            if (backend instanceof AutoCloseable owned) {
                owned.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    /**
     * Without a llama-server the class is skipped (failed under CI) here: an abort thrown while resolving a parameter
     * would count as an error instead.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (!"jni".equalsIgnoreCase(System.getenv(LlamaServerConfig.ENGINE))) {
            LlamaServerBinaries.require();
        }
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ModelServiceHarness.class))
                .computeIfAbsent(Running.class.getName(), key -> start(), Running.class);
    }

    /** The configuration of the harness's service (auth on for {@code agent}, no cache), over the given backends. */
    static ModelServiceConfig config(Optional<LlamaCppConfig> llama, Optional<OllamaConfig> ollama) {
        return ModelServiceConfig.builder(
                        ServerConfig.forTests("model", new AuthConfig(Map.of("agent", new Secret(TOKEN)), false)),
                        new BackendsConfig(
                                llama, ollama, Optional.empty(), Optional.empty(), EmbeddingConfig.inProcess()))
                .defaultMaxTokens(64)
                .build();
    }

    /** A model-service in front of one OpenAI-compatible server: no auth, no cache. */
    static ModelServiceConfig openAiFront(OpenAiConfig openai) {
        return ModelServiceConfig.builder(
                        ServerConfig.forTests("model", AuthConfig.open()), BackendsConfig.openAi(openai))
                .defaultMaxTokens(16)
                .build();
    }

    private static Backend llamaServer(LlamaCppConfig llama, Path dir, ServiceMetrics metrics) {
        Path binary = LlamaServerBinaries.require();
        var engine = new LlamaServerConfig(
                LlamaServerConfig.Engine.SERVER,
                Optional.of(binary),
                dir.resolve("data"),
                QueueConfig.defaults().concurrency(),
                "");
        return new LlamaServerBackend(llama, engine, metrics)
                .start(() -> binary)
                .awaitReady(Duration.ofMinutes(2));
    }

    private static Running start() {
        try {
            Path dir = Files.createTempDirectory("jerry-model-");
            Path model = TinyLlamaGguf.write(dir.resolve("tiny.gguf"), 7);
            var llama = new LlamaCppConfig(model, "tiny", CONTEXT, 1, 0, Duration.ofMinutes(1));
            var config = config(Optional.of(llama), Optional.empty());
            var metrics = new ServiceMetrics("model");
            Backend backend = "jni".equalsIgnoreCase(System.getenv(LlamaServerConfig.ENGINE))
                    ? new LlamaCppBackend(llama)
                    : llamaServer(llama, dir, metrics);
            ServiceApp app = ModelServiceApp.create(config, metrics, List.of(backend), EMBEDDER)
                    .start();
            return new Running(app, metrics, backend, model);
        } catch (IOException e) {
            // only I/O is wrapped: a missing llama-server outside CI aborts (skips) the tests, as documented
            throw new IllegalStateException("could not start model-service for tests", e);
        }
    }
}
