package dev.jerry.kit.api;

import java.util.List;

/**
 * One retrieved page (or, on request, one chunk) with what is needed to cite it.
 *
 * @param chunkId the chunk that matched best on this page
 * @param text that chunk's text
 * @param score cosine similarity of that chunk to the query
 * @param section the section the chunk belongs to, when the document has a known structure
 * @param foundBy which rankings found the page: {@code dense}, {@code lexical}
 */
public record SearchResult(
        String chunkId,
        String text,
        double score,
        String source,
        int page,
        String title,
        String section,
        List<String> foundBy) {
    public SearchResult {
        foundBy = foundBy == null ? List.of() : List.copyOf(foundBy);
    }

    public SearchResult(String chunkId, String text, double score, String source, int page, String title) {
        this(chunkId, text, score, source, page, title, null, List.of());
    }
}
