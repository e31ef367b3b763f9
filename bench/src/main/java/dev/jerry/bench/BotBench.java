package dev.jerry.bench;

import dev.jerry.bot.BotServiceApp;
import dev.jerry.bot.BotServiceConfig;
import dev.jerry.bot.commands.AskCommand;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.DiscordDouble;
import dev.jerry.testing.OllamaDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * bot-service under load (docs/performance.md): N interactions sent at once through the Discord double to the real
 * JDA bot, answered by the real agent-service over an Ollama double that streams a 60-word answer at a fixed speed.
 * Measures the acknowledgement latency as Discord sees it (event sent → defer received), the time until the whole
 * answer is on Discord, and the spacing of edits of each message against {@code JERRY_BOT_EDIT_INTERVAL}. Run:
 * {@code java -cp bench/target/bench.jar dev.jerry.bench.BotBench [interactions]}.
 */
public final class BotBench {
    private static final Duration EDIT_INTERVAL = Duration.ofSeconds(1);

    private BotBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        String reply = String.join(" ", java.util.Collections.nCopies(60, "word")) + ".";
        Path dir = Files.createTempDirectory("jerry-bot-bench-");
        try (DiscordDouble discord = DiscordDouble.start();
                OllamaDouble ollama = OllamaDouble.start()
                        .withModel("bench")
                        .defaultReply(reply)
                        .tokenDelay(Duration.ofMillis(40))) {
            ServiceApp agent = AgentBench.agentService(ollama, dir);
            ServiceApp bot = BotServiceApp.create(
                            BotServiceConfig.fromEnv(Env.of(Map.of(
                                    "JERRY_BOT_PORT",
                                    "0",
                                    "JERRY_DISCORD_TOKEN",
                                    DiscordDouble.TOKEN,
                                    "JERRY_DISCORD_API_URL",
                                    discord.restUrl(),
                                    "JERRY_DISCORD_GATEWAY_URL",
                                    discord.gatewayUrl(),
                                    "JERRY_AGENT_SERVICE_URL",
                                    agent.baseUrl().toString(),
                                    "JERRY_BOT_RATE_LIMIT",
                                    "100000/1m",
                                    "JERRY_BOT_EDIT_INTERVAL",
                                    EDIT_INTERVAL.toMillis() + "ms"))),
                            new ServiceMetrics("bot"))
                    .start();
            try {
                DiscordDouble.await(
                        () -> discord.commands().containsKey(AskCommand.NAME),
                        Duration.ofSeconds(30),
                        () -> "commands");
                run(discord, reply, 5, 1_000); // warm-up
                run(discord, reply, n, 2_000);
            } finally {
                bot.stop();
                agent.stop();
            }
        }
    }

    private static void run(DiscordDouble discord, String reply, int n, long firstUser) {
        List<DiscordDouble.Interaction> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sent.add(discord.slash(
                    AskCommand.NAME,
                    Map.of("prompt", "question " + i),
                    1_500_000_000_000_000L + firstUser + i,
                    DiscordDouble.CHANNEL_ID));
        }
        for (DiscordDouble.Interaction interaction : sent) {
            interaction.await(x -> x.text().equals(reply), Duration.ofMinutes(5));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double[] acks = sent.stream()
                .mapToDouble(x ->
                        Duration.between(x.sentAt(), x.ackAt().orElseThrow()).toNanos() / 1e6)
                .toArray();
        double[] answers = sent.stream()
                .mapToDouble(x ->
                        Duration.between(x.sentAt(), x.writes().getLast().at()).toNanos() / 1e6)
                .toArray();
        long minGap = Long.MAX_VALUE;
        int edits = 0;
        int maxEditsPerAnswer = 0;
        for (DiscordDouble.Interaction x : sent) {
            List<DiscordDouble.Write> writes = x.writes();
            int answerEdits = 0;
            for (int i = 1; i < writes.size(); i++) {
                if (writes.get(i).index() == writes.get(i - 1).index()) {
                    minGap = Math.min(
                            minGap,
                            Duration.between(
                                            writes.get(i - 1).at(),
                                            writes.get(i).at())
                                    .toMillis());
                }
            }
            answerEdits = writes.size();
            edits += answerEdits;
            maxEditsPerAnswer = Math.max(maxEditsPerAnswer, answerEdits);
        }
        System.out.printf(
                "%d interactions at once: all answered in %.1f s; ack p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                        + "whole answer p50 %.0f ms, p99 %.0f ms; %d writes (%.1f per answer, at most %d); "
                        + "shortest gap between two writes of one message %d ms (interval %d ms)%n",
                n,
                wall,
                percentile(acks, 50),
                percentile(acks, 99),
                percentile(acks, 100),
                percentile(answers, 50),
                percentile(answers, 99),
                edits,
                edits / (double) n,
                maxEditsPerAnswer,
                minGap == Long.MAX_VALUE ? -1 : minGap,
                EDIT_INTERVAL.toMillis());
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
