package dev.jerry.model.llama;

import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.download.InsufficientStorageException;
import dev.jerry.model.download.ModelDownloader;
import dev.jerry.model.download.PresetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process model of a preset: downloaded in the background on first start, then served by llama.cpp. Until it
 * is ready, chats get 503 with the download's progress; when the download failed, 503 with the reason and what to do
 * instead, or 507 when the disk is too small.
 */
public final class PresetBackend implements Backend, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PresetBackend.class);
    private static final String ALTERNATIVES =
            "set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to an Ollama server";

    private sealed interface State {
        record Downloading(ModelDownloader.Progress progress) implements State {}

        record Failed(RuntimeException error) implements State {}

        record Ready(Backend backend) implements State {}
    }

    private final PresetConfig config;
    private final ModelDownloader downloader;
    private final Function<LlamaCppConfig, Backend> engine;
    private final AtomicReference<State> state =
            new AtomicReference<>(new State.Downloading(new ModelDownloader.Progress(0, 0)));

    public PresetBackend(PresetConfig config, ModelDownloader downloader) {
        this(config, downloader, LlamaCppBackend::new);
    }

    /** A preset whose downloaded file is run by {@code engine} (in-process, or a llama-server child). */
    public PresetBackend(PresetConfig config, ModelDownloader downloader, Function<LlamaCppConfig, Backend> engine) {
        this.config = config;
        this.downloader = downloader;
        this.engine = engine;
    }

    /** Downloads (or finds) the file and loads it, on a virtual thread. */
    public PresetBackend start() {
        Thread.ofVirtual().name("model-download").start(this::prepare);
        return this;
    }

    private void prepare() {
        Path target = config.modelsDir().resolve(config.preset().file());
        try {
            log.info(
                    "model preset '{}': {} into {}",
                    config.preset().name(),
                    config.preset().url(),
                    target);
            Path file = downloader.download(
                    config.preset().url(),
                    target,
                    java.util.Optional.of(config.sha256()),
                    progress -> state.set(new State.Downloading(progress)));
            state.set(new State.Ready(engine.apply(new LlamaCppConfig(
                    file,
                    config.preset().name(),
                    config.preset().contextTokens(),
                    config.threads(),
                    0,
                    config.generationTimeout()))));
        } catch (RuntimeException e) {
            log.warn(
                    "model preset '{}' is not available: {}; {}",
                    config.preset().name(),
                    e.getMessage(),
                    ALTERNATIVES);
            state.set(new State.Failed(e));
        }
    }

    @Override
    public ModelService describe() {
        return new ModelService(
                LlamaCppBackend.NAME,
                ModelService.Kind.LLAMA_CPP,
                List.of(config.preset().name()),
                config.preset().contextTokens());
    }

    @Override
    public void admit(ChatRequest request) {
        if (state.get() instanceof State.Ready ready) {
            ready.backend().admit(request);
        }
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        return switch (state.get()) {
            case State.Ready ready -> ready.backend().chat(request, sink);
            case State.Downloading downloading ->
                throw new UpstreamException.Busy(
                        LlamaCppBackend.NAME,
                        "model '" + config.preset().name() + "' is downloading: "
                                + downloading.progress().describe() + "; try again shortly",
                        Duration.ofSeconds(30));
            case State.Failed failed when failed.error() instanceof InsufficientStorageException disk -> throw disk;
            case State.Failed failed ->
                throw new UpstreamException.Unavailable(
                        LlamaCppBackend.NAME,
                        "model '" + config.preset().name() + "' could not be downloaded ("
                                + failed.error().getMessage() + "); " + ALTERNATIVES,
                        failed.error());
        };
    }

    @Override
    public List<ModelFile> files() {
        return state.get() instanceof State.Ready ready ? ready.backend().files() : List.of();
    }

    @Override
    public List<ModelFile> loaded() {
        return state.get() instanceof State.Ready ready ? ready.backend().loaded() : List.of();
    }

    @Override
    public HealthCheck.Result probe() {
        return switch (state.get()) {
            case State.Ready ready -> ready.backend().probe();
            case State.Downloading downloading ->
                new HealthCheck.Result.Down(
                        "downloading model '" + config.preset().name() + "': "
                                + downloading.progress().describe(),
                        Map.of(
                                "preset",
                                config.preset().name(),
                                "percent",
                                downloading.progress().percent()));
            case State.Failed failed ->
                new HealthCheck.Result.Down(
                        "model '" + config.preset().name() + "' could not be downloaded: "
                                + failed.error().getMessage() + "; " + ALTERNATIVES,
                        Map.of("preset", config.preset().name()));
        };
    }

    /** Stops the engine of the downloaded model, if it owns anything (a llama-server child). */
    @Override
    public void close() throws Exception {
        if (state.get() instanceof State.Ready ready && ready.backend() instanceof AutoCloseable engine) {
            engine.close();
        }
    }
}
