package dev.jerry.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.api.SearchResult;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.FileLedger;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.LexicalIndexes;
import dev.jerry.knowledge.Retriever;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.ServiceProcess;
import dev.jerry.testing.TestPdfs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real ingestion command against the real Chroma, with PDFs written by PDFBox. One class for every end-to-end
 * guarantee of a run (idempotent, resumable, nothing deleted on a read failure, prune, upgrades of older collections):
 * they share the Chroma server and the helpers that read what a run left in it.
 */
@ExtendWith(ChromaExtension.class)
class IngestionIT {
    private static KnowledgeStore store;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void connect(ChromaServer chroma) {
        store = new KnowledgeStore(
                new ChromaClient(chroma.baseUrl(), new ServiceMetrics("test")), new InProcessEmbeddings());
    }

    private static Run ingest(ChromaServer chroma, String collection, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new IngestCommand(
                Env.of(Map.of("JERRY_CHROMA_URL", chroma.baseUrl().toString(), "JERRY_COLLECTION", collection))));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private static Set<String> ids(String collection, String source) {
        ChromaClient chroma = store.chroma();
        ChromaClient.Collection c = chroma.collection(collection).orElseThrow();
        ChromaClient.Where where = source == null ? null : ChromaClient.Where.eq("source", source);
        Set<String> ids = new HashSet<>();
        for (int offset = 0; ; offset += 500) {
            var page = chroma.get(c, where, null, false, 500, offset);
            page.forEach(r -> ids.add(r.id()));
            if (page.size() < 500) {
                return ids;
            }
        }
    }

    @Test
    void should_ingest_documents_and_find_each_fact_on_its_page_in_the_top_3(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        Run run = ingest(chroma, "facts", Library.write(dir).toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("3 seen, 3 new, 0 changed, 0 unchanged, 0 failed");
        Retriever retriever = new Retriever(store);
        assertTop3(retriever, "How is the reactor core cooled?", "reactor-manual.pdf", 2, Library.COOLING);
        assertTop3(
                retriever,
                "How do I shut down the reactor in an emergency?",
                "reactor-manual.pdf",
                3,
                Library.SHUTDOWN);
        assertTop3(retriever, "Where are the spare fuses kept?", "reactor-manual.pdf", 4, Library.FUSES);
        assertTop3(retriever, "How much sun do tomatoes need?", "notes/garden.md", 1, Library.TOMATOES);
        List<SearchResult> cited = retriever.search("facts", "reactor cooling", 1, 0, null, List.of());
        assertThat(cited.getFirst().title()).isEqualTo("Reactor Operations Manual");
    }

    private static void assertTop3(Retriever retriever, String question, String source, int page, String fact) {
        List<SearchResult> results = retriever.search("facts", question, 3, 0, null, List.of());
        assertThat(results).as(question).anySatisfy(r -> {
            assertThat(r.source()).isEqualTo(source);
            assertThat(r.page()).isEqualTo(page);
            assertThat(r.text()).contains(fact);
        });
    }

    @Test
    void should_change_nothing_on_a_second_run_and_replace_only_an_edited_files_chunks(
            ChromaServer chroma, @TempDir Path dir) throws Exception {
        Library.write(dir);
        ingest(chroma, "edits", dir.toString());
        Set<String> manualBefore = ids("edits", "reactor-manual.pdf");
        Set<String> gardenBefore = ids("edits", "notes/garden.md");

        Run again = ingest(chroma, "edits", dir.toString());

        assertThat(again.out())
                .contains("3 seen, 0 new, 0 changed, 3 unchanged, 0 failed, 0 pruned; 0 chunks written, 0 deleted");
        assertThat(ids("edits", null)).hasSize(manualBefore.size() + gardenBefore.size() + 1);

        Files.writeString(dir.resolve("notes/garden.md"), "# Garden notes\n\nCucumbers need a trellis.\n");
        Run edited = ingest(chroma, "edits", dir.toString());

        assertThat(edited.out()).contains("3 seen, 0 new, 1 changed, 2 unchanged, 0 failed");
        assertThat(ids("edits", "reactor-manual.pdf")).isEqualTo(manualBefore);
        assertThat(ids("edits", "notes/garden.md")).isNotEmpty().doesNotContainAnyElementsOf(gardenBefore);
    }

    @Test
    void should_prune_exactly_the_chunks_of_a_deleted_file(ChromaServer chroma, @TempDir Path dir) throws Exception {
        Library.write(dir);
        ingest(chroma, "pruning", dir.toString());
        Set<String> manual = ids("pruning", "reactor-manual.pdf");
        Set<String> recipes = ids("pruning", "recipes.txt");
        int total = ids("pruning", null).size();

        Files.delete(dir.resolve("recipes.txt"));
        Run pruned = ingest(chroma, "pruning", "--prune", dir.toString());

        assertThat(pruned.out()).contains("1 pruned").contains(recipes.size() + " deleted");
        assertThat(ids("pruning", "recipes.txt")).isEmpty();
        assertThat(ids("pruning", "reactor-manual.pdf")).isEqualTo(manual);
        assertThat(ids("pruning", null)).hasSize(total - recipes.size());
    }

    @Test
    void should_report_broken_pdfs_with_their_reason_and_ingest_the_rest(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        Library.write(dir);
        TestPdfs.encrypted(dir.resolve("locked.pdf"));
        TestPdfs.corrupt(dir.resolve("broken.pdf"));
        TestPdfs.zeroPages(dir.resolve("empty.pdf"));
        TestPdfs.imageOnly(dir.resolve("scan.pdf"));

        Run run = ingest(chroma, "broken", dir.toString());

        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("7 seen, 3 new, 0 changed, 0 unchanged, 4 failed")
                .contains("failed: locked.pdf: encrypted (it needs a password)")
                .contains("failed: broken.pdf: not a readable PDF")
                .contains("failed: empty.pdf: the PDF has no pages")
                .contains("failed: scan.pdf: no extractable text");
        assertThat(ids("broken", "scan.pdf")).isEmpty();
        assertThat(ids("broken", "reactor-manual.pdf")).isNotEmpty();
    }

    /**
     * The ingestion jar as its own process; as root (CI), without the capabilities that let root read any file, so
     * that a file or folder with mode 000 really cannot be read.
     */
    private static Run ingestProcess(ChromaServer chroma, String collection, Path log, String... args)
            throws Exception {
        List<String> command = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        }
        command.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                ServiceProcess.home(),
                "-jar",
                Path.of("target/ingestion.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JERRY_CHROMA_URL", chroma.baseUrl().toString());
        builder.environment().put("JERRY_COLLECTION", collection);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(log), "");
    }

    @Test
    void should_keep_the_chunks_of_a_file_that_cannot_be_read_on_the_next_run(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given
        Library.write(dir);
        ingest(chroma, "unreadable", dir.toString());
        Set<String> manual = ids("unreadable", "reactor-manual.pdf");
        Set<String> recipes = ids("unreadable", "recipes.txt");
        Files.write(dir.resolve("reactor-manual.pdf"), "%PDF-1.7 cut short by a copy".getBytes());
        Files.setPosixFilePermissions(dir.resolve("recipes.txt"), Set.of());

        // when
        Run run = ingestProcess(chroma, "unreadable", Files.createTempFile("ingest", ".log"), dir.toString());

        // then
        assertThat(run.out())
                .contains("0 chunks written, 0 deleted")
                .contains("failed: reactor-manual.pdf: not a readable PDF")
                .contains("failed: recipes.txt: cannot read: permission denied");
        assertThat(ids("unreadable", "reactor-manual.pdf")).isEqualTo(manual);
        assertThat(ids("unreadable", "recipes.txt")).isEqualTo(recipes);
        assertThat(new Retriever(store).search("unreadable", "heavy water cooling", 3, 0, null, List.of()))
                .anySatisfy(r -> assertThat(r.source()).isEqualTo("reactor-manual.pdf"));
    }

    @Test
    void should_not_prune_documents_under_a_folder_that_cannot_be_read(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given
        Library.write(dir);
        ingest(chroma, "unlisted", dir.toString());
        Set<String> garden = ids("unlisted", "notes/garden.md");
        Files.delete(dir.resolve("recipes.txt"));
        Files.setPosixFilePermissions(dir.resolve("notes"), Set.of());

        // when
        Run run;
        try {
            run = ingestProcess(chroma, "unlisted", Files.createTempFile("ingest", ".log"), "--prune", dir.toString());
        } finally {
            Files.setPosixFilePermissions(
                    dir.resolve("notes"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }

        // then: the deleted file is pruned, the unlisted folder's document is not
        assertThat(run.out()).contains("notes: cannot read: permission denied").contains("1 pruned");
        assertThat(ids("unlisted", "recipes.txt")).isEmpty();
        assertThat(ids("unlisted", "notes/garden.md")).isEqualTo(garden);
    }

    @Test
    void should_not_prune_anything_when_a_path_given_does_not_exist(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given
        Library.write(dir.resolve("a"));
        ingest(chroma, "mistyped", dir.resolve("a").toString());
        int before = ids("mistyped", null).size();
        Files.delete(dir.resolve("a/recipes.txt"));

        // when
        Run run = ingest(
                chroma,
                "mistyped",
                "--prune",
                dir.resolve("a").toString(),
                dir.resolve("b").toString());

        // then
        assertThat(run.err()).contains("no such file or folder").contains("not pruning");
        assertThat(run.out()).contains("0 pruned");
        assertThat(ids("mistyped", null)).hasSize(before);
    }

    @Test
    void should_not_return_chunks_whose_file_record_was_never_written(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given: a run stopped after writing chunks of a file, before its file record
        Library.write(dir);
        ingest(chroma, "stopped", dir.toString());
        ChromaClient.Collection chunks = store.chroma().collection("stopped").orElseThrow();
        var orphan = dev.jerry.knowledge.KnowledgeChunk.of(
                "half.md", 1, "Half", 0, "The spare fuses moved to locker Z9 next to the boiler.", "abc", List.of());
        store.chroma()
                .upsert(
                        chunks,
                        List.of(orphan.id()),
                        store.embeddings().embed(List.of(orphan.text())),
                        List.of(orphan.text()),
                        List.of(orphan.metadata()));

        // when
        List<SearchResult> results =
                new Retriever(store).search("stopped", "Where are the spare fuses now?", 5, 0, null, List.of());

        // then
        assertThat(results).isNotEmpty().noneSatisfy(r -> assertThat(r.source()).isEqualTo("half.md"));
    }

    /** The chunk ids Chroma vouches for: chunks whose file record carries their file hash. */
    private static Set<String> vouched(String collection) {
        ChromaClient chroma = store.chroma();
        ChromaClient.Collection c = chroma.collection(collection).orElseThrow();
        List<ChromaClient.Record> all = new java.util.ArrayList<>();
        for (int offset = 0; ; offset += 500) {
            var page = chroma.get(c, null, null, false, 500, offset);
            all.addAll(page);
            if (page.size() < 500) {
                break;
            }
        }
        Set<String> ids = new HashSet<>();
        store.vouched(collection, all).forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void should_keep_the_lexical_index_in_agreement_with_chroma_after_a_change_and_a_prune(
            ChromaServer chroma, @TempDir Path dir) throws Exception {
        // given: an index derived from the collection as first ingested
        Library.write(dir);
        ingest(chroma, "agree", dir.toString());
        LexicalIndexes indexes = new LexicalIndexes(store);
        assertThat(Set.copyOf(indexes.current("agree").ids())).isEqualTo(vouched("agree"));
        Set<String> gardenBefore = ids("agree", "notes/garden.md");

        // when: a file changes and another is deleted and pruned
        Files.writeString(dir.resolve("notes/garden.md"), "# Garden notes\n\nCucumbers climb a trellis of hazel.\n");
        Files.delete(dir.resolve("recipes.txt"));
        Run run = ingest(chroma, "agree", "--prune", dir.toString());

        // then: the index follows the collection, and a search sees the new words only
        assertThat(run.out()).contains("1 changed").contains("1 pruned");
        Set<String> now = vouched("agree");
        assertThat(now).doesNotContainAnyElementsOf(gardenBefore);
        assertThat(Set.copyOf(indexes.current("agree").ids())).isEqualTo(now);
        Retriever retriever = new Retriever(store, indexes, Retriever.Fusion.DEFAULT);
        assertThat(retriever.search("agree", "hazel trellis", 5, 0, null, List.of()))
                .first()
                .satisfies(r -> assertThat(r.source()).isEqualTo("notes/garden.md"));
        assertThat(retriever.search("agree", "bread dough", 5, 0, null, List.of()))
                .noneSatisfy(r -> assertThat(r.source()).isEqualTo("recipes.txt"));
    }

    @Test
    void should_rebuild_a_collection_cut_by_an_older_chunker_on_the_next_run(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        // given: a collection cut with other sizes, whose file records carry no chunker (as generation 1 wrote them)
        Library.write(dir);
        ingest(chroma, "fresh", dir.toString());
        ingest(chroma, "upgraded", "--chunk-tokens", "48", "--overlap-tokens", "8", dir.toString());
        asTheReleaseBeforeLeftIt("upgraded", false);
        assertThat(ids("upgraded", null)).isNotEqualTo(ids("fresh", null));

        // when
        Run run = ingest(chroma, "upgraded", dir.toString());

        // then: every file chunked anew, exactly as a fresh run would, nothing of the old cut left
        assertThat(run.out()).contains("3 changed").contains("made by an older chunker");
        assertThat(ids("upgraded", null)).isEqualTo(ids("fresh", null));
        assertThat(ingest(chroma, "upgraded", dir.toString()).out()).contains("3 unchanged");
    }

    /**
     * Turns a collection's ledger into the release before's: records in {@code NAME.files} with a 1-dimensional
     * placeholder vector; without the chunker, chunk count and time unless {@code withChunker}, as the first release
     * wrote them.
     */
    private static void asTheReleaseBeforeLeftIt(String collection, boolean withChunker) {
        ChromaClient chroma = store.chroma();
        ChromaClient.Collection ledger =
                chroma.collection(collection + FileLedger.SUFFIX).orElseThrow();
        var records = chroma.get(ledger, null, null, false, 100, 0);
        chroma.deleteCollection(ledger.name());
        ChromaClient.Collection files = store.files(collection);
        chroma.upsert(
                files,
                records.stream().map(ChromaClient.Record::id).toList(),
                records.stream().map(r -> new float[] {1f}).toList(),
                records.stream().map(ChromaClient.Record::id).toList(),
                records.stream()
                        .map(r -> withChunker
                                ? r.metadata()
                                : Map.<String, Object>of(
                                        "file_hash", r.metadata().get("file_hash")))
                        .toList());
    }

    @Test
    void should_search_a_collection_of_the_release_before_and_migrate_its_ledger_without_writing_a_chunk(
            ChromaServer chroma, @TempDir Path dir) throws Exception {
        // given: a collection as the release before left it (ledger records with placeholder vectors)
        Library.write(dir);
        ingest(chroma, "before", dir.toString());
        Set<String> chunks = ids("before", null);
        Set<String> vouched = vouched("before");
        asTheReleaseBeforeLeftIt("before", true);
        assertThat(vouched("before")).isEqualTo(vouched).isNotEmpty();
        // and a migration stopped midway: a partial copy, never renamed
        store.chroma()
                .upsert(
                        store.chroma().getOrCreate("before" + FileLedger.MIGRATING_SUFFIX, Map.of()),
                        List.of("recipes.txt"),
                        List.of(new float[] {1f, 0f}),
                        List.of("recipes.txt"),
                        List.of(Map.of("file_hash", "half-copied")));

        // when
        Run run = ingest(chroma, "before", dir.toString());

        // then: nothing re-ingested, the ledger moved to its own collection with the files' document vectors
        assertThat(run.out()).contains("3 seen, 0 new, 0 changed, 3 unchanged, 0 failed, 0 pruned; 0 chunks written");
        assertThat(store.chroma().collection("before" + FileLedger.LEGACY_SUFFIX))
                .isEmpty();
        assertThat(store.chroma().collection("before" + FileLedger.MIGRATING_SUFFIX))
                .isEmpty();
        ChromaClient.Collection ledger =
                store.chroma().collection("before" + FileLedger.SUFFIX).orElseThrow();
        var records = store.chroma()
                .getWithEmbeddings(ledger, List.of("reactor-manual.pdf", "recipes.txt", "notes/garden.md"));
        assertThat(records).hasSize(3).allSatisfy(r -> assertThat(r.embedding()).hasSize(384));
        assertThat(ids("before", null)).isEqualTo(chunks);
        assertThat(vouched("before")).isEqualTo(vouched);
        assertThat(new Retriever(store).search("before", "How much sun do tomatoes need?", 3, 0, null, List.of()))
                .anySatisfy(r -> assertThat(r.source()).isEqualTo("notes/garden.md"));
    }

    @Test
    void should_refuse_a_collection_built_with_another_embedding_model(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        store.chroma().getOrCreate("foreign", Map.of("embedding_model", "nomic-embed-text", "dimension", 768));

        Run run = ingest(chroma, "foreign", Library.write(dir).toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "refused: collection 'foreign' was built with embedding model nomic-embed-text (768 dimensions)")
                .contains("bge-small-en-v1.5 (384 dimensions)");
    }

    @Test
    void should_finish_a_run_killed_midway_with_exactly_the_expected_chunks(ChromaServer chroma, @TempDir Path dir)
            throws Exception {
        Path docs = Library.bulk(dir.resolve("docs"), 40, 4); // past one write batch of 256 chunks
        ingest(chroma, "reference", docs.toString());
        Set<String> expected = ids("reference", null);

        // a real process, killed with SIGKILL once it has written part of the collection
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        ServiceProcess.home(),
                        "-jar",
                        Path.of("target/ingestion.jar").toString(),
                        docs.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile());
        builder.environment().put("JERRY_CHROMA_URL", chroma.baseUrl().toString());
        builder.environment().put("JERRY_COLLECTION", "killed");
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos(); // a ceiling: CI machines are busy
        int partial = 0;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (store.chroma().collection("killed").isPresent()
                    && (partial = ids("killed", null).size()) > 0) {
                break;
            }
            Thread.sleep(20);
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(partial).as("chunks written before the kill").isBetween(1, expected.size() - 1);

        Run rerun = ingest(chroma, "killed", docs.toString());

        assertThat(rerun.code()).isZero();
        assertThat(ids("killed", null)).isEqualTo(expected);
    }
}
