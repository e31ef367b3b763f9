package dev.jerry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.ingestion.DocumentFinder;
import dev.jerry.ingestion.Ingester;
import dev.jerry.kit.api.SearchResult;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.LexicalIndexes;
import dev.jerry.knowledge.Retriever;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import dev.jerry.testing.ChromaServer;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Retrieval quality on real manuals (bench/eval/manuals, PDFs from {@code bench/fetch-manuals.sh}): recall@5, MRR@10
 * and nDCG@10 per manual and per split, for Jerry's pipeline (the real ingestion job, then hybrid page-aware
 * retrieval) and, in the same run over the same page texts, two baselines: the same embedder over plain 200-word
 * chunks (cosine, top chunks as they come) and plain BM25 over whole pages.
 *
 * <p>Run: {@code java -cp bench/target/bench.jar dev.jerry.bench.RetrievalBench [dev|test|all] [fusion...]} where a
 * fusion is {@code depth,k,denseWeight,lexicalWeight,pageSupport[,literalWeight[,listingWeight]]}; several are compared in one run (tuning: dev only).
 */
public final class RetrievalBench {
    private record Question(String manual, String split, String text, Set<Integer> pages) {}

    /** A ranked list of (source, page), best first. */
    private interface Ranker {
        List<String> rank(String question);
    }

    private RetrievalBench() {}

    public static void main(String[] args) throws Exception {
        String split = args.length > 0 ? args[0] : "all";
        List<Retriever.Fusion> fusions = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            double[] v = Arrays.stream(args[i].split(","))
                    .mapToDouble(Double::parseDouble)
                    .toArray();
            fusions.add(new Retriever.Fusion(
                    (int) v[0], v[1], v[2], v[3], v[4], v.length > 5 ? v[5] : 1.0, v.length > 6 ? v[6] : 1.0));
        }
        if (fusions.isEmpty()) {
            fusions.add(Retriever.Fusion.DEFAULT);
        }
        Path manuals = Path.of("bench/target/manuals");
        Path eval = Path.of("bench/eval/manuals");
        List<Question> questions = questions(eval, split);
        // tuning runs may keep Chroma's data between runs (-Dbench.chroma=DIR): unchanged manuals are not ingested
        // again
        String kept = System.getProperty("bench.chroma");
        ChromaServer chroma =
                kept == null ? ChromaServer.start() : ChromaServer.start(Files.createDirectories(Path.of(kept)));
        try {
            InProcessEmbeddings embeddings = new InProcessEmbeddings();
            KnowledgeStore store =
                    new KnowledgeStore(new ChromaClient(chroma.baseUrl(), new ServiceMetrics("bench")), embeddings);
            Path docs = kept == null ? Files.createTempDirectory("manuals-") : Path.of(kept + "-docs");
            Files.createDirectories(docs);
            // tuning on dev must see the whole collection (-Dbench.collection=all): the test manuals' pages compete
            // for the top ranks in real use, though their questions are never asked
            List<String> ingested = "all".equals(System.getProperty("bench.collection"))
                    ? questions(eval, "all").stream()
                            .map(Question::manual)
                            .distinct()
                            .toList()
                    : questions.stream().map(Question::manual).distinct().toList();
            for (String manual : ingested) {
                if (!Files.exists(docs.resolve(manual))) {
                    Files.copy(manuals.resolve(manual), docs.resolve(manual));
                }
            }
            ingest(store, docs);
            Map<String, List<String>> pageTexts = pageTexts(docs);
            Map<String, Ranker> rankers = new LinkedHashMap<>();
            for (Retriever.Fusion fusion : fusions) {
                Retriever retriever = new Retriever(store, new LexicalIndexes(store), fusion);
                rankers.put(
                        "jerry " + fusion,
                        q -> retriever.search("manuals", q, 10, 0, null, List.of()).stream()
                                .map(RetrievalBench::key)
                                .toList());
            }
            if (System.getProperty("bench.dump") != null) {
                dump(store, questions, Path.of(System.getProperty("bench.dump")));
            }
            if (Boolean.getBoolean("bench.explain")) {
                explain(new Retriever(store, new LexicalIndexes(store), fusions.getFirst()), questions);
            }
            if (!Boolean.getBoolean("bench.noBaselines")) {
                rankers.put("dense 200-word chunks", denseBaseline(store, pageTexts));
                rankers.put("bm25 whole pages", bm25Baseline(pageTexts));
            }
            for (var ranker : rankers.entrySet()) {
                report(ranker.getKey(), ranker.getValue(), questions);
            }
        } finally {
            if (kept == null) {
                chroma.close();
            }
        }
        System.exit(0);
    }

    private static String key(SearchResult r) {
        return r.source() + "#" + r.page();
    }

    private static List<Question> questions(Path eval, String wanted) throws Exception {
        List<Question> questions = new ArrayList<>();
        for (String line : Files.readAllLines(eval.resolve("split.txt"))) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2 || !(wanted.equals("all") || wanted.equals(parts[0]))) {
                continue;
            }
            String manual = parts[1];
            Path file = eval.resolve(manual.replace(".pdf", ".jsonl"));
            for (String q : Files.readAllLines(file)) {
                if (q.isBlank()) {
                    continue;
                }
                JsonNode node = Json.mapper().readTree(q);
                Set<Integer> pages = new java.util.TreeSet<>();
                node.path("pages").forEach(p -> pages.add(p.asInt()));
                questions.add(new Question(manual, parts[0], node.path("q").asText(), pages));
            }
        }
        return questions;
    }

    private static void ingest(KnowledgeStore store, Path docs) {
        // tuning may try other chunk sizes (-Dbench.chunk=TOKENS,OVERLAP); the default is the ingestion job's
        int[] chunkSize = Arrays.stream(
                        System.getProperty("bench.chunk", "200,40").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        Ingester ingester = new Ingester(
                store,
                new DocumentReader(),
                new Chunker(new HuggingFaceTokenCountEstimator(), chunkSize[0], chunkSize[1]),
                Ingester.Listener.NONE);
        Ingester.Summary s = ingester.run(
                new DocumentFinder().find(List.of(docs)).found(),
                new Ingester.Options("manuals", false, false, List.of()));
        double seconds = s.took().toMillis() / 1000.0;
        System.out.printf(
                "ingested %d manuals, %d pages, %d chunks in %.1f s (%.1f pages/s); time: %s%n",
                s.seen(),
                s.timings().pages(),
                s.chunksUpserted(),
                seconds,
                s.timings().pages() / seconds,
                s.timings().shares());
    }

    /** Each manual's page texts, as PDFBox extracts them (the same text the ingestion job reads). */
    private static Map<String, List<String>> pageTexts(Path docs) throws Exception {
        Map<String, List<String>> texts = new TreeMap<>();
        try (var files = Files.list(docs)) {
            for (Path pdf : files.sorted().toList()) {
                try (PDDocument document = Loader.loadPDF(new File(pdf.toString()))) {
                    PDFTextStripper stripper = new PDFTextStripper();
                    List<String> pages = new ArrayList<>();
                    for (int p = 1; p <= document.getNumberOfPages(); p++) {
                        stripper.setStartPage(p);
                        stripper.setEndPage(p);
                        pages.add(stripper.getText(document));
                    }
                    texts.put(pdf.getFileName().toString(), pages);
                }
            }
        }
        return texts;
    }

    /** The same embedder over plain 200-word chunks of each page, nearest chunks first, pages as they come. */
    private static Ranker denseBaseline(KnowledgeStore store, Map<String, List<String>> pageTexts) {
        ChromaClient chroma = store.chroma();
        ChromaClient.Collection collection = chroma.getOrCreate("baseline-words", Map.of("kind", "baseline"));
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Map<String, Object>> metas = new ArrayList<>();
        pageTexts.forEach((manual, pages) -> {
            for (int p = 0; p < pages.size(); p++) {
                String[] words = pages.get(p).strip().split("\\s+");
                for (int w = 0; w < words.length; w += 200) {
                    String text = String.join(" ", Arrays.copyOfRange(words, w, Math.min(words.length, w + 200)));
                    if (!text.isBlank()) {
                        ids.add(manual + "#" + (p + 1) + "#" + w);
                        texts.add(text);
                        metas.add(Map.of("source", manual, "page", p + 1));
                    }
                }
            }
        });
        for (int i = 0; i < ids.size(); i += 64) {
            int end = Math.min(ids.size(), i + 64);
            chroma.upsert(
                    collection,
                    ids.subList(i, end),
                    store.embeddings().embed(texts.subList(i, end)),
                    texts.subList(i, end),
                    metas.subList(i, end));
        }
        return q -> chroma
                .query(collection, store.embeddings().embed(List.of(q)).getFirst(), 10, null)
                .stream()
                .map(r -> r.metadata().get("source") + "#"
                        + ((Number) r.metadata().get("page")).intValue())
                .toList();
    }

    /** Plain BM25 (Lucene's standard analyzer) over whole pages. */
    private static Ranker bm25Baseline(Map<String, List<String>> pageTexts) throws Exception {
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        StandardAnalyzer analyzer = new StandardAnalyzer();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (var manual : pageTexts.entrySet()) {
                for (int p = 0; p < manual.getValue().size(); p++) {
                    Document doc = new Document();
                    doc.add(new StringField("key", manual.getKey() + "#" + (p + 1), Field.Store.YES));
                    doc.add(new StoredField("unused", 0));
                    doc.add(new TextField("text", manual.getValue().get(p), Field.Store.NO));
                    writer.addDocument(doc);
                }
            }
        }
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(directory));
        return q -> {
            try {
                Query query = new QueryBuilder(analyzer).createBooleanQuery("text", q, BooleanClause.Occur.SHOULD);
                List<String> keys = new ArrayList<>();
                for (ScoreDoc d : searcher.search(query, 10).scoreDocs) {
                    keys.add(searcher.storedFields().document(d.doc).get("key"));
                }
                return keys;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /**
     * For tuning: the dev questions whose gold page is not first, with what came before it. Test questions are never
     * shown (the test split is read only for its scores).
     */
    private static void explain(Retriever retriever, List<Question> questions) {
        for (Question q : questions) {
            if (!q.split().equals("dev")) {
                continue;
            }
            List<SearchResult> results = retriever.search("manuals", q.text(), 10, 0, null, List.of());
            if (!results.isEmpty() && q.pages().contains(results.getFirst().page())) {
                continue;
            }
            System.out.printf("%n? %s  gold %s%n", q.text(), q.pages());
            for (SearchResult r : results.subList(0, Math.min(6, results.size()))) {
                String text = r.text().replaceAll("\\s+", " ");
                System.out.printf(
                        "  %s p%-4d %s %s | %s | %s%n",
                        q.pages().contains(r.page()) ? "*" : " ",
                        r.page(),
                        r.source(),
                        r.foundBy(),
                        r.section(),
                        text.substring(0, Math.min(110, text.length())));
            }
        }
    }

    /** For tuning: each dev question's candidates from both rankings with their scores, as JSON lines. */
    private static void dump(KnowledgeStore store, List<Question> questions, Path out) throws Exception {
        ChromaClient.Collection collection = store.openForReading("manuals");
        var index = new LexicalIndexes(store).current("manuals");
        List<String> lines = new ArrayList<>();
        for (Question q : questions) {
            if (!q.split().equals("dev")) {
                continue;
            }
            float[] vector = store.embeddings()
                    .embed(List.of(store.embeddings().queryInstruction() + q.text()))
                    .getFirst();
            Map<String, Map<String, Object>> c = new LinkedHashMap<>();
            List<ChromaClient.Record> dense = store.chroma().query(collection, vector, 100, null);
            for (int i = 0; i < dense.size(); i++) {
                ChromaClient.Record r = dense.get(i);
                Map<String, Object> m = new LinkedHashMap<>(r.metadata());
                m.put("text", r.document());
                m.put("dense_rank", i + 1);
                m.put("sim", 1 - r.distance());
                c.put(r.id(), m);
            }
            for (var hit : index.search(q.text(), 100, null, List.of())) {
                c.computeIfAbsent(hit.id(), id -> new LinkedHashMap<>()).put("lex_rank", hit.rank());
                c.get(hit.id()).put("bm25", hit.score());
            }
            for (var hit : index.literal(q.text(), 100, null, List.of())) {
                c.computeIfAbsent(hit.id(), id -> new LinkedHashMap<>()).put("lit_rank", hit.rank());
            }
            List<String> missing = c.entrySet().stream()
                    .filter(e -> !e.getValue().containsKey("text"))
                    .map(Map.Entry::getKey)
                    .toList();
            for (ChromaClient.Record r : store.chroma().getWithEmbeddings(collection, missing)) {
                Map<String, Object> m = c.get(r.id());
                m.putAll(r.metadata());
                m.put("text", r.document());
                double dot = 0;
                for (int i = 0; i < vector.length; i++) {
                    dot += vector[i] * r.embedding()[i];
                }
                m.put("sim", dot);
            }
            lines.add(Json.mapper()
                    .writeValueAsString(
                            Map.of("q", q.text(), "manual", q.manual(), "gold", q.pages(), "candidates", c)));
        }
        Files.write(out, lines);
    }

    /** Prints recall@5, MRR@10, nDCG@10 per manual, per split and overall. */
    private static void report(String name, Ranker ranker, List<Question> questions) {
        Map<String, double[]> sums = new TreeMap<>();
        for (Question q : questions) {
            List<String> ranked = ranker.rank(q.text());
            Set<String> gold = q.pages().stream().map(p -> q.manual() + "#" + p).collect(Collectors.toSet());
            double recall = ranked.stream().limit(5).anyMatch(gold::contains) ? 1 : 0;
            double rr = 0;
            double dcg = 0;
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < Math.min(10, ranked.size()); i++) {
                String k = ranked.get(i);
                if (gold.contains(k) && seen.add(k)) {
                    rr = rr == 0 ? 1.0 / (i + 1) : rr;
                    dcg += 1 / (Math.log(i + 2) / Math.log(2));
                }
            }
            double ideal = 0;
            for (int i = 0; i < Math.min(10, gold.size()); i++) {
                ideal += 1 / (Math.log(i + 2) / Math.log(2));
            }
            double[] m = {recall, rr, dcg / ideal, 1};
            for (String group : List.of(q.split() + " " + q.manual(), q.split() + " (all)", "overall")) {
                double[] s = sums.computeIfAbsent(group, g -> new double[4]);
                for (int i = 0; i < 4; i++) {
                    s[i] += m[i];
                }
            }
        }
        System.out.println(name);
        sums.forEach((group, s) -> System.out.printf(
                "  %-22s n=%3d  recall@5 %.3f  MRR@10 %.3f  nDCG@10 %.3f%n",
                group, (int) s[3], s[0] / s[3], s[1] / s[3], s[2] / s[3]));
    }
}
