package dev.jerry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.ingestion.DocumentFinder;
import dev.jerry.ingestion.Ingester;
import dev.jerry.kit.api.SearchResult;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.FileLedger;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.Retriever;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.TestPdfs;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Knowledge-base benchmarks (docs/performance.md): ingestion speed and where its time goes, recall@5 on questions
 * about the CIA World Factbook (public domain), and search latency at 10k and 100k chunks. Needs
 * {@code bench/fetch-factbook.sh} first. Run: {@code java -cp bench/target/bench.jar dev.jerry.bench.KnowledgeBench}.
 */
public final class KnowledgeBench {
    private record Question(String text, String source, String kind) {}

    private KnowledgeBench() {}

    public static void main(String[] args) throws Exception {
        Path factbook = Path.of(args.length > 0 ? args[0] : "bench/target/factbook/package");
        int largest = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        // repeated latency runs may keep Chroma's data (-Dbench.chroma=DIR): the synthetic collection is filled once
        String kept = System.getProperty("bench.chroma");
        ChromaServer chroma =
                kept == null ? ChromaServer.start() : ChromaServer.start(Files.createDirectories(Path.of(kept)));
        try {
            KnowledgeStore store = new KnowledgeStore(
                    new ChromaClient(chroma.baseUrl(), new ServiceMetrics("bench")), new InProcessEmbeddings());
            if (!factbook.toString().equals("--latency-only")) {
                Path pdfs = Files.createTempDirectory("factbook-pdfs-");
                List<Question> questions = renderFactbook(factbook, pdfs);
                ingest(store, pdfs);
                recall(store, questions);
            }
            latency(store, largest);
        } finally {
            if (kept == null) {
                chroma.close();
            }
        }
        System.exit(0);
    }

    /** One PDF per country (introduction, geography, government, economy pages) and questions whose answer it holds. */
    private static List<Question> renderFactbook(Path factbook, Path out) throws Exception {
        List<Question> questions = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(factbook)) {
            files = walk.filter(p -> p.toString().endsWith(".json")
                            && !p.getFileName().toString().equals("package.json"))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            JsonNode c = Json.mapper().readTree(file.toFile());
            String name = c.at("/Government/Country name/conventional short form/text")
                    .asText("");
            if (name.isBlank() || name.equalsIgnoreCase("none")) {
                name = c.at("/Government/Country name/conventional long form/text")
                        .asText("");
            }
            if (name.isBlank() || name.equalsIgnoreCase("none")) {
                continue;
            }
            String capital = c.at("/Government/Capital/name/text").asText("");
            String location = c.at("/Geography/Location/text").asText("");
            List<String> pages = List.of(
                    name + ". " + c.at("/Introduction/Background/text").asText(""),
                    "Geography of " + name + ". Location: " + location + ". Climate: "
                            + c.at("/Geography/Climate/text").asText("") + ". Terrain: "
                            + c.at("/Geography/Terrain/text").asText(""),
                    "Government of " + name + ". Government type: "
                            + c.at("/Government/Government type/text").asText("") + ". Capital: " + capital + ".",
                    "Economy of " + name + ". "
                            + c.at("/Economy/Economic overview/text").asText(""));
            String source = factbook.relativize(file).toString().replace(".json", ".pdf");
            Path pdf = out.resolve(source);
            Files.createDirectories(pdf.getParent());
            TestPdfs.write(pdf, name, pages);
            if (!capital.isBlank()
                    && !capital.equalsIgnoreCase("none")
                    && !capital.toLowerCase().contains("no official")) {
                questions.add(new Question("What is the capital of " + name + "?", source, "capital"));
                // the harder direction: the question names only the capital, the document must be found by content
                questions.add(
                        new Question("Which country has its capital in " + capital + "?", source, "capital-reverse"));
            }
            if (!location.isBlank()) {
                questions.add(new Question("Where is " + name + " located?", source, "location"));
            }
        }
        return questions;
    }

    private static void ingest(KnowledgeStore store, Path pdfs) {
        var found = new DocumentFinder().find(List.of(pdfs)).found();
        Ingester ingester = new Ingester(
                store,
                new DocumentReader(),
                new Chunker(new HuggingFaceTokenCountEstimator(), 200, 40),
                Ingester.Listener.NONE);
        Ingester.Summary s = ingester.run(found, new Ingester.Options("factbook", false, false, List.of()));
        double seconds = s.took().toMillis() / 1000.0;
        System.out.printf(
                "ingestion of %d Factbook PDFs (%d pages, %d chunks) in %.1f s%n",
                s.seen(), s.timings().pages(), s.chunksUpserted(), seconds);
        System.out.printf(
                "  %.1f pages/s, %.1f chunks/s; time: %s%n",
                s.timings().pages() / seconds,
                s.chunksUpserted() / seconds,
                s.timings().shares());
    }

    private static void recall(KnowledgeStore store, List<Question> questions) {
        Retriever retriever = new Retriever(store);
        Map<String, int[]> byKind = new java.util.TreeMap<>();
        for (Question q : questions) {
            List<SearchResult> top = retriever.search("factbook", q.text(), 5, 0, null, List.of());
            boolean hit = top.stream().anyMatch(r -> r.source().equals(q.source()));
            int[] counts = byKind.computeIfAbsent(q.kind(), k -> new int[2]);
            counts[0] += hit ? 1 : 0;
            counts[1]++;
        }
        int hits = byKind.values().stream().mapToInt(c -> c[0]).sum();
        System.out.printf(
                "recall@5 on %d labelled questions: %.3f%n", questions.size(), hits / (double) questions.size());
        byKind.forEach(
                (kind, c) -> System.out.printf("  %-8s %.3f (%d of %d)%n", kind, c[0] / (double) c[1], c[0], c[1]));
    }

    /**
     * Search latency of the hybrid retrieval (question embedding, Chroma, lexical index, page grouping) over a
     * collection grown with random vectors and random texts of a 5,000-word vocabulary, vouched for by a file record.
     */
    private static void latency(KnowledgeStore store, int largest) {
        ChromaClient chroma = store.chroma();
        ChromaClient.Collection collection = store.openForWriting("latency");
        Retriever retriever = new Retriever(store);
        Random random = new Random(1);
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            vocabulary.add(Integer.toString(i * 7919 + 100_000, 36));
        }
        store.ledgerForWriting(collection)
                .record(List.of(new FileLedger.Entry(
                        new FileLedger.FileRecord("synthetic.txt", "synthetic", "synthetic", largest, Instant.now()),
                        unit(new Random(0), 384))));
        int size = (int) chroma.count(collection);
        for (int target : List.of(10_000, largest)) {
            if (size > target) {
                continue;
            }
            while (size < target) {
                int n = Math.min(1000, target - size);
                List<String> ids = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                List<String> docs = new ArrayList<>();
                List<Map<String, Object>> metas = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ids.add("synthetic-" + (size + i));
                    vectors.add(unit(random, 384));
                    StringBuilder text = new StringBuilder("synthetic chunk " + (size + i));
                    for (int w = 0; w < 40; w++) {
                        text.append(' ').append(vocabulary.get(random.nextInt(vocabulary.size())));
                    }
                    docs.add(text.toString());
                    metas.add(Map.of("source", "synthetic.txt", "page", 1 + (size + i) / 4, "file_hash", "synthetic"));
                }
                chroma.upsert(collection, ids, vectors, docs, metas);
                size += n;
            }
            store.touch("latency");
            long build = System.nanoTime();
            retriever.lexical().current("latency");
            System.out.printf(
                    "lexical index of %,d chunks derived from Chroma in %.1f s%n",
                    size, (System.nanoTime() - build) / 1e9);
            long[] nanos = new long[200];
            for (int i = -20; i < nanos.length; i++) {
                long start = System.nanoTime();
                retriever.search(
                        "latency",
                        "question " + vocabulary.get(Math.floorMod(i * 31, 5000)) + " about "
                                + vocabulary.get(Math.floorMod(i * 17, 5000)),
                        5,
                        0,
                        null,
                        List.of());
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            System.out.printf(
                    "hybrid search over %,d chunks (embedding + Chroma + lexical, top 5 pages): p50 %.1f ms, p99 %.1f ms%n",
                    size, nanos[100] / 1e6, nanos[198] / 1e6);
        }
    }

    private static float[] unit(Random random, int dimension) {
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dimension; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
