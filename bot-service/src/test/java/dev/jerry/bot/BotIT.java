package dev.jerry.bot;

import static dev.jerry.testing.DiscordDouble.CHANNEL_ID;
import static dev.jerry.testing.DiscordDouble.OTHER_CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.bot.AgentDouble.Step;
import dev.jerry.bot.commands.AdminCommand;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.bot.commands.ForgetCommand;
import dev.jerry.bot.commands.StatusCommand;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.model.ModelServiceApp;
import dev.jerry.model.ModelServiceConfig;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.DiscordDouble.Interaction;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.Ports;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real JDA, logged in to a Discord double, answering through an agent-service double speaking the SSE contract. */
class BotIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long EDIT_INTERVAL_MS = 400;
    private static final AtomicLong USERS = new AtomicLong(1_400_000_000_000_000L);
    private static final List<AgentChatResponse.Source> SOURCES = List.of(
            new AgentChatResponse.Source("reactor-manual.pdf", 2, "Reactor Manual", null),
            new AgentChatResponse.Source("web", null, "Heavy water", "https://example.org/heavy-water"));

    private static DiscordDouble discord;
    private static AgentDouble agent;
    private static OllamaDouble ollama;
    private static ServiceApp model;
    private static ServiceApp bot;

    @BeforeAll
    static void start() {
        discord = DiscordDouble.start();
        agent = AgentDouble.start();
        ollama = OllamaDouble.start()
                .withModel("llama3.2:3b")
                .pullable("qwen2.5:0.5b")
                .pullStepDelay(Duration.ofMillis(400));
        model = ModelServiceApp.create(
                        ModelServiceConfig.fromEnv(Env.of(Map.of(
                                "JERRY_MODEL_PORT", "0",
                                "JERRY_OLLAMA_URL", ollama.baseUrl().toString(),
                                "JERRY_OLLAMA_MODELS", "llama3.2:3b"))),
                        new ServiceMetrics("model"))
                .start();
        Map<String, String> env = new HashMap<>();
        env.put("JERRY_BOT_PORT", "0");
        env.put("JERRY_DISCORD_TOKEN", DiscordDouble.TOKEN);
        env.put("JERRY_DISCORD_API_URL", discord.restUrl());
        env.put("JERRY_DISCORD_GATEWAY_URL", discord.gatewayUrl());
        env.put("JERRY_AGENT_SERVICE_URL", agent.baseUrl().toString());
        env.put("JERRY_MODEL_SERVICE_URL", model.baseUrl().toString());
        env.put("JERRY_RAG_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        env.put("JERRY_DISCORD_CHANNELS", String.valueOf(CHANNEL_ID));
        env.put("JERRY_BOT_RATE_LIMIT", "3/1h");
        env.put("JERRY_BOT_EDIT_INTERVAL", EDIT_INTERVAL_MS + "ms");
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
        agent.close();
        if (model != null) {
            model.stop();
        }
        ollama.close();
        discord.close();
    }

    private static long newUser() {
        return USERS.incrementAndGet();
    }

    @Test
    void should_defer_then_stream_edits_then_show_the_answer_with_footnotes() {
        String reply =
                "Heavy water cools the core [1]. It also slows neutrons down, which keeps the reaction going [2].";
        agent.script(r -> {
            List<Step> steps = new java.util.ArrayList<>(
                    List.of(new Step.Status("searching the knowledge base…"), new Step.Pause(EDIT_INTERVAL_MS * 2)));
            steps.addAll(AgentDouble.streamed(reply, 12, 120, SOURCES));
            return steps;
        });
        long user = newUser();

        Interaction interaction = discord.slash(
                        AskCommand.NAME, Map.of("prompt", "How is the core cooled?"), user, CHANNEL_ID)
                .await(i -> i.text().contains("-# [2]"), WAIT);

        assertThat(interaction.callbackType()).as("deferred").isEqualTo(5);
        assertThat(interaction.ephemeral()).isFalse();
        String answer = interaction.messages().getFirst().content();
        assertThat(answer)
                .startsWith(reply)
                .contains("-# [1] reactor-manual.pdf, p. 2")
                .contains("-# [2] Heavy water <https://example.org/heavy-water>");
        List<DiscordDouble.Write> writes = interaction.writes();
        assertThat(writes.getFirst().content())
                .as("the status shows first")
                .isEqualTo("*searching the knowledge base…*");
        List<String> partials = writes.stream()
                .map(DiscordDouble.Write::content)
                .filter(c -> c.endsWith(" …"))
                .toList();
        assertThat(partials).as("progressive edits while streaming").hasSizeGreaterThanOrEqualTo(2);
        partials.forEach(p -> assertThat(reply).startsWith(p.substring(0, p.length() - 2)));
        for (int i = 1; i < writes.size(); i++) {
            assertThat(Duration.between(writes.get(i - 1).at(), writes.get(i).at())
                            .toMillis())
                    .as("edits are at least the edit interval apart")
                    .isGreaterThanOrEqualTo(EDIT_INTERVAL_MS - 20);
        }
        var request = agent.requests().getLast();
        assertThat(request.conversationId())
                .isEqualTo("guild:" + DiscordDouble.GUILD_ID + ":channel:" + CHANNEL_ID + ":user:" + user);
        assertThat(request.message()).isEqualTo("How is the core cooled?");
        assertThat(request.stream()).isTrue();
    }

    @Test
    void should_split_a_long_answer_with_a_code_block_into_valid_messages() {
        StringBuilder code = new StringBuilder("```java\n");
        for (int i = 0; i < 70; i++) {
            code.append("    int value")
                    .append(i)
                    .append(" = compute(")
                    .append(i)
                    .append(", \"padding text\");\n");
        }
        code.append("```");
        String prose = "This paragraph explains the code below in some detail, sentence after sentence. ".repeat(14);
        String reply = prose + "\n\n" + code + "\n\n" + prose + "\n\nThat is all.";
        assertThat(reply.length()).isGreaterThan(5000);
        agent.script(r -> AgentDouble.streamed(reply, 400, 20, List.of()));

        Interaction interaction = discord.slash(
                        AskCommand.NAME, Map.of("prompt", "Show me code"), newUser(), CHANNEL_ID)
                .await(i -> i.text().contains("That is all."), WAIT);

        List<DiscordDouble.Message> messages = interaction.messages();
        assertThat(messages).hasSizeGreaterThanOrEqualTo(3);
        for (DiscordDouble.Message m : messages) {
            assertThat(m.content().length()).isLessThanOrEqualTo(2000);
            long fences =
                    m.content().lines().filter(l -> l.strip().startsWith("```")).count();
            assertThat(fences).as("balanced code fences in: " + m.content()).isEven();
        }
        String joined = String.join(
                "\n", messages.stream().map(DiscordDouble.Message::content).toList());
        for (int i = 0; i < 70; i++) {
            assertThat(joined).contains("int value" + i + " = compute(" + i + ", \"padding text\");");
        }
        assertThat(messages.stream()
                        .filter(m -> m.content().contains("int value"))
                        .map(m -> m.content().strip()))
                .allSatisfy(c -> assertThat(c).startsWith("```").endsWith("```"));
    }

    @Test
    void should_answer_a_dm_with_typing_and_the_reply() {
        long user = newUser();
        agent.script(r -> List.of(
                new Step.Pause(300),
                new Step.Delta("Hi there, "),
                new Step.Delta("how can I help?"),
                new Step.Done(List.of())));

        discord.dm(user, "hello jerry");
        DiscordDouble.await(
                () -> discord.dmReplies(user).stream().anyMatch(m -> m.content().equals("Hi there, how can I help?")),
                WAIT,
                () -> "DM replies: " + discord.dmReplies(user));

        assertThat(discord.typing(user)).isGreaterThanOrEqualTo(1);
        assertThat(discord.dmReplies(user)).hasSize(1);
        assertThat(agent.requests().getLast().conversationId()).isEqualTo("dm:" + user);
    }

    @Test
    void should_forget_the_callers_conversation_in_this_channel() {
        long user = newUser();

        Interaction interaction = discord.slash(ForgetCommand.NAME, Map.of(), user, CHANNEL_ID)
                .await(i -> i.text().startsWith("Done"), WAIT);

        assertThat(interaction.ephemeral()).isTrue();
        assertThat(agent.forgotten())
                .contains("guild:" + DiscordDouble.GUILD_ID + ":channel:" + CHANNEL_ID + ":user:" + user);
    }

    @Test
    void should_refuse_with_an_ephemeral_message_when_rate_limited() {
        long user = newUser();
        agent.script(r -> List.of(new Step.Delta("ok"), new Step.Done(List.of())));
        for (int i = 0; i < 3; i++) {
            discord.slash(AskCommand.NAME, Map.of("prompt", "question " + i), user, CHANNEL_ID)
                    .await(x -> x.text().equals("ok"), WAIT);
        }
        int asked = agent.requests().size();

        Interaction limited = discord.slash(AskCommand.NAME, Map.of("prompt", "one more"), user, CHANNEL_ID)
                .await(x -> !x.text().isEmpty(), WAIT);

        assertThat(limited.callbackType()).as("replied at once, not deferred").isEqualTo(4);
        assertThat(limited.ephemeral()).isTrue();
        assertThat(limited.text()).contains("3 per 1 h").containsPattern("Try again in \\d+ s");
        assertThat(agent.requests()).hasSize(asked);
        assertThat(scrape()).containsPattern("jerry_bot_refused_total\\{[^}]*reason=\"rate\"[^}]*} [1-9]");
    }

    @Test
    void should_refuse_outside_the_allowed_channels() {
        int asked = agent.requests().size();

        Interaction refused = discord.slash(AskCommand.NAME, Map.of("prompt", "hi"), newUser(), OTHER_CHANNEL_ID)
                .await(x -> !x.text().isEmpty(), WAIT);

        assertThat(refused.ephemeral()).isTrue();
        assertThat(refused.text()).contains("not enabled in this channel");
        assertThat(agent.requests()).hasSize(asked);
    }

    @Test
    void should_keep_the_partial_answer_and_explain_when_the_agent_fails_mid_stream() {
        agent.script(r -> List.of(
                new Step.Delta("The first half of the answer"),
                new Step.Error("upstream_unavailable", "the language model could not answer: model-service is down")));

        Interaction interaction = discord.slash(AskCommand.NAME, Map.of("prompt", "hi"), newUser(), CHANNEL_ID)
                .await(i -> i.text().contains("⚠️"), WAIT);

        assertThat(interaction.text())
                .startsWith("The first half of the answer")
                .contains("model-service is down")
                .contains("try again");
    }

    @Test
    void should_ask_for_an_admin_and_not_for_patience_when_no_language_model_is_available() {
        agent.script(r -> List.of(new Step.Error(
                "not_configured",
                "no language model is available; set JERRY_MODEL_PATH to a GGUF file or JERRY_OLLAMA_URL to an"
                        + " Ollama server, then restart model-service (model-service: model 'x' could not be"
                        + " downloaded (no network))")));

        Interaction interaction = discord.slash(AskCommand.NAME, Map.of("prompt", "hi"), newUser(), CHANNEL_ID)
                .await(i -> i.text().contains("⚠️"), WAIT);

        assertThat(interaction.text())
                .contains("an admin")
                .contains("set JERRY_MODEL_PATH")
                .doesNotContain("try again in a minute")
                .doesNotContainPattern("\\w+Exception");
    }

    @Test
    void should_tell_the_user_when_the_agent_hangs_up() {
        agent.script(r -> List.of(new Step.Delta("Partial"), new Step.Cut()));

        Interaction interaction = discord.slash(AskCommand.NAME, Map.of("prompt", "hi"), newUser(), CHANNEL_ID)
                .await(i -> i.text().contains("⚠️"), WAIT);

        assertThat(interaction.text()).startsWith("Partial").contains("agent-service");
        assertThat(interaction.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void should_complete_the_answer_after_the_gateway_drops_mid_answer() {
        String reply = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten.";
        agent.script(r -> AgentDouble.streamed(reply, 5, 150, List.of()));
        int resumes = discord.resumes();

        Interaction interaction = discord.slash(AskCommand.NAME, Map.of("prompt", "count"), newUser(), CHANNEL_ID)
                .await(i -> i.writes().size() >= 2, WAIT);
        discord.dropGateway();
        long dmUser = newUser();
        discord.dm(dmUser, "are you there?"); // sent while disconnected: replayed on resume

        interaction.await(i -> i.text().equals(reply), WAIT);
        DiscordDouble.await(
                () -> !discord.dmReplies(dmUser).isEmpty()
                        && !discord.dmReplies(dmUser).getFirst().content().endsWith(" …"),
                WAIT,
                () -> "DM replies after resume: " + discord.dmReplies(dmUser));
        assertThat(discord.resumes()).isGreaterThan(resumes);
        DiscordDouble.await(
                () -> Http.get(bot.baseUrl(), "/health/ready").statusCode() == 200, WAIT, () -> "not ready");
    }

    @Test
    void should_report_metrics_for_interactions_and_answers() {
        agent.script(r -> List.of(new Step.Delta("metrics"), new Step.Done(List.of())));
        discord.slash(AskCommand.NAME, Map.of("prompt", "m"), newUser(), CHANNEL_ID)
                .await(i -> i.text().equals("metrics"), WAIT);

        String metrics = scrape();

        assertThat(count(metrics, "jerry_bot_interactions_total\\{command=\"jerry\"[^}]*}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "jerry_bot_ack_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "jerry_bot_first_token_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "jerry_bot_answer_seconds_count")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void should_show_the_status_of_models_queue_cache_knowledge_and_agent_privately() {
        Interaction status = discord.slash(StatusCommand.NAME, Map.of(), newUser(), CHANNEL_ID)
                .await(i -> i.text().contains("**Agent:**"), WAIT);

        assertThat(status.ephemeral()).isTrue();
        assertThat(status.callbackType()).isEqualTo(5);
        assertThat(status.text())
                .contains("**Models:** ready ✅")
                .containsPattern("\\*\\*Queue:\\*\\* \\d+ waiting, \\d+ running")
                .contains("**Cache:**")
                .contains("**Knowledge base:** unknown (rag-service")
                .contains("**Agent:** ready ✅");
    }

    @Test
    void should_refuse_admin_commands_to_members_who_cannot_manage_the_server() {
        Interaction refused = discord.slash(
                        AdminCommand.NAME, "pull", Map.of("model", "mistral:7b"), DiscordDouble.ALICE, CHANNEL_ID)
                .await(i -> !i.text().isEmpty(), WAIT);

        assertThat(refused.callbackType()).isEqualTo(4);
        assertThat(refused.ephemeral()).isTrue();
        assertThat(refused.text()).contains("Only members who can manage this server");
        assertThat(ollama.requests("/api/pull"))
                .noneMatch(r -> r.path("model").asText().startsWith("mistral"));
        assertThat(discord.commands()
                        .get(AdminCommand.NAME)
                        .path("default_member_permissions")
                        .asText())
                .as("hidden from members without Manage Server")
                .isEqualTo(String.valueOf(1L << 5));
    }

    @Test
    void should_pull_a_model_for_an_admin_with_progress_edits() {
        Interaction pull = discord.slash(
                        AdminCommand.NAME, "pull", Map.of("model", "qwen2.5:0.5b"), DiscordDouble.ADMIN, CHANNEL_ID)
                .await(i -> i.text().startsWith("✅") || i.text().startsWith("❌"), Duration.ofSeconds(40));

        assertThat(pull.ephemeral()).isTrue();
        assertThat(pull.text()).startsWith("✅ Model `qwen2.5:0.5b` is ready.");
        assertThat(pull.writes())
                .as("progress was shown before it was done")
                .anySatisfy(w -> assertThat(w.content()).startsWith("⏳").contains("downloading"));
        assertThat(ollama.has("qwen2.5:0.5b")).isTrue();

        Interaction unknown = discord.slash(
                        AdminCommand.NAME, "pull", Map.of("model", "nope:1b"), DiscordDouble.ADMIN, CHANNEL_ID)
                .await(i -> i.text().startsWith("✅") || i.text().startsWith("❌"), WAIT);
        assertThat(unknown.text()).startsWith("❌").contains("nope:1b");
    }

    @Test
    void should_offer_all_and_the_nodes_when_an_admin_types_the_node_of_a_pull() {
        // when
        List<String> offered = discord.autocompleteChoices(
                AdminCommand.NAME,
                "pull",
                Map.of("model", "qwen2.5:0.5b", "node", ""),
                "node",
                DiscordDouble.ADMIN,
                CHANNEL_ID);
        List<String> narrowed = discord.autocompleteChoices(
                AdminCommand.NAME,
                "pull",
                Map.of("model", "qwen2.5:0.5b", "node", "al"),
                "node",
                DiscordDouble.ADMIN,
                CHANNEL_ID);

        // then
        assertThat(offered).hasSize(2).first().isEqualTo("all");
        assertThat(narrowed).containsExactly("all");
    }

    private static String scrape() {
        return Http.get(bot.baseUrl(), "/metrics").body();
    }

    private static double count(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + "\\S* ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
