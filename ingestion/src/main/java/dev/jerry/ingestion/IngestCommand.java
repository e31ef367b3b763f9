package dev.jerry.ingestion;

import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.kit.natives.NativeLibraries;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.EmbeddingMismatchException;
import dev.jerry.knowledge.KnowledgeConfig;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import dev.jerry.knowledge.document.UnmappedCharacters;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ingest PATH... [--collection NAME] [--dry-run] [--prune]}: documents to chunks to embeddings to Chroma. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        version = "jerry ingest 0.1.0",
        description = "Turns PDFs, Markdown and text files into searchable chunks in Jerry's knowledge base. "
                + "Unchanged files are skipped; changed ones replaced; an interrupted run is finished by the next.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:some or all work done (or nothing needed doing)",
            "1:nothing could be done",
            "2:bad usage or configuration"
        })
public final class IngestCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders (searched recursively).")
    private List<Path> paths;

    @Option(
            names = "--collection",
            paramLabel = "NAME",
            description = "Chroma collection (default: JERRY_COLLECTION, else jerry).")
    private String collection;

    @Option(names = "--dry-run", description = "Only report what would be ingested.")
    private boolean dryRun;

    @Option(names = "--prune", description = "Also remove the chunks of documents that were not found in this run.")
    private boolean prune;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the chunks (repeatable), for filtered searches.")
    private List<String> tags = new ArrayList<>();

    @Option(
            names = "--chunk-tokens",
            defaultValue = "200",
            description = "Chunk size in tokens (default: ${DEFAULT-VALUE}).")
    private int chunkTokens;

    @Option(
            names = "--overlap-tokens",
            defaultValue = "40",
            description = "Overlap between chunks (default: ${DEFAULT-VALUE}).")
    private int overlapTokens;

    private final Env env;

    public IngestCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DocumentFinder.Discovery discovery = new DocumentFinder().find(paths);
        discovery.problems().forEach(p -> err.println("skipped " + Printable.escape(p.path()) + ": " + p.reason()));
        if (prune && !discovery.unknown().isEmpty()) {
            err.println(
                    discovery.unknown().contains("")
                            ? "not pruning: a path given could not be read, so no document can be told deleted"
                            : "pruning only what is known to be gone: documents under what could not be read stay");
        }
        if (discovery.found().isEmpty()) {
            err.println("nothing to ingest: no .pdf, .md, .markdown or .txt files under " + Printable.escape(paths));
            return 1;
        }
        KnowledgeConfig config;
        Chunker chunker;
        try {
            config = KnowledgeConfig.fromEnv(env);
            if (collection != null) {
                config = new KnowledgeConfig(
                        config.chromaUrl(),
                        KnowledgeConfig.checkCollection(collection, "--collection"),
                        config.embeddings(),
                        config.modelService());
            }
            chunker = new Chunker(new HuggingFaceTokenCountEstimator(), chunkTokens, overlapTokens);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
        ServiceMetrics metrics = new ServiceMetrics("ingestion");
        ChromaClient chroma = new ChromaClient(config.chromaUrl(), metrics);
        try {
            chroma.heartbeat();
        } catch (UpstreamException e) {
            err.println("Chroma is not reachable at " + config.chromaUrl() + " (JERRY_CHROMA_URL): " + e.getMessage());
            return 1;
        }
        KnowledgeStore store = new KnowledgeStore(chroma, config.embeddingSource(metrics));
        boolean terminal = System.console() != null;
        UnmappedCharacters unmapped = new UnmappedCharacters();
        Ingester ingester = new Ingester(
                store, new DocumentReader(unmapped), chunker, ProgressListeners.forTerminal(terminal, out));
        Ingester.Summary summary;
        try {
            summary = ingester.run(
                    discovery, new Ingester.Options(config.collection(), dryRun, prune, List.copyOf(tags)));
        } catch (EmbeddingMismatchException e) {
            err.println("refused: " + e.getMessage());
            return 1;
        } catch (UpstreamException e) {
            err.println("stopped: " + e.getMessage() + " (what was completed is kept; run again to finish)");
            return 1;
        }
        print(out, summary, config.collection());
        discovery
                .found()
                .forEach(doc -> unmapped.of(doc.file()).ifPresent(r -> out.println("  " + r.sentence(doc.source()))));
        out.flush();
        return summary.nothingDone() ? 1 : 0;
    }

    private void print(PrintWriter out, Ingester.Summary s, String collectionName) {
        out.printf(
                "%s '%s' in %.1f s: %d seen, %d new, %d changed, %d unchanged, %d failed, %d pruned; "
                        + "%d chunks written, %d deleted%n",
                dryRun ? "dry run of" : "ingested into",
                collectionName,
                s.took().toMillis() / 1000.0,
                s.seen(),
                s.added(),
                s.changed(),
                s.unchanged(),
                s.failed().size(),
                s.pruned(),
                s.chunksUpserted(),
                s.chunksDeleted());
        if (s.timings().pages() > 0) {
            out.printf(
                    "  %d pages (%.1f pages/s, %.1f chunks/s); time: %s%n",
                    s.timings().pages(),
                    s.timings().pages() / Math.max(0.001, s.took().toMillis() / 1000.0),
                    s.chunksUpserted() / Math.max(0.001, s.took().toMillis() / 1000.0),
                    s.timings().shares());
        }
        s.failed().forEach(f -> out.println("  failed: " + Printable.escape(f.source()) + ": " + f.reason()));
        out.flush();
    }

    public static void main(String[] args) {
        try {
            NativeLibraries.prepare(Env.system(), "ingestion"); // before the embedding model's native code loads
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        }
        // System.exit: the native libraries of the embedding model keep threads that would hold the JVM open
        System.exit(new CommandLine(new IngestCommand(Env.system())).execute(args));
    }
}
