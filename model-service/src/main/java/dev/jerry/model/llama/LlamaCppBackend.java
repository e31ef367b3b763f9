package dev.jerry.model.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.jerry.kit.api.ChatMessage;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.natives.NativeLibraries;
import dev.jerry.model.backend.Backend;
import dev.jerry.model.backend.ChatRequest;
import dev.jerry.model.backend.ClientGoneException;
import dev.jerry.model.backend.Generation;
import dev.jerry.model.backend.ModelFile;
import dev.jerry.model.backend.ModelService;
import dev.jerry.model.backend.TokenSink;
import dev.jerry.model.backend.ToolSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * llama.cpp in this process through {@code de.kherud:llama}. The model is loaded once (llama.cpp frees nothing on
 * close). One generation runs at a time; the others wait their turn in arrival order.
 */
public final class LlamaCppBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(LlamaCppBackend.class);
    public static final String NAME = "llama.cpp";

    private final LlamaCppConfig config;
    private final LlamaModel model;
    private final Semaphore turn = new Semaphore(1, true);
    private final GgufDescription file;

    public LlamaCppBackend(LlamaCppConfig config) {
        this.config = config;
        long start = System.nanoTime();
        this.model = NativeLibraries.loadExclusively(
                config.modelPath().toString(),
                () -> new LlamaModel(new ModelParameters()
                        .setModel(config.modelPath().toString())
                        .setCtxSize(config.contextTokens())
                        .setThreads(config.threads())
                        .setGpuLayers(config.gpuLayers())
                        .disableLog()));
        if (config.gpuLayers() > 0) {
            // the only GPU word a user sees: the libraries' own GPU probes are quiet (logback.xml)
            log.warn(
                    "JERRY_LLAMA_GPU_LAYERS={} has no effect: the bundled llama.cpp is a CPU build; to generate on a"
                            + " GPU, serve the model with Ollama and set JERRY_OLLAMA_URL",
                    config.gpuLayers());
        }
        log.info(
                "loaded {} as '{}' in {} ms (on the CPU, context {} tokens, {} threads)",
                config.modelPath(),
                config.modelName(),
                (System.nanoTime() - start) / 1_000_000,
                config.contextTokens(),
                config.threads());
        this.file = new GgufDescription(config);
    }

    /** The GGUF file: its size, SHA-256 (computed once), modification time and architecture. */
    @Override
    public List<ModelFile> files() {
        return file.files();
    }

    /** The model stays loaded for the life of the process; it occupies its file's size. */
    @Override
    public List<ModelFile> loaded() {
        return file.loaded();
    }

    @Override
    public ModelService describe() {
        return new ModelService(NAME, ModelService.Kind.LLAMA_CPP, List.of(config.modelName()), config.contextTokens());
    }

    @Override
    public void admit(ChatRequest request) {
        promptTokens(prompt(request));
    }

    private String prompt(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        if (request.usesTools()) {
            messages = new ArrayList<>(messages);
            messages.addFirst(ChatMessage.system(ToolGrammar.instructions(request.tools(), request.toolChoice())));
        }
        return render(messages);
    }

    /** The prompt's length in tokens; refused when it cannot fit the context with room for one token of answer. */
    private int promptTokens(String prompt) {
        int promptTokens = model.encode(prompt).length;
        if (promptTokens >= config.contextTokens()) {
            throw new ServiceException.BadInput(
                    "messages",
                    "the prompt is " + promptTokens + " tokens; the context of model '" + config.modelName()
                            + "' holds " + config.contextTokens() + " tokens");
        }
        return promptTokens;
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        String prompt = prompt(request);
        int promptTokens = promptTokens(prompt);
        int maxTokens = Math.min(request.maxTokens(), config.contextTokens() - promptTokens);
        InferenceParameters parameters = new InferenceParameters(prompt)
                .setNPredict(maxTokens)
                .setTemperature((float) request.temperature())
                .setSeed((int) Math.floorMod(request.seed(), (long) Integer.MAX_VALUE));
        if (request.topP() != null) {
            parameters.setTopP(request.topP().floatValue());
        }
        if (request.usesTools()) {
            parameters.setGrammar(grammar(Json.write(ToolGrammar.schema(request.tools(), request.toolChoice()))));
        } else if (request.format() != null) {
            parameters.setGrammar(grammar(Json.write(ToolSchema.forGrammar(request.format()))));
        }
        try {
            turn.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException.Unavailable(NAME, "interrupted while waiting for llama.cpp", e);
        }
        try {
            if (!request.usesTools()) {
                return generate(parameters, promptTokens, maxTokens, sink);
            }
            // the raw JSON is not for the client: the answer or the tool call is sent once it is parsed
            return ToolGrammar.result(generate(parameters, promptTokens, maxTokens, TokenSink.NONE), sink);
        } finally {
            turn.release();
        }
    }

    private static String grammar(String schema) {
        try {
            // llama.cpp's JSON grammar allows up to 20 blanks between tokens, which a small model spends its whole
            // budget on; compact JSON is as good for any model
            return LlamaModel.jsonSchemaToGrammar(schema).replaceFirst("(?m)^space ::= .*$", "space ::= | \" \"");
        } catch (RuntimeException e) {
            throw new ServiceException.BadInput(
                    "the JSON schema (of the tools' parameters or of the answer's format) cannot be used: "
                            + e.getMessage());
        }
    }

    private Generation generate(InferenceParameters parameters, int promptTokens, int maxTokens, TokenSink sink) {
        long start = System.nanoTime();
        long deadline = start + config.generationTimeout().toNanos();
        long firstToken = 0;
        int tokens = 0;
        StringBuilder text = new StringBuilder();
        LlamaIterator iterator = model.generate(parameters).iterator();
        while (iterator.hasNext()) {
            LlamaOutput output = iterator.next();
            if (output.text.isEmpty()) {
                continue;
            }
            tokens++;
            if (firstToken == 0) {
                firstToken = System.nanoTime() - start;
            }
            text.append(output.text);
            try {
                sink.accept(output.text);
            } catch (IOException e) {
                iterator.cancel();
                throw new ClientGoneException(e);
            }
            if (System.nanoTime() > deadline && iterator.hasNext()) {
                iterator.cancel();
                throw new UpstreamException.Timeout(
                        NAME,
                        "generation took longer than "
                                + config.generationTimeout().toSeconds() + " s (JERRY_GENERATION_TIMEOUT)",
                        null);
            }
        }
        return new Generation(
                text.toString(),
                tokens >= maxTokens ? "length" : "stop",
                promptTokens,
                tokens,
                firstToken,
                System.nanoTime() - start);
    }

    /** Applies the model's own chat template; llama.cpp's takes one system message and user/assistant turns. */
    private String render(List<ChatMessage> messages) {
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            switch (message.role()) {
                case "system" -> system.append(system.isEmpty() ? "" : "\n\n").append(message.content());
                case "tool" -> turns.add(new Pair<>("user", "Tool result:\n" + message.content()));
                default -> turns.add(new Pair<>(message.role(), message.content()));
            }
        }
        return model.applyTemplate(new InferenceParameters("").setMessages(system.toString(), turns));
    }

    /** One greedy token. A generation already running proves as much, so a busy backend is not made to wait. */
    @Override
    public HealthCheck.Result probe() {
        if (!turn.tryAcquire()) {
            return HealthCheck.Result.up(Map.of("model", config.modelName(), "busy", true));
        }
        try {
            String prompt = render(List.of(ChatMessage.user("hi")));
            Generation g = generate(
                    new InferenceParameters(prompt)
                            .setNPredict(1)
                            .setTemperature(0)
                            .setSeed(1),
                    0,
                    1,
                    TokenSink.NONE);
            return HealthCheck.Result.up(Map.of(
                    "model", config.modelName(),
                    "generated_tokens", g.completionTokens(),
                    "probe_ms", g.totalNanos() / 1_000_000));
        } finally {
            turn.release();
        }
    }
}
