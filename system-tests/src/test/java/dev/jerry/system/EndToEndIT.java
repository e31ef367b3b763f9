package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.json.Json;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.GuildChat;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import dev.jerry.testing.ServiceProcess;
import dev.jerry.testing.TestPdfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every part as its own process on random ports, with tokens between them: a Discord user's {@code /jerry} goes
 * through the real JDA bot-service to agent-service, which asks model-service (over an Ollama double that scripts the
 * tool call) and rag-service (the real Chroma, filled by the real ingestion job from a PDF); the answer comes back
 * with the PDF's page as its citation. Then agent-service is killed: the user reads an error saying so. After a
 * restart the conversation goes on where it was.
 */
@ExtendWith(ChromaExtension.class)
class EndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    private static String token(String who) {
        return who + "-token-0123456789abcdef";
    }

    private ServiceProcess service(String module, int port, Map<String, String> env, Path logs) throws Exception {
        ServiceProcess process = ServiceProcess.start(module, port, env, logs);
        running.add(process);
        return process;
    }

    @Test
    void should_answer_with_a_citation_then_explain_an_outage_then_continue(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String collection = "e2e" + System.nanoTime();

        // the knowledge base: the real ingestion job over a PDF
        Path docs = Files.createDirectories(dir.resolve("docs"));
        TestPdfs.write(
                docs.resolve("reactor-manual.pdf"),
                "Reactor Manual",
                List.of(
                        "Reactor Manual. This manual describes the research reactor and its safety systems.",
                        "The reactor core is cooled by heavy water pumped at 40 bar through the primary circuit."));
        Path log = logs.resolve("ingestion.log");
        int exit = ServiceProcess.ingest(
                Map.of("JERRY_CHROMA_URL", chroma.baseUrl().toString(), "JERRY_COLLECTION", collection), log, docs);
        assertThat(exit).as(Files.readString(log)).isZero();

        // the model: an Ollama node whose replies are scripted (a tool call, then answers citing [1])
        OllamaDouble ollama = OllamaDouble.start()
                .withModel("jerry-test")
                .script(
                        "jerry-test",
                        OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "reactor core cooling")),
                        OllamaDouble.Reply.text("The core is cooled by heavy water [1]."),
                        OllamaDouble.Reply.text("At 40 bar, as I said [1]."));
        running.add(ollama);
        DiscordDouble discord = DiscordDouble.start();
        running.add(discord);

        int modelPort = Ports.free();
        int ragPort = Ports.free();
        int agentPort = Ports.free();
        int botPort = Ports.free();
        ServiceProcess model = service(
                "model-service",
                modelPort,
                Map.of(
                        "JERRY_MODEL_PORT",
                        String.valueOf(modelPort),
                        "JERRY_AUTH_TOKENS",
                        "agent:" + token("agent") + ",rag:" + token("rag"),
                        "JERRY_OLLAMA_URL",
                        ollama.baseUrl().toString(),
                        "JERRY_OLLAMA_MODELS",
                        "jerry-test",
                        "JERRY_CACHE_ENABLED",
                        "false",
                        "JERRY_MODELS_DIR",
                        dir.resolve("models").toString()),
                logs);
        ServiceProcess rag = service(
                "rag-service",
                ragPort,
                Map.of(
                        "JERRY_RAG_PORT", String.valueOf(ragPort),
                        "JERRY_AUTH_TOKENS", "agent:" + token("agent-rag"),
                        "JERRY_CHROMA_URL", chroma.baseUrl().toString(),
                        "JERRY_COLLECTION", collection,
                        "JERRY_MODEL_SERVICE_URL", model.baseUrl().toString(),
                        "JERRY_MODEL_SERVICE_TOKEN", token("rag")),
                logs);
        Map<String, String> agentEnv = new HashMap<>(Map.of(
                "JERRY_AGENT_PORT", String.valueOf(agentPort),
                "JERRY_AUTH_TOKENS", "bot:" + token("bot"),
                "JERRY_MODEL_SERVICE_URL", model.baseUrl().toString(),
                "JERRY_MODEL_SERVICE_TOKEN", token("agent"),
                "JERRY_RAG_SERVICE_URL", rag.baseUrl().toString(),
                "JERRY_RAG_SERVICE_TOKEN", token("agent-rag"),
                "JERRY_AGENT_MODEL", "jerry-test",
                "JERRY_DATA_DIR", dir.resolve("agent").toString()));
        ServiceProcess agent = service("agent-service", agentPort, agentEnv, logs);
        service(
                "bot-service",
                botPort,
                Map.of(
                        "JERRY_BOT_PORT", String.valueOf(botPort),
                        "JERRY_DISCORD_TOKEN", DiscordDouble.TOKEN,
                        "JERRY_DISCORD_API_URL", discord.restUrl(),
                        "JERRY_DISCORD_GATEWAY_URL", discord.gatewayUrl(),
                        "JERRY_AGENT_SERVICE_URL", agent.baseUrl().toString(),
                        "JERRY_AGENT_SERVICE_TOKEN", token("bot"),
                        "JERRY_BOT_EDIT_INTERVAL", "300ms"),
                logs);
        DiscordDouble.await(
                () -> discord.commands().containsKey("jerry"), WAIT, () -> "the bot registered no commands");

        // 1. the question comes back answered, citing the PDF's page
        var first = discord.slash(
                        "jerry",
                        Map.of("prompt", "How is the reactor core cooled?"),
                        DiscordDouble.ALICE,
                        DiscordDouble.CHANNEL_ID)
                .await(i -> i.text().contains("-# [1]"), WAIT);
        assertThat(first.text())
                .startsWith("The core is cooled by heavy water [1].")
                .contains("-# [1] reactor-manual.pdf, p. 2");
        List<JsonNode> chats = ollama.requests("/api/chat");
        assertThat(chats).hasSize(2);
        assertThat(chats.get(1).path("messages").findValuesAsText("content"))
                .as("the model was given the passage rag-service found in Chroma")
                .anySatisfy(c -> assertThat(c).contains("cooled by heavy water pumped at 40 bar"));

        // 2. agent-service dies: the user is told, in the reply, what failed (requests are counted at agent-service,
        // so the bot's gate may be the one to say so, before any turn)
        agent.kill();
        var during = discord.slash(
                        "jerry",
                        Map.of("prompt", "And at what pressure?"),
                        DiscordDouble.ALICE,
                        DiscordDouble.CHANNEL_ID)
                .await(i -> i.text().contains("⚠️") || i.text().contains("try again"), WAIT);
        assertThat(during.text())
                .contains("agent-service")
                .contains("try again")
                .doesNotContain("Exception");

        // 3. back up: the conversation continues from what was saved before the crash
        agent.restart();
        var after = discord.slash(
                        "jerry",
                        Map.of("prompt", "And at what pressure?"),
                        DiscordDouble.ALICE,
                        DiscordDouble.CHANNEL_ID)
                .await(
                        i -> i.text().contains("-# [1]")
                                || i.text().contains("⚠️")
                                || i.text().startsWith("At 40"),
                        WAIT);
        assertThat(after.text()).startsWith("At 40 bar, as I said [1].");
        assertThat(ollama.requests("/api/chat").getLast().path("messages").findValuesAsText("content"))
                .contains(
                        "How is the reactor core cooled?",
                        "The core is cooled by heavy water [1].",
                        "And at what pressure?");

        // 4. Bob mentions Jerry, Alice replies to the answer: the reply chain is the conversation, through every
        // service
        ollama.script(
                "jerry-test",
                OllamaDouble.Reply.text("Heavy water moderates the neutrons."),
                OllamaDouble.Reply.text("It also carries the heat away."));
        GuildChat chat = discord.guildChat();
        String mention = chat.say(
                DiscordDouble.BOB, DiscordDouble.CHANNEL_ID, "<@" + DiscordDouble.APP_ID + "> what moderates?");
        GuildChat.Posted answer = finalReply(chat, mention);
        assertThat(answer.content()).isEqualTo("Heavy water moderates the neutrons.");
        String reply = chat.reply(DiscordDouble.ALICE, DiscordDouble.CHANNEL_ID, answer.id(), "anything else?", true);
        assertThat(finalReply(chat, reply).content()).isEqualTo("It also carries the heat away.");
        assertThat(ollama.requests("/api/chat").getLast().path("messages").findValuesAsText("content"))
                .as("the model was given the chain, not Alice's other conversation in the channel")
                .contains("what moderates?", "Heavy water moderates the neutrons.", "anything else?")
                .doesNotContain("How is the reactor core cooled?");
        String chain = "guild:" + DiscordDouble.GUILD_ID + ":channel:" + DiscordDouble.CHANNEL_ID + ":chain:" + mention;
        JsonNode stored = Json.mapper()
                .readTree(Http.get(
                                agent.baseUrl(),
                                "/v1/conversations/" + chain,
                                "Authorization",
                                "Bearer " + token("bot"))
                        .body());
        assertThat(stored.path("recent").findValuesAsText("content"))
                .containsExactly(
                        "what moderates?",
                        "Heavy water moderates the neutrons.",
                        "anything else?",
                        "It also carries the heat away.");
    }

    /** The bot's answer to a message, once complete (no longer marked as streaming). */
    private static GuildChat.Posted finalReply(GuildChat chat, String messageId) {
        DiscordDouble.await(
                () -> chat.fromBot(DiscordDouble.CHANNEL_ID).stream()
                        .anyMatch(p ->
                                messageId.equals(p.replyTo()) && !p.content().endsWith(" …")),
                WAIT,
                () -> "no answer to " + messageId + ": " + chat.posted(DiscordDouble.CHANNEL_ID));
        return chat.fromBot(DiscordDouble.CHANNEL_ID).stream()
                .filter(p -> messageId.equals(p.replyTo()))
                .findFirst()
                .orElseThrow();
    }
}
