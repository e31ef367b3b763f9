package dev.jerry.bot;

import static dev.jerry.testing.DiscordDouble.ADMIN;
import static dev.jerry.testing.DiscordDouble.CATEGORIZED_CHANNEL_ID;
import static dev.jerry.testing.DiscordDouble.CATEGORIZED_THREAD_ID;
import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;
import static dev.jerry.testing.DiscordDouble.OTHER_CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentServiceApp;
import dev.jerry.agent.AgentServiceConfig;
import dev.jerry.agent.chat.Persona;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.bot.commands.AdminCommand;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.bot.commands.ConfigCommand;
import dev.jerry.bot.commands.ModelCommand;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.DiscordDouble.Interaction;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Channel settings, model choice, feedback and shared quotas end to end: the real JDA against the Discord double,
 * the real agent-service on a SQLite file, the real model-service in front of an Ollama double (whose requests show
 * what the model was asked with).
 */
class ChannelsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MODEL = "llama3.2:3b";
    private static final String OTHER_MODEL = "qwen2.5:0.5b";
    private static final AtomicLong USERS = new AtomicLong(1_500_000_000_000_000L);

    private static Path dir;
    private static DiscordDouble discord;
    private static OllamaDouble ollama;
    private static ServiceApp model;
    private static ServiceApp agent;
    private static ServiceApp bot;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("channels-it");
        discord = DiscordDouble.start();
        ollama = OllamaDouble.start().withModel(MODEL).withModel(OTHER_MODEL).defaultReply("Check the valve first.");
        model = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(Env.of(Map.of(
                                "JERRY_MODEL_PORT",
                                "0",
                                "JERRY_OLLAMA_URL",
                                ollama.baseUrl().toString(),
                                "JERRY_OLLAMA_MODELS",
                                MODEL + "," + OTHER_MODEL))),
                        new ServiceMetrics("model"))
                .start();
        var agentConfig = AgentServiceConfig.fromEnv(Env.of(Map.of(
                "JERRY_AGENT_PORT",
                "0",
                "JERRY_MODEL_SERVICE_URL",
                model.baseUrl().toString(),
                "JERRY_RAG_SERVICE_URL",
                "http://127.0.0.1:" + Ports.free(),
                "JERRY_AGENT_MODEL",
                MODEL,
                "JERRY_DATABASE_URL",
                "jdbc:sqlite:" + dir.resolve("agent.db"))));
        agent = AgentServiceApp.create(
                        agentConfig,
                        new ServiceMetrics("agent"),
                        new MemoryStore(agentConfig.database().url(), "", "").migrate())
                .start();
        bot = startBot();
    }

    /** A bot process; each answers at most once per user and day, counted at agent-service. */
    private static ServiceApp startBot() {
        int identified = discord.identifies();
        Map<String, String> env = new HashMap<>();
        env.put("JERRY_BOT_PORT", "0");
        env.put("JERRY_DISCORD_TOKEN", DiscordDouble.TOKEN);
        env.put("JERRY_DISCORD_API_URL", discord.restUrl());
        env.put("JERRY_DISCORD_GATEWAY_URL", discord.gatewayUrl());
        env.put("JERRY_AGENT_SERVICE_URL", agent.baseUrl().toString());
        env.put("JERRY_MODEL_SERVICE_URL", model.baseUrl().toString());
        env.put("JERRY_RAG_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        env.put("JERRY_BOT_DAILY_QUOTA", "1");
        env.put("JERRY_BOT_EDIT_INTERVAL", "200ms");
        ServiceApp started = BotServiceApp.create(BotServiceConfig.fromEnv(Env.of(env)), new ServiceMetrics("bot"))
                .start();
        DiscordDouble.await(
                () -> discord.identifies() > identified
                        && discord.connected()
                        && discord.commands().containsKey(ModelCommand.NAME),
                WAIT,
                () -> "commands: " + discord.commands().keySet());
        return started;
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceApp app : new ServiceApp[] {bot, agent, model}) {
            if (app != null) {
                app.stop();
            }
        }
        ollama.close();
        discord.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private static long newUser() {
        return USERS.incrementAndGet();
    }

    private static Interaction ask(String prompt, long user, long channel) {
        return discord.slash(AskCommand.NAME, Map.of("prompt", prompt), user, channel)
                .await(
                        i -> i.messages().stream()
                                                .anyMatch(m -> !m.content().isBlank()
                                                        && !m.content().endsWith(" …"))
                                        && !i.components(0).isEmpty()
                                || i.text().contains("⚠️")
                                || i.text().contains("You have used"),
                        WAIT);
    }

    private static JsonNode lastChat() {
        List<JsonNode> chats = ollama.requests("/api/chat");
        return chats.getLast();
    }

    private static String systemPrompt(JsonNode chat) {
        for (JsonNode m : chat.path("messages")) {
            if (m.path("role").asText().equals("system")) {
                return m.path("content").asText();
            }
        }
        return "";
    }

    @Test
    void should_answer_with_the_category_persona_in_a_thread_of_its_channel() {
        // given: the category's persona is docs
        String docs = Persona.load(Optional.empty()).stream()
                .filter(p -> p.name().equals("docs"))
                .findFirst()
                .orElseThrow()
                .systemPrompt();
        Interaction set = discord.slash(
                        ConfigCommand.NAME,
                        "set",
                        Map.of("persona", "docs", "scope", "category"),
                        ADMIN,
                        CATEGORIZED_CHANNEL_ID)
                .await(i -> i.text().contains("✅"), WAIT);

        // when: someone asks in a thread of a channel of that category
        Interaction shown = discord.slash(ConfigCommand.NAME, "show", Map.of(), ADMIN, CATEGORIZED_THREAD_ID)
                .await(i -> i.text().contains("persona"), WAIT);
        Interaction answer = ask("How do I reset the boiler?", newUser(), CATEGORIZED_THREAD_ID);
        String inThread = systemPrompt(lastChat());
        Interaction elsewhere = ask("How do I reset the boiler?", newUser(), CHANNEL_ID);
        String inOtherChannel = systemPrompt(lastChat());

        // then
        assertThat(set.text()).contains("✅ Set for the category help-desk");
        assertThat(shown.text())
                .contains("persona: `docs` ← the category help-desk")
                .contains("cache: `true` ← default");
        assertThat(answer.text()).contains("Check the valve first.");
        assertThat(inThread).as("the persona's instructions reach the model").contains(docs);
        assertThat(elsewhere.text()).contains("Check the valve first.");
        assertThat(inOtherChannel).as("other channels keep Jerry's own persona").doesNotContain(docs);
    }

    @Test
    void should_store_and_count_a_thumbs_down_and_list_it_for_admins() throws Exception {
        // given: an answer with 👍/👎 under it
        long user = newUser();
        Interaction answer = ask("Where is the fuse box?", user, CHANNEL_ID);
        JsonNode buttons = answer.components(0).path(0).path("components");
        List<String> ids = new ArrayList<>();
        buttons.forEach(b -> ids.add(b.path("custom_id").asText()));
        String down =
                ids.stream().filter(id -> id.contains(":down:")).findFirst().orElseThrow();
        String turnId = down.substring(down.lastIndexOf(':') + 1);

        // when
        Interaction click =
                discord.click(answer, 0, down, user).await(i -> !i.text().isBlank(), WAIT);
        Interaction listed = discord.slash(AdminCommand.NAME, "feedback", Map.of("rating", "down"), ADMIN, CHANNEL_ID)
                .await(i -> i.text().contains("**Feedback**"), WAIT);

        // then
        assertThat(buttons).hasSize(2);
        assertThat(buttons.path(0).path("type").asInt()).as("a button").isEqualTo(2);
        assertThat(click.ephemeral()).isTrue();
        assertThat(click.text()).startsWith("Thanks for telling me");
        JsonNode stored = Json.mapper()
                .readTree(Http.get(agent.baseUrl(), "/v1/feedback?rating=down").body())
                .path("feedback");
        JsonNode mine = null;
        for (JsonNode f : stored) {
            if (f.path("turn").path("id").asText().equals(turnId)) {
                mine = f;
            }
        }
        assertThat(mine).as("stored with its turn: " + stored).isNotNull();
        assertThat(mine.path("rated_by").asText()).isEqualTo(String.valueOf(user));
        assertThat(mine.path("turn").path("question").asText()).isEqualTo("Where is the fuse box?");
        assertThat(mine.path("turn").path("model").asText()).isEqualTo(MODEL);
        assertThat(mine.path("turn").path("cached").isBoolean()).isTrue();
        assertThat(Http.get(agent.baseUrl(), "/metrics").body())
                .containsPattern("jerry_agent_feedback_total\\{[^}]*rating=\"down\"[^}]*} [1-9]");
        assertThat(Http.get(bot.baseUrl(), "/metrics").body())
                .containsPattern("jerry_bot_feedback_total\\{[^}]*rating=\"down\"[^}]*} [1-9]");
        assertThat(listed.text()).contains("👎 \"Where is the fuse box?\" · " + MODEL);
        String export = new String(listed.files(0).get("feedback.jsonl"), StandardCharsets.UTF_8);
        assertThat(export.lines())
                .allSatisfy(line -> assertThat(
                                Json.mapper().readTree(line).path("rating").asText())
                        .isEqualTo("down"))
                .anySatisfy(line -> assertThat(line).contains(turnId));
    }

    @Test
    void should_refuse_an_attachments_collection_as_a_channels_collection_saying_why() {
        // given: the attachment collection of someone's direct messages, a name anyone can compute
        String theirs =
                "scratch-" + Sha256.hexOfParts("scratch", "dm:" + newUser()).substring(0, 40);

        // when
        Interaction set = discord.slash(
                        ConfigCommand.NAME, "set", Map.of("collection", theirs), ADMIN, OTHER_CHANNEL_ID)
                .await(i -> !i.text().isBlank(), WAIT);
        Interaction shown = discord.slash(ConfigCommand.NAME, "show", Map.of(), ADMIN, OTHER_CHANNEL_ID)
                .await(i -> i.text().contains("collection"), WAIT);

        // then: the admin is told the prefix is reserved, and the channel keeps rag-service's default
        assertThat(set.text())
                .startsWith("⚠️")
                .contains("may not start with 'scratch-'")
                .contains("reserved for the attachments")
                .doesNotContain("✅");
        assertThat(shown.text()).doesNotContain(theirs);
    }

    @Test
    void should_keep_a_users_daily_quota_across_a_bot_restart() {
        // given: the one answer of today
        long user = newUser();
        Interaction first = ask("What time is it?", user, CHANNEL_ID);

        // when: the bot restarts, and the user asks again
        bot.stop();
        bot = startBot();
        Interaction second = discord.slash(AskCommand.NAME, Map.of("prompt", "And now?"), user, CHANNEL_ID)
                .await(i -> !i.text().isBlank(), WAIT);

        // then
        assertThat(first.text()).contains("Check the valve first.");
        assertThat(second.ephemeral()).isTrue();
        assertThat(second.text()).startsWith("You have used your 1 answers for today.");
    }

    @Test
    void should_list_model_services_models_in_autocomplete_and_answer_with_the_chosen_one() {
        // when
        Interaction all = discord.autocomplete(ModelCommand.NAME, null, Map.of("model", ""), "model", ADMIN, CHANNEL_ID)
                .await(i -> i.callbackType() == 8, WAIT);
        Interaction typed = discord.autocomplete(
                        ModelCommand.NAME, null, Map.of("model", "qw"), "model", ADMIN, CHANNEL_ID)
                .await(i -> i.callbackType() == 8, WAIT);
        Interaction chosen = discord.slash(ModelCommand.NAME, Map.of("model", OTHER_MODEL), ADMIN, OTHER_CHANNEL_ID)
                .await(i -> i.text().contains("✅") || i.text().contains("⚠️"), WAIT);
        ask("Which model are you?", newUser(), OTHER_CHANNEL_ID);
        String asked = lastChat().path("model").asText();

        // then
        assertThat(names(all)).contains(MODEL, OTHER_MODEL);
        assertThat(names(typed)).containsExactly(OTHER_MODEL);
        assertThat(chosen.text())
                .contains("✅ Jerry answers #random with `" + OTHER_MODEL + "`")
                .contains("tools");
        assertThat(asked).isEqualTo(OTHER_MODEL);
    }

    private static List<String> names(Interaction autocomplete) {
        List<String> names = new ArrayList<>();
        autocomplete
                .callback()
                .path("data")
                .path("choices")
                .forEach(c -> names.add(c.path("value").asText()));
        return names;
    }
}
