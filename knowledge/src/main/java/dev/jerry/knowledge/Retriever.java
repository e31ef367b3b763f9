package dev.jerry.knowledge;

import dev.jerry.kit.api.SearchResult;
import dev.jerry.knowledge.lexical.LexicalIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
     * @param listingWeight what a chunk that looks like a table of contents or an index keeps of its score
     */
    public record Fusion(
            int depth,
            double k,
            double denseWeight,
            double lexicalWeight,
            double pageSupport,
            double literalWeight,
            double listingWeight) {
        public static final Fusion DEFAULT = new Fusion(40, 20, 1.0, 1.0, 0.0, 1.0, 0.5);
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
    private final FileHashes fileHashes;
    /** Virtual threads: the embedding and the lexical side of one search run beside Chroma's dense query. */
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    public Retriever(KnowledgeStore store) {
        this(store, new LexicalIndexes(store), Fusion.DEFAULT);
    }

    public Retriever(KnowledgeStore store, LexicalIndexes lexical, Fusion fusion) {
        this.store = store;
        this.lexical = lexical;
        this.fusion = fusion;
        this.fileHashes = new FileHashes(store);
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
        // the query is embedded (CPU, or model-service) while Chroma and the lexical index are asked what they can be
        // asked without it
        Future<float[]> embedding = background.submit(() -> store.embeddings()
                .embed(List.of(store.embeddings().queryInstruction() + query.text()))
                .getFirst());
        ChromaClient.Collection chunks;
        Future<LexicalSide> lexicalSide;
        try {
            chunks = store.openForReading(collection);
            ChromaClient.Collection opened = chunks;
            lexicalSide = background.submit(() -> lexicalSide(opened, query));
        } catch (RuntimeException e) {
            embedding.cancel(true);
            throw e;
        }
        float[] vector = join(embedding);
        List<ChromaClient.Record> dense =
                store.chroma().query(chunks, vector, fusion.depth(), where(query.source(), query.tags()));
        LexicalSide lexicalHits = join(lexicalSide);

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
        for (LexicalIndex.Hit hit : lexicalHits.hits()) {
            fused.merge(hit.id(), fusion.lexicalWeight() / (fusion.k() + hit.rank()), Double::sum);
            foundBy.computeIfAbsent(hit.id(), id -> new ArrayList<>()).add("lexical");
            if (!records.containsKey(hit.id())) {
                lexicalOnly.add(hit.id());
            }
        }
        for (LexicalIndex.Hit hit : lexicalHits.literal()) {
            fused.merge(hit.id(), fusion.literalWeight() / (fusion.k() + hit.rank()), Double::sum);
            List<String> by = foundBy.computeIfAbsent(hit.id(), id -> new ArrayList<>());
            if (!by.contains("lexical")) {
                by.add("lexical");
            }
            if (!records.containsKey(hit.id()) && !lexicalOnly.contains(hit.id())) {
                lexicalOnly.add(hit.id());
            }
        }
        // what only the lexical index proposed was read from Chroma (a chunk deleted since is simply not there), the
        // vectors of its best hits with it; the others' vectors are read when min_score needs them now, else only for
        // the results that lack one (vectors are the bulk)
        boolean eager = query.minScore() > 0;
        List<ChromaClient.Record> fetched = lexicalHits.records().stream()
                .filter(r -> lexicalOnly.contains(r.id()))
                .toList();
        if (eager) {
            List<String> lacking = fetched.stream()
                    .filter(r -> r.embedding() == null)
                    .map(ChromaClient.Record::id)
                    .toList();
            Map<String, ChromaClient.Record> complete = new HashMap<>();
            store.chroma().getWithEmbeddings(chunks, lacking).forEach(r -> complete.put(r.id(), r));
            fetched =
                    fetched.stream().map(r -> complete.getOrDefault(r.id(), r)).toList();
        }
        for (ChromaClient.Record r : fetched) {
            records.put(r.id(), r);
            similarity.put(r.id(), r.embedding() == null ? Double.NaN : cosine(vector, r.embedding()));
        }
        List<Candidate> candidates = new ArrayList<>();
        for (ChromaClient.Record r :
                fileHashes.vouched(collection, FileHashes.version(chunks), new ArrayList<>(records.values()))) {
            double sim = similarity.get(r.id());
            if (Double.isNaN(sim) || sim >= query.minScore()) {
                double score = fused.get(r.id());
                if (Listings.looksLikeListing(r.document())) {
                    score *= fusion.listingWeight();
                }
                candidates.add(new Candidate(r, sim, score, foundBy.get(r.id())));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::fused).reversed());
        List<Candidate> selected = query.chunks() ? chunks(candidates, query.topK()) : pages(candidates, query.topK());
        return withSimilarity(chunks, vector, selected, query.minScore()).stream()
                .map(c -> result(c, c.foundBy()))
                .toList();
    }

    /** What the lexical index found, with those chunks as Chroma holds them now (text and metadata, no vectors). */
    private record LexicalSide(
            List<LexicalIndex.Hit> hits, List<LexicalIndex.Hit> literal, List<ChromaClient.Record> records) {}

    private LexicalSide lexicalSide(ChromaClient.Collection chunks, Query query) {
        LexicalIndex index = lexical.forSearch(chunks);
        List<LexicalIndex.Hit> hits = index.search(query.text(), fusion.depth(), query.source(), query.tags());
        List<LexicalIndex.Hit> literal = index.literal(query.text(), fusion.depth(), query.source(), query.tags());
        // the best of each come with their vectors (a result needs its similarity), read while the query is embedded
        Set<String> best = new LinkedHashSet<>();
        hits.stream().limit(query.topK()).forEach(h -> best.add(h.id()));
        literal.stream().limit(query.topK()).forEach(h -> best.add(h.id()));
        Set<String> rest = new LinkedHashSet<>();
        hits.forEach(h -> rest.add(h.id()));
        literal.forEach(h -> rest.add(h.id()));
        rest.removeAll(best);
        List<ChromaClient.Record> records =
                new ArrayList<>(store.chroma().getWithEmbeddings(chunks, List.copyOf(best)));
        if (!rest.isEmpty()) {
            records.addAll(store.chroma().get(chunks, null, List.copyOf(rest), true, rest.size(), 0));
        }
        return new LexicalSide(hits, literal, records);
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
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
