package dev.jerry.kit.api;

import java.util.List;

/**
 * {@code POST /v1/search} of rag-service.
 *
 * @param topK how many results at most (1-50, default 5)
 * @param minScore cosine similarity below which results are dropped (default 0)
 * @param collection the collection to search; the service's default when absent; never an attachments'
 *     collection ({@link CollectionNames#ATTACHMENTS_PREFIX})
 * @param chunks true for raw chunks (several may come from one page) instead of distinct pages
 */
public record SearchRequest(
        String query, Integer topK, Double minScore, Filter filter, String collection, Boolean chunks) {
    public static final int MAX_QUERY_CHARS = 2000;
    public static final int MAX_TOP_K = 50;

    /** More tags than any document carries; Chroma answered 5,000 with an error (a 502 here). */
    public static final int MAX_TAGS = 32;

    /** Only chunks of one document, and/or with all of the given tags. */
    public record Filter(String source, List<String> tags) {
        public Filter {
            if (tags != null && tags.size() > MAX_TAGS) {
                throw new IllegalArgumentException(
                        "field 'filter.tags' holds " + tags.size() + " tags; the limit is " + MAX_TAGS);
            }
            if (tags != null && tags.stream().anyMatch(tag -> tag == null || tag.isBlank())) {
                throw new IllegalArgumentException("field 'filter.tags' must hold non-empty tags");
            }
        }
    }

    public SearchRequest {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("field 'query' is required");
        }
        if (query.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException(
                    "field 'query' is " + query.length() + " characters; the limit is " + MAX_QUERY_CHARS);
        }
        if (topK != null && (topK < 1 || topK > MAX_TOP_K)) {
            throw new IllegalArgumentException("field 'top_k' must be between 1 and " + MAX_TOP_K + ", got " + topK);
        }
        if (minScore != null && (minScore < -1 || minScore > 1)) {
            throw new IllegalArgumentException("field 'min_score' must be between -1 and 1, got " + minScore);
        }
        if (CollectionNames.reserved(collection)) {
            throw new IllegalArgumentException("field 'collection' " + CollectionNames.reservedReason(collection));
        }
    }

    public SearchRequest(String query, Integer topK, Double minScore, Filter filter, String collection) {
        this(query, topK, minScore, filter, collection, null);
    }

    public static SearchRequest of(String query, int topK) {
        return new SearchRequest(query, topK, null, null, null, null);
    }
}
