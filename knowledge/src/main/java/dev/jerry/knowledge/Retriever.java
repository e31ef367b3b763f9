package dev.jerry.knowledge;

import dev.jerry.kit.api.SearchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds the chunks nearest a question, with their citations, optionally only from a source or with tags. */
public final class Retriever {
    private final KnowledgeStore store;

    public Retriever(KnowledgeStore store) {
        this.store = store;
    }

    /**
     * @param minScore cosine similarity below which results are dropped
     * @param source only chunks of this document, or null
     * @param tags only chunks with all these tags
     */
    public List<SearchResult> search(
            String collection, String query, int topK, double minScore, String source, List<String> tags) {
        ChromaClient.Collection chunks = store.openForReading(collection);
        float[] vector = store.embeddings().embed(List.of(query)).getFirst();
        List<SearchResult> results = new ArrayList<>();
        // more candidates than asked for: chunks of a file whose ingestion did not finish are dropped below
        List<ChromaClient.Record> candidates = store.chroma().query(chunks, vector, topK * 2 + 8, where(source, tags));
        for (ChromaClient.Record record : store.vouched(collection, candidates)) {
            if (results.size() == topK) {
                break;
            }
            double score = 1 - record.distance();
            if (score < minScore) {
                continue;
            }
            Map<String, Object> m = record.metadata();
            results.add(new SearchResult(
                    record.id(),
                    record.document(),
                    Math.round(score * 10_000) / 10_000.0,
                    String.valueOf(m.get("source")),
                    m.get("page") instanceof Number n ? n.intValue() : 0,
                    String.valueOf(m.getOrDefault("title", m.get("source")))));
        }
        return results;
    }

    static Map<String, Object> where(String source, List<String> tags) {
        List<Map<String, Object>> conditions = new ArrayList<>();
        if (source != null && !source.isBlank()) {
            conditions.add(Map.of("source", Map.of("$eq", source)));
        }
        for (String tag : tags == null ? List.<String>of() : tags) {
            conditions.add(Map.of("tag:" + tag, Map.of("$eq", true)));
        }
        if (conditions.isEmpty()) {
            return Map.of();
        }
        if (conditions.size() == 1) {
            return conditions.getFirst();
        }
        Map<String, Object> and = new LinkedHashMap<>();
        and.put("$and", conditions);
        return and;
    }
}
