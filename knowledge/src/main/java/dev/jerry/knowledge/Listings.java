package dev.jerry.knowledge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the text of a table of contents or a back-of-book index: it names many topics at once, so both rankings
 * like it, but it is never the page that answers. Told apart by its shape only: dot leaders ({@code Plot . . . . 12})
 * or a high share of bare page numbers ({@code datastrings, 33, 124 date specifiers, 152}).
 */
final class Listings {
    private static final Pattern DOT_LEADER = Pattern.compile("(?:\\. ?){5,}");
    private static final Pattern PAGE_NUMBER = Pattern.compile("\\d{1,4}[,.;]?");
    private static final int MIN_DOT_LEADERS = 3;
    private static final double MIN_NUMBER_SHARE = 0.2;

    private Listings() {}

    static boolean looksLikeListing(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        Matcher leaders = DOT_LEADER.matcher(text);
        int count = 0;
        while (leaders.find()) {
            if (++count >= MIN_DOT_LEADERS) {
                return true;
            }
        }
        String[] words = text.strip().split("\\s+");
        int numbers = 0;
        for (String word : words) {
            if (PAGE_NUMBER.matcher(word).matches()) {
                numbers++;
            }
        }
        return words.length >= 10 && numbers >= MIN_NUMBER_SHARE * words.length;
    }
}
