package dev.jerry.bot;

import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentServiceApp;
import dev.jerry.agent.AgentServiceConfig;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.bot.commands.ForgetCommand;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.DiscordDouble.Interaction;
import dev.jerry.testing.GuildChat;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import dev.jerry.testing.TestPdfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files attached on Discord, end to end: the real JDA gets them from the Discord double (an ATTACHMENT option of
 * {@code /jerry}, a DM's {@code attachments}), downloads them from the double's CDN URL and hands them to the real
 * agent-service, which reads them into a scratch collection of the real Chroma; the agent's model is an Ollama double
 * whose scripted replies call {@code rag_search}.
 */
@ExtendWith(ChromaExtension.class)
class BotAttachmentsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODEL = "jerry-test";
    private static final int MAX_BYTES = 20_000;
    /** A model that can see and call tools, so that a channel can be set to it. */
    private static final String SEEING = "seeing-test";
    /** A 1×1 PNG. */
    private static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static final AtomicLong USERS = new AtomicLong(1_500_000_000_000_000L);

    private static DiscordDouble discord;
    private static OllamaDouble ollama;
    private static ServiceApp agent;
    private static ServiceApp bot;
    private static ChromaServer chroma;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start(ChromaServer server) {
        chroma = server;
        discord = DiscordDouble.start();
        ollama = OllamaDouble.start()
                .withModel(MODEL)
                .withModel("llava-test", List.of("completion", "vision"))
                .withModel(SEEING, List.of("completion", "tools", "vision"));
        Map<String, String> agentEnv = new HashMap<>();
        agentEnv.put("JERRY_AGENT_PORT", "0");
        agentEnv.put("JERRY_MODEL_SERVICE_URL", ollama.baseUrl().toString());
        agentEnv.put("JERRY_RAG_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        agentEnv.put("JERRY_AGENT_MODEL", MODEL);
        agentEnv.put("JERRY_DATA_DIR", dir.toString());
        agentEnv.put("JERRY_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("agent.db"));
        agentEnv.put("JERRY_CHROMA_URL", server.baseUrl().toString());
        agentEnv.put("JERRY_ATTACHMENT_MAX_BYTES", String.valueOf(MAX_BYTES));
        agent = AgentServiceApp.create(AgentServiceConfig.fromEnv(Env.of(agentEnv)), new ServiceMetrics("agent"))
                .start();
        Map<String, String> env = new HashMap<>();
        env.put("JERRY_BOT_PORT", "0");
        env.put("JERRY_DISCORD_TOKEN", DiscordDouble.TOKEN);
        env.put("JERRY_DISCORD_API_URL", discord.restUrl());
        env.put("JERRY_DISCORD_GATEWAY_URL", discord.gatewayUrl());
        env.put("JERRY_AGENT_SERVICE_URL", agent.baseUrl().toString());
        env.put("JERRY_MODEL_SERVICE_URL", ollama.baseUrl().toString());
        env.put("JERRY_RAG_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        bot = BotServiceApp.create(BotServiceConfig.fromEnv(Env.of(env)), new ServiceMetrics("bot"))
                .start();
        DiscordDouble.await(
                () -> discord.commands().containsKey(AskCommand.NAME), WAIT, () -> "commands: " + discord.commands());
    }

    @AfterAll
    static void stop() {
        if (bot != null) {
            bot.stop();
        }
        if (agent != null) {
            agent.stop();
        }
        ollama.close();
        discord.close();
    }

    private static byte[] plantPdf() throws Exception {
        return Files.readAllBytes(TestPdfs.plantGuide(dir.resolve("plant-" + USERS.incrementAndGet() + ".pdf")));
    }

    /** The scratch collections in Chroma that belong to {@code conversationId}. */
    private static List<String> scratchOf(String conversationId) {
        return new ChromaClient(chroma.baseUrl(), new ServiceMetrics("test"))
                .collections().stream()
                        .filter(c -> conversationId.equals(c.metadata().get("conversation_id")))
                        .map(ChromaClient.Collection::name)
                        .toList();
    }

    /** The model searches the attachments for the valve, then answers citing the first passage. */
    private static void scriptValveAnswer() {
        ollama.script(
                MODEL,
                OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "where is the emergency valve")),
                OllamaDouble.Reply.text("Behind the west door of the boiler room [1]."));
    }

    @Test
    void should_answer_a_question_about_an_attached_pdf_citing_its_page_then_forget_it() throws Exception {
        // given: the model searches, then answers citing the first passage
        scriptValveAnswer();
        long user = USERS.incrementAndGet();
        String conversation = "guild:" + DiscordDouble.GUILD_ID + ":channel:" + CHANNEL_ID + ":user:" + user;
        var pdf = discord.upload(CHANNEL_ID, "plant.pdf", "application/pdf", plantPdf());

        // when
        Interaction interaction = discord.slash(
                        AskCommand.NAME,
                        Map.of("prompt", "Where is the emergency valve?", "attachment", pdf),
                        user,
                        CHANNEL_ID)
                .await(i -> i.text().contains("-# [1]"), WAIT);

        // then: the answer cites the file and page the passage came from
        assertThat(interaction.callbackType()).as("deferred").isEqualTo(5);
        assertThat(interaction.text())
                .startsWith("Behind the west door of the boiler room [1].")
                .contains("-# [1] plant.pdf, p. 3");
        JsonNode toolRound = ollama.requests("/api/chat").getLast().path("messages");
        assertThat(toolRound.findValuesAsText("content"))
                .anySatisfy(c -> assertThat(c).contains("(plant.pdf, page 3)"));
        assertThat(scratchOf(conversation)).hasSize(1);

        // when: the user makes Jerry forget the conversation
        discord.slash(ForgetCommand.NAME, Map.of(), user, CHANNEL_ID)
                .await(i -> i.text().startsWith("Done"), WAIT);

        // then: its attachments are gone too
        assertThat(scratchOf(conversation)).isEmpty();
    }

    @Test
    void should_read_a_pdf_attached_to_a_mention_and_cite_its_page_in_the_reply() throws Exception {
        // given: the model searches, then answers citing the first passage
        scriptValveAnswer();
        long user = USERS.incrementAndGet();
        var pdf = discord.upload(CHANNEL_ID, "plant.pdf", "application/pdf", plantPdf());
        GuildChat chat = discord.guildChat();

        // when: a message that mentions Jerry carries the file (no MESSAGE_CONTENT: Discord shows it for the mention)
        String question = chat.say(
                user, CHANNEL_ID, "<@" + DiscordDouble.APP_ID + "> where is the emergency valve?", List.of(pdf));

        // then: the reply cites the file and page, and the file went into the chain's own conversation
        DiscordDouble.await(
                () -> chat.fromBot(CHANNEL_ID).stream()
                        .anyMatch(
                                p -> question.equals(p.replyTo()) && p.content().contains("plant.pdf, p. 3")),
                WAIT,
                () -> "bot messages: " + chat.fromBot(CHANNEL_ID));
        assertThat(scratchOf("guild:" + DiscordDouble.GUILD_ID + ":channel:" + CHANNEL_ID + ":chain:" + question))
                .hasSize(1);
    }

    @Test
    void should_refuse_an_image_naming_the_conversations_model_and_one_that_can_read_it() {
        // given
        long user = USERS.incrementAndGet();
        var image = discord.upload(CHANNEL_ID, "photo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1});
        int chatsBefore = ollama.requests("/api/chat").size();

        // when
        Interaction interaction = discord.slash(
                        AskCommand.NAME,
                        Map.of("prompt", "What is on this photo?", "attachment", image),
                        user,
                        CHANNEL_ID)
                .await(i -> i.text().contains("cannot read images"), WAIT);

        // then: no turn ran; the user learns which model cannot and which could
        assertThat(interaction.text())
                .contains(MODEL)
                .contains("cannot read images")
                .contains("llava-test");
        assertThat(ollama.requests("/api/chat")).hasSize(chatsBefore);
    }

    @Test
    void should_check_an_image_against_the_channels_model_and_show_it_to_that_model() {
        // given: the other channel's model can see (the agent's own cannot)
        var set = Http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(agent.baseUrl() + "/v1/settings/"
                                + DiscordDouble.GUILD_ID + "/" + DiscordDouble.OTHER_CHANNEL_ID))
                        .method(
                                "PATCH",
                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"kind\": \"channel\", \"updated_by\": \"test\", \"model\": \"" + SEEING
                                                + "\"}")),
                "Content-Type",
                "application/json");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        ollama.script(SEEING, OllamaDouble.Reply.text("A single pixel."));
        long user = USERS.incrementAndGet();
        var image = discord.upload(
                DiscordDouble.OTHER_CHANNEL_ID,
                "pixel.png",
                "image/png",
                java.util.Base64.getDecoder().decode(PNG));

        // when
        Interaction interaction = discord.slash(
                        AskCommand.NAME,
                        Map.of("prompt", "What is on this picture?", "attachment", image),
                        user,
                        DiscordDouble.OTHER_CHANNEL_ID)
                .await(i -> i.text().contains("A single pixel.") || i.text().contains("cannot read images"), WAIT);

        // then: kept for the channel's model, which got the question with the image
        assertThat(interaction.text()).contains("A single pixel.");
        JsonNode turn = ollama.requests("/api/chat").stream()
                .filter(r -> r.path("model").asText().startsWith(SEEING))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(turn.path("messages").findValues("images").toString()).contains(PNG);
    }

    @Test
    void should_tell_the_user_the_size_limit_when_a_file_is_too_large() {
        // given
        long user = USERS.incrementAndGet();
        var big = discord.upload(
                CHANNEL_ID, "dump.txt", "text/plain", "x ".repeat(MAX_BYTES).getBytes());

        // when
        Interaction interaction = discord.slash(
                        AskCommand.NAME, Map.of("prompt", "Summarize this", "attachment", big), user, CHANNEL_ID)
                .await(i -> i.text().contains("limit"), WAIT);

        // then
        assertThat(interaction.text())
                .contains("⚠️")
                .contains("the limit is 19 KB")
                .contains("39 KB");
    }

    @Test
    void should_read_a_file_sent_in_a_dm_and_say_what_it_read() {
        // given
        long user = USERS.incrementAndGet();
        var notes = discord.upload(
                DiscordDouble.dmChannel(user),
                "notes.md",
                "text/markdown",
                "# Notes\n\nThe gate code changes every Monday.".getBytes());

        // when: a DM with the file and no text
        discord.dm(user, "", List.of(notes));

        // then
        DiscordDouble.await(
                () -> discord.dmReplies(user).stream().anyMatch(m -> m.content().contains("notes.md")),
                WAIT,
                () -> "DM replies: " + discord.dmReplies(user));
        assertThat(discord.dmReplies(user).getLast().content())
                .contains("I read notes.md")
                .contains("1 page");
        assertThat(scratchOf("dm:" + user)).hasSize(1);
    }
}
