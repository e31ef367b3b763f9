package dev.jerry.agent;

import dev.jerry.agent.chat.Agent;
import dev.jerry.agent.chat.AgentTool;
import dev.jerry.agent.chat.ChatRoutes;
import dev.jerry.agent.chat.Persona;
import dev.jerry.agent.chat.QueueWatch;
import dev.jerry.agent.memory.ConversationRoutes;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.health.HealthCheck;
import dev.jerry.kit.health.HttpHealthCheck;
import dev.jerry.kit.http.RequestIds;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The composition root of agent-service: everything is wired here with {@code new}. Ready needs model-service only:
 * without rag-service the agent still answers, without its knowledge-base tool.
 */
public final class AgentServiceApp {
    private AgentServiceApp() {}

    public static ServiceApp create(AgentServiceConfig config, ServiceMetrics metrics) {
        return create(config, metrics, memory(config.database()));
    }

    /** Opens (and migrates) the conversation database; a SQLite file's folder is created if needed. */
    static MemoryStore memory(AgentServiceConfig.Database database) {
        if (database.url().startsWith("jdbc:sqlite:")) {
            try {
                Path file = Path.of(database.url().substring("jdbc:sqlite:".length()))
                        .toAbsolutePath();
                Files.createDirectories(file.getParent());
            } catch (java.io.IOException e) {
                throw new ConfigException(
                        "JERRY_DATABASE_URL", "cannot create the folder of " + database.url() + ": " + e.getMessage());
            }
        }
        return new MemoryStore(
                        database.url(),
                        database.user(),
                        database.password().map(Secret::value).orElse(""))
                .migrate();
    }

    public static ServiceApp create(AgentServiceConfig config, ServiceMetrics metrics, MemoryStore memory) {
        var database = HealthCheck.of("database", Duration.ofSeconds(1), () -> {
            memory.ping();
            return HealthCheck.Result.up();
        });
        var model = new HttpHealthCheck(
                config.modelService().name(),
                config.modelService().url().resolve("/health/live"),
                Duration.ofSeconds(1));
        ThreadLocal<String> user = new ThreadLocal<>();
        var chatModel = OllamaChatModel.builder()
                .baseUrl(config.modelService().url().toString())
                .modelName(config.model())
                .timeout(config.turnTimeout())
                .maxRetries(0)
                .customHeaders(() -> headers(config, user.get()))
                .build();
        var rag = config.ragService()
                .client(
                        ClientOptions.defaults()
                                .withReadTimeout(AgentTool.RAG_SEARCH.timeout())
                                .withMaxAttempts(1),
                        metrics);
        var agent = new Agent(
                chatModel,
                (who, queueStatus) -> OllamaStreamingChatModel.builder()
                        .httpClientBuilder(new QueueWatch(queueStatus))
                        .baseUrl(config.modelService().url().toString())
                        .modelName(config.model())
                        .timeout(config.turnTimeout())
                        .customHeaders(headers(config, who))
                        .build(),
                rag,
                memory,
                user,
                config.turnTimeout(),
                Persona.load(config.personasFile()),
                config.searxngUrl()
                        .<ServiceClient>map(url -> new ServiceClient(
                                "searxng",
                                url,
                                Optional.empty(),
                                ClientOptions.defaults()
                                        .withReadTimeout(AgentTool.WEB_SEARCH.timeout())
                                        .withMaxAttempts(1),
                                metrics)),
                config.historyTokens());
        return ServiceApp.create(
                config.server(),
                metrics,
                List.of(model, database),
                List.of(new ConversationRoutes(memory), new ChatRoutes(agent)),
                List.of(memory));
    }

    /** Headers of every model call: model-service's token, the user for its fair queue, the request id. */
    private static Map<String, String> headers(AgentServiceConfig config, String user) {
        Map<String, String> headers = new HashMap<>();
        config.modelService().token().ifPresent(t -> headers.put("Authorization", "Bearer " + t.value()));
        if (user != null) {
            headers.put("X-Jerry-User", user);
        }
        String requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) {
            headers.put(RequestIds.HEADER, requestId);
        }
        return headers;
    }
}
