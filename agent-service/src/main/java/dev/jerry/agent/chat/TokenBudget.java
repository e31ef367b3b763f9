package dev.jerry.agent.chat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many tokens a prompt may take and what a text costs, calibrated against model-service's own tokenizer: every
 * answer reports the prompt's real token count, so the characters-per-token ratio is learned from the model actually
 * serving (a chat model with a 32k vocabulary: about 4; the tests' tiny model: about 1). It starts pessimistic, moves
 * toward what it sees but only slowly away from caution, and a context overflow resets it from the exact numbers in
 * model-service's refusal. The context size comes from model-service ({@code /api/show}) or an overflow report.
 */
final class TokenBudget {
    /** Until model-service says otherwise. */
    static final int DEFAULT_CONTEXT = 4096;
    /** Pessimistic start: byte-level tokenizers need one token per character or so, chat models fewer. */
    static final double START_CHARS_PER_TOKEN = 1.5;
    /** Tokens a message costs beyond its text (role markers of the chat template). */
    static final int PER_MESSAGE = 6;

    private static final Pattern OVERFLOW =
            Pattern.compile("prompt is (\\d+) tokens; the context of model '[^']*' holds (\\d+) tokens");

    /** model-service's refusal of a prompt over the context, with its numbers. */
    record Overflow(int promptTokens, int contextTokens) {
        static java.util.Optional<Overflow> in(String message) {
            if (message == null) {
                return java.util.Optional.empty();
            }
            Matcher m = OVERFLOW.matcher(message);
            return m.find()
                    ? java.util.Optional.of(new Overflow(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                    : java.util.Optional.empty();
        }
    }

    private final AtomicInteger contextTokens = new AtomicInteger(DEFAULT_CONTEXT);
    private final AtomicLong charsPerTokenMilli = new AtomicLong(Math.round(START_CHARS_PER_TOKEN * 1000));
    private volatile boolean contextKnown;

    boolean contextKnown() {
        return contextKnown;
    }

    void context(int tokens) {
        if (tokens > 0) {
            contextTokens.set(tokens);
            contextKnown = true;
        }
    }

    int contextTokens() {
        return contextTokens.get();
    }

    double charsPerToken() {
        return charsPerTokenMilli.get() / 1000.0;
    }

    /** A message's cost. */
    int tokens(String text) {
        return (int) Math.ceil((text == null ? 0 : text.length()) / charsPerToken()) + PER_MESSAGE;
    }

    /**
     * What a whole prompt may cost: the context less room for the answer (a quarter, at most 1024 tokens) and a tenth
     * for the error of the estimate. A {@code tight} prompt (the retry after an overflow) gets half of that.
     */
    int promptTokens(boolean tight) {
        int context = contextTokens();
        int budget = (int) ((context - answerTokens()) * 0.9);
        return tight ? budget / 2 : budget;
    }

    /** The longest answer asked for: what the prompt budget leaves room for. */
    int answerTokens() {
        return Math.min(1024, contextTokens() / 4);
    }

    /** model-service counted {@code promptTokens} for a prompt of {@code promptChars} characters. */
    void observed(long promptChars, int promptTokens) {
        if (promptTokens <= 0 || promptChars <= 0) {
            return;
        }
        long seen = Math.max(100, Math.round(1000.0 * promptChars / promptTokens));
        // toward caution at once, away from it slowly
        charsPerTokenMilli.updateAndGet(now -> seen < now ? seen : (3 * now + seen) / 4);
    }

    /** A prompt of {@code promptChars} characters was refused as over the context. */
    void overflowed(long promptChars, Overflow overflow) {
        context(overflow.contextTokens());
        if (promptChars > 0 && overflow.promptTokens() > 0) {
            long seen = Math.max(100, Math.round(1000.0 * promptChars / overflow.promptTokens()));
            charsPerTokenMilli.updateAndGet(now -> Math.min(now, seen));
        }
    }
}
