package dev.jerry.knowledge.document;

import dev.langchain4j.model.TokenCountEstimator;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a page's text into chunks of at most {@code maxTokens} tokens (as the embedding model counts them), on
 * sentence boundaries, each starting with the last sentences of the previous one (up to {@code overlapTokens}). A
 * sentence longer than a chunk is cut at word boundaries, and a "word" longer than {@link #maxChars()} (a run of text
 * without spaces: base64, a minified file) is cut by length, so no chunk ever exceeds {@link #maxChars()} characters.
 * Chunks never cross pages, so each keeps its page.
 */
public final class Chunker {
    /** Characters per token allowed at most: English prose runs at about 4-5, so this only bites on odd text. */
    private static final int MAX_CHARS_PER_TOKEN = 8;

    private final TokenCountEstimator tokens;
    private final int maxTokens;
    private final int overlapTokens;

    public Chunker(TokenCountEstimator tokens, int maxTokens, int overlapTokens) {
        if (maxTokens < 16 || overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException("chunk size must be ≥ 16 tokens and the overlap under half of it");
        }
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
    }

    /**
     * Changes whenever the same text would be cut differently (the algorithm's generation, sizes), so that the next
     * run notices collections cut by an older chunker and rebuilds them. Generation 1 had no version recorded;
     * generation 3 cuts at section boundaries and embeds each chunk with its title and section path; generation 4 also
     * finds the sections of PDFs without an outline by their printed headings.
     */
    public static final int GENERATION = 4;

    public String version() {
        return GENERATION + "/" + maxTokens + "/" + overlapTokens;
    }

    /** The hard limit of a chunk's length in characters, whatever the text. */
    public int maxChars() {
        return maxTokens * MAX_CHARS_PER_TOKEN;
    }

    private record Sentence(String text, int tokens) {}

    public List<String> chunks(String text) {
        List<Sentence> sentences = sentences(text.replaceAll("\\s+", " ").strip());
        List<String> chunks = new ArrayList<>();
        List<Sentence> current = new ArrayList<>();
        int size = 0;
        for (Sentence sentence : sentences) {
            if (size + sentence.tokens() > maxTokens && !current.isEmpty()) {
                chunks.add(join(current));
                current = overlap(current);
                size = current.stream().mapToInt(Sentence::tokens).sum();
            }
            current.add(sentence);
            size += sentence.tokens();
        }
        // after every flush the loop adds a new sentence, so what is left always holds new text
        if (!current.isEmpty()) {
            chunks.add(join(current));
        }
        return chunks;
    }

    /** The sentences of a text; one longer than a chunk is cut into chunk-sized runs of words. */
    private List<Sentence> sentences(String text) {
        List<Sentence> sentences = new ArrayList<>();
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        boundaries.setText(text);
        int start = boundaries.first();
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            String sentence = text.substring(start, end).strip();
            if (sentence.isEmpty()) {
                continue;
            }
            int count = sentence.length() > maxChars() ? Integer.MAX_VALUE : tokens.estimateTokenCountInText(sentence);
            if (count <= maxTokens) {
                sentences.add(new Sentence(sentence, count));
            } else {
                sentences.addAll(cut(sentence));
            }
        }
        return sentences;
    }

    private List<Sentence> cut(String sentence) {
        List<Sentence> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (String word : words(sentence)) {
            String candidate = piece.isEmpty() ? word : piece + " " + word;
            if ((candidate.length() > maxChars() || tokens.estimateTokenCountInText(candidate) > maxTokens)
                    && !piece.isEmpty()) {
                pieces.add(new Sentence(piece.toString(), tokens.estimateTokenCountInText(piece.toString())));
                piece = new StringBuilder(word);
            } else {
                piece = new StringBuilder(candidate);
            }
        }
        if (!piece.isEmpty()) {
            pieces.add(new Sentence(piece.toString(), tokens.estimateTokenCountInText(piece.toString())));
        }
        return pieces;
    }

    /** The words of a sentence, each word longer than allowed cut into pieces that fit in a chunk. */
    private List<String> words(String sentence) {
        List<String> words = new ArrayList<>();
        for (String word : sentence.split(" ")) {
            for (int at = 0; at < word.length(); at += maxChars()) {
                halves(word.substring(at, Math.min(word.length(), at + maxChars())), words);
            }
        }
        return words;
    }

    /** Adds {@code run}, or its halves (recursively) while it holds more tokens than a chunk. */
    private void halves(String run, List<String> out) {
        // a token covers at least one character, so a run no longer than the token limit needs no counting
        if (run.length() <= maxTokens || tokens.estimateTokenCountInText(run) <= maxTokens) {
            out.add(run);
            return;
        }
        halves(run.substring(0, run.length() / 2), out);
        halves(run.substring(run.length() / 2), out);
    }

    /** The trailing sentences of a chunk that fit in the overlap, to start the next one. */
    private List<Sentence> overlap(List<Sentence> chunk) {
        List<Sentence> tail = new ArrayList<>();
        int size = 0;
        for (int i = chunk.size() - 1; i >= 0; i--) {
            if (size + chunk.get(i).tokens() > overlapTokens) {
                break;
            }
            tail.addFirst(chunk.get(i));
            size += chunk.get(i).tokens();
        }
        return tail;
    }

    private static String join(List<Sentence> sentences) {
        return String.join(" ", sentences.stream().map(Sentence::text).toList());
    }
}
