package dev.jerry.bot;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an answer into Discord messages of at most {@link #LIMIT} characters: at a paragraph break if one is in
 * reach, else a line break, a sentence end, a space, and only then anywhere. A cut never falls inside a code block
 * when the block fits in a message; a block longer than a message is closed at the end of one part and reopened
 * (with its language) at the start of the next, so every part renders as valid Markdown.
 */
public final class MessageSplitter {
    /** Discord's limit for a message's content. */
    public static final int LIMIT = 2000;

    private static final String FENCE = "```";
    private static final String CLOSE = "\n" + FENCE;

    private MessageSplitter() {}

    public static List<String> split(String text) {
        return split(text, LIMIT);
    }

    public static List<String> split(String text, int limit) {
        if (limit < 40) {
            throw new IllegalArgumentException("limit must be at least 40, got " + limit);
        }
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        String reopen = null; // the fence line to reopen with when the previous part ended inside a code block
        while (!rest.isEmpty()) {
            String prefix = reopen == null ? "" : reopen + "\n";
            if (prefix.length() + rest.length() <= limit) {
                parts.add(prefix + rest);
                break;
            }
            int budget = limit - prefix.length() - CLOSE.length();
            Scan scan = new Scan(rest, budget, reopen);
            int cut = scan.bestCut();
            String piece = rest.substring(0, cut).stripTrailing();
            String openFence = scan.fenceOpenAt(cut);
            if (openFence != null) {
                parts.add(prefix + piece + CLOSE);
                reopen = openFence;
                rest = rest.substring(cut);
                rest = rest.startsWith("\n") ? rest.substring(1) : rest;
            } else {
                parts.add(prefix + piece);
                reopen = null;
                rest = rest.substring(cut).strip();
            }
        }
        return parts;
    }

    /** One pass over the first {@code budget} characters, noting code fences and candidate cuts. */
    private static final class Scan {
        private final String text;
        private final int budget;
        private final String initialFence;
        private int paragraph = -1;
        private int line = -1;
        private int sentence = -1;
        private int space = -1;
        private int lineInCode = -1;
        private boolean endsInCode;

        Scan(String text, int budget, String openFence) {
            this.text = text;
            this.budget = Math.min(budget, text.length());
            this.initialFence = openFence;
            scan();
        }

        private void scan() {
            boolean inCode = initialFence != null;
            int i = 0;
            while (i < budget) {
                int end = text.indexOf('\n', i);
                if (end < 0) {
                    end = text.length();
                }
                String content = text.substring(i, end);
                boolean fence = content.stripLeading().startsWith(FENCE);
                if (!inCode && !fence) {
                    for (int j = i; j < Math.min(end, budget); j++) {
                        char c = text.charAt(j);
                        if (c == ' ' && j > 0) {
                            space = j;
                            char before = text.charAt(j - 1);
                            if (before == '.' || before == '!' || before == '?') {
                                sentence = j;
                            }
                        }
                    }
                }
                if (fence) {
                    inCode = !inCode;
                }
                if (end >= budget) {
                    break;
                }
                // a cut at 'end' (before the newline) ends this line
                if (inCode) {
                    lineInCode = end;
                } else {
                    line = end;
                    if (end + 1 < text.length() && text.charAt(end + 1) == '\n') {
                        paragraph = end;
                    }
                }
                i = end + 1;
            }
            endsInCode = inCode;
        }

        int bestCut() {
            int least = budget / 3;
            for (int candidate : new int[] {paragraph, line, sentence}) {
                if (candidate >= least) {
                    return candidate;
                }
            }
            if (endsInCode && line > 0) {
                return line; // before the code block: it may fit in the next message whole
            }
            if (lineInCode > 0) {
                return lineInCode;
            }
            if (space >= least) {
                return space;
            }
            return Math.max(1, budget);
        }

        /** The fence line that is open at {@code cut}, or null when the cut is outside a code block. */
        String fenceOpenAt(int cut) {
            String open = initialFence;
            int i = 0;
            while (i < cut) {
                int end = text.indexOf('\n', i);
                if (end < 0) {
                    end = text.length();
                }
                String content = text.substring(i, end).strip();
                if (content.startsWith(FENCE)) {
                    open = open == null ? content : null;
                }
                i = end + 1;
            }
            return open;
        }
    }
}
