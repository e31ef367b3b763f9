package dev.jerry.knowledge;

import dev.jerry.kit.api.SearchResult;
import dev.jerry.knowledge.lexical.LexicalIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hybrid, page-aware retrieval. Two rankings of chunks, the dense one (query embedding, cosine, in Chroma) and the
 * lexical one (BM25 in a {@link LexicalIndexes Lucene index derived from Chroma}), are fused by weighted reciprocal
 * rank; then the chunks of one page support that page instead of crowding the results, and each page comes back once,
 * with its best chunk. Every result is confirmed against Chroma (its text, metadata and vector come from there), and
 * only chunks vouched for by their file record count.
 */
public final class Retriever {
    /**
     * How the rankings are combined; the defaults were chosen on the dev manuals of the retrieval bench.
     *
     * @param depth how many chunks each ranking contributes
     * @param k the reciprocal-rank constant: a chunk at rank r scores weight / (k + r)
     * @param pageSupport how much each further chunk of a page adds, as a share of its own score (0 on dev: the
     *     pages with most chunks matching are tables of contents and indexes)
     * @param literalWeight the weight of a third ranking: chunks holding the query's code-like literals verbatim
     */
    public record Fusion(
            int depth, double k, double denseWeight, double lexicalWeight, double pageSupport, double literalWeight) {
        public static final Fusion DEFAULT = new Fusion(40, 20, 1.0, 1.0, 0.0, 1.0);
    }

    /** A search: the question, how many results, and which chunks may answer. */
    public record Query(String text, int topK, double minScore, String source, List<String> tags, boolean chunks) {
        public Query {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    private record Candidate(ChromaClient.Record record, double similarity, double fused, List<String> foundBy) {}

    private final KnowledgeStore store;
    private final LexicalIndexes lexical;
    private final Fusion fusion;

    public Retriever(KnowledgeStore store) {
        this(store, new LexicalIndexes(store), Fusion.DEFAULT);
    }

    public Retriever(KnowledgeStore store, LexicalIndexes lexical, Fusion fusion) {
        this.store = store;
        this.lexical = lexical;
        this.fusion = fusion;
    }

    public LexicalIndexes lexical() {
        return lexical;
    }

    /** Distinct pages, best first. */
    public List<SearchResult> search(
            String collection, String query, int topK, double minScore, String source, List<String> tags) {
        return search(collection, new Query(query, topK, minScore, source, tags, false));
    }

    public List<SearchResult> search(String collection, Query query) {
        ChromaClient.Collection chunks = store.openForReading(collection);
        float[] vector = store.embeddings().embed(List.of(query.text())).getFirst();
        List<ChromaClient.Record> dense =
                store.chroma().query(chunks, vector, fusion.depth(), where(query.source(), query.tags()));
        LexicalIndex index = lexical.forSearch(chunks);
        List<LexicalIndex.Hit> hits = index.search(query.text(), fusion.depth(), query.source(), query.tags());
        List<LexicalIndex.Hit> literal = index.literal(query.text(), fusion.depth(), query.source(), query.tags());

        Map<String, ChromaClient.Record> records = new LinkedHashMap<>();
        Map<String, Double> similarity = new HashMap<>();
        Map<String, Double> fused = new HashMap<>();
        Map<String, List<String>> foundBy = new HashMap<>();
        for (int i = 0; i < dense.size(); i++) {
            ChromaClient.Record r = dense.get(i);
            records.put(r.id(), r);
            similarity.put(r.id(), 1 - r.distance());
            fused.merge(r.id(), fusion.denseWeight() / (fusion.k() + i + 1), Double::sum);
            foundBy.computeIfAbsent(r.id(), id -> new ArrayList<>()).add("dense");
        }
        List<String> lexicalOnly = new ArrayList<>();
        for (LexicalIndex.Hit hit : hits) {
            fused.merge(hit.id(), fusion.lexicalWeight() / (fusion.k() + hit.rank()), Double::sum);
            foundBy.computeIfAbsent(hit.id(), id -> new ArrayList<>()).add("lexical");
            if (!records.containsKey(hit.id())) {
                lexicalOnly.add(hit.id());
            }
        }
        for (LexicalIndex.Hit hit : literal) {
            fused.merge(hit.id(), fusion.literalWeight() / (fusion.k() + hit.rank()), Double::sum);
            List<String> by = foundBy.computeIfAbsent(hit.id(), id -> new ArrayList<>());
            if (!by.contains("lexical")) {
                by.add("lexical");
            }
            if (!records.containsKey(hit.id()) && !lexicalOnly.contains(hit.id())) {
                lexicalOnly.add(hit.id());
            }
        }
        // what only the lexical index proposed is read from Chroma: a chunk deleted since is simply not there; its
        // vector is read only when min_score needs it now, else only for the results (vectors are the bulk)
        boolean eager = query.minScore() > 0;
        List<ChromaClient.Record> fetched = lexicalOnly.isEmpty()
                ? List.of()
                : eager
                        ? store.chroma().getWithEmbeddings(chunks, lexicalOnly)
                        : store.chroma().get(chunks, null, lexicalOnly, true, lexicalOnly.size(), 0);
        for (ChromaClient.Record r : fetched) {
            records.put(r.id(), r);
            similarity.put(r.id(), eager ? cosine(vector, r.embedding()) : Double.NaN);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (ChromaClient.Record r : store.vouched(collection, new ArrayList<>(records.values()))) {
            double sim = similarity.get(r.id());
            if (Double.isNaN(sim) || sim >= query.minScore()) {
                candidates.add(new Candidate(r, sim, fused.get(r.id()), foundBy.get(r.id())));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::fused).reversed());
        List<Candidate> selected = query.chunks() ? chunks(candidates, query.topK()) : pages(candidates, query.topK());
        return withSimilarity(chunks, vector, selected, query.minScore()).stream()
                .map(c -> result(c, c.foundBy()))
                .toList();
    }

    /** Fills in the cosine similarity of results only the lexical side found, dropping those under min_score. */
    private List<Candidate> withSimilarity(
            ChromaClient.Collection chunks, float[] vector, List<Candidate> selected, double minScore) {
        List<String> missing = selected.stream()
                .filter(c -> Double.isNaN(c.similarity()))
                .map(c -> c.record().id())
                .toList();
        if (missing.isEmpty()) {
            return selected;
        }
        Map<String, Double> similarity = new HashMap<>();
        store.chroma()
                .getWithEmbeddings(chunks, missing)
                .forEach(r -> similarity.put(r.id(), cosine(vector, r.embedding())));
        List<Candidate> complete = new ArrayList<>();
        for (Candidate c : selected) {
            double sim = Double.isNaN(c.similarity())
                    ? similarity.getOrDefault(c.record().id(), 0.0)
                    : c.similarity();
            if (sim >= minScore) {
                complete.add(new Candidate(c.record(), sim, c.fused(), c.foundBy()));
            }
        }
        return complete;
    }

    private static List<Candidate> chunks(List<Candidate> candidates, int topK) {
        return candidates.stream().limit(topK).toList();
    }

    /** Groups chunks by page: the page scores its best chunk plus a share of each other chunk's score. */
    private List<Candidate> pages(List<Candidate> candidates, int topK) {
        record Page(Candidate best, double score, List<String> foundBy) {}
        Map<String, Page> pages = new LinkedHashMap<>();
        for (Candidate c : candidates) { // best first, so the first chunk of a page is its best
            String key = c.record().metadata().get("source") + "\u0000"
                    + c.record().metadata().get("page");
            pages.merge(key, new Page(c, c.fused(), c.foundBy()), (page, more) -> {
                List<String> by = new ArrayList<>(page.foundBy());
                more.foundBy().stream().filter(f -> !by.contains(f)).forEach(by::add);
                return new Page(page.best(), page.score() + fusion.pageSupport() * more.score(), by);
            });
        }
        return pages.values().stream()
                .sorted(Comparator.comparingDouble(Page::score).reversed())
                .limit(topK)
                .map(p -> new Candidate(p.best().record(), p.best().similarity(), p.score(), p.foundBy()))
                .toList();
    }

    private static SearchResult result(Candidate c, List<String> foundBy) {
        Map<String, Object> m = c.record().metadata();
        return new SearchResult(
                c.record().id(),
                c.record().document(),
                Math.round(c.similarity() * 10_000) / 10_000.0,
                String.valueOf(m.get("source")),
                m.get("page") instanceof Number n ? n.intValue() : 0,
                String.valueOf(m.getOrDefault("title", m.get("source"))),
                m.get("section") == null ? null : String.valueOf(m.get("section")),
                List.of("dense", "lexical").stream().filter(foundBy::contains).toList());
    }

    private static double cosine(float[] a, float[] b) {
        if (b == null || b.length != a.length) {
            return 0;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    static ChromaClient.Where where(String source, List<String> tags) {
        List<ChromaClient.Where> conditions = new ArrayList<>();
        if (source != null && !source.isBlank()) {
            conditions.add(ChromaClient.Where.eq("source", source));
        }
        for (String tag : tags == null ? List.<String>of() : tags) {
            conditions.add(ChromaClient.Where.eq("tag:" + tag, true));
        }
        return ChromaClient.Where.all(conditions);
    }
}
