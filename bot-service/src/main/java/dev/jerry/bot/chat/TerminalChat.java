package dev.jerry.bot.chat;

import dev.jerry.bot.AgentClient;
import dev.jerry.bot.BotServiceConfig;
import dev.jerry.bot.ErrorText;
import dev.jerry.bot.Footnotes;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./jerry chat}: a conversation with agent-service from a terminal, streamed as it is generated, with the
 * sources as footnotes, the same way the Discord bot shows it. Without arguments it reads questions line by line
 * ({@code /forget} starts over, {@code /quit} or end of input leaves); with arguments it asks them as one question
 * and exits: 0 when answered, 1 when the answer failed, 2 for bad configuration.
 */
public final class TerminalChat {
    private final AgentClient agent;
    private final String conversation;
    private final AgentChatRequest.UserRef user;
    private final PrintStream out;
    private final PrintStream err;

    TerminalChat(AgentClient agent, long userId, PrintStream out, PrintStream err) {
        this.agent = agent;
        this.conversation = "dm:" + userId;
        this.user = new AgentChatRequest.UserRef(String.valueOf(userId), System.getProperty("user.name"), List.of());
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int code;
        try {
            Env env = Env.system();
            UpstreamConfig upstream =
                    UpstreamConfig.fromEnv(env, "AGENT_SERVICE", "agent-service", URI.create("http://127.0.0.1:8083"));
            Duration timeout = env.duration(BotServiceConfig.ANSWER_TIMEOUT, Duration.ofMinutes(3));
            long userId = env.longValue("JERRY_CHAT_USER", 1, 1, Long.MAX_VALUE);
            AgentClient agent = new AgentClient(upstream.client(
                    ClientOptions.defaults()
                            .withReadTimeout(timeout)
                            .withStreamIdleTimeout(timeout)
                            .withMaxAttempts(2),
                    new ServiceMetrics("chat")));
            TerminalChat chat = new TerminalChat(agent, userId, out, System.err);
            code = args.length > 0 ? (chat.ask(String.join(" ", args)) ? 0 : 1) : chat.repl();
        } catch (ConfigException e) {
            System.err.println("jerry chat: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    int repl() throws java.io.IOException {
        err.println("Chatting with Jerry (" + conversation + "). /forget starts over, /quit or Ctrl-D leaves.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            err.print("> ");
            err.flush();
            String line = in.readLine();
            if (line == null || line.strip().equals("/quit")) {
                return 0;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("/forget")) {
                try {
                    agent.forget(conversation);
                    err.println("(forgotten: starting over)");
                } catch (UpstreamException e) {
                    err.println(ErrorText.of(e, ErrorText.Reader.OPERATOR));
                }
                continue;
            }
            ask(line);
        }
    }

    /** Asks one question and prints the streamed answer; returns whether it was answered. */
    boolean ask(String question) {
        boolean[] ok = {false};
        boolean[] streamed = {false};
        try {
            agent.chat(conversation, user, question, new AgentClient.Events() {
                @Override
                public void status(String text) {
                    err.println("(" + text + ")");
                }

                @Override
                public void delta(String text) {
                    streamed[0] = true;
                    out.print(text);
                    out.flush();
                }

                @Override
                public void done(AgentChatResponse response) {
                    if (!streamed[0]) {
                        out.print(response.reply());
                    }
                    out.println(Footnotes.format(response.sources()).replace("-# ", ""));
                    ok[0] = true;
                }

                @Override
                public void error(String type, String message) {
                    out.println();
                    err.println(ErrorText.ofEvent(type, message, ErrorText.Reader.OPERATOR));
                }
            });
        } catch (UpstreamException e) {
            if (streamed[0]) {
                out.println();
            }
            err.println(ErrorText.of(e, ErrorText.Reader.OPERATOR));
        }
        return ok[0];
    }
}
