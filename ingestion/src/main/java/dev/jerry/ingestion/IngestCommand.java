package dev.jerry.ingestion;

import java.io.PrintWriter;
import java.nio.file.Path;
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
        description = "Turns PDFs, Markdown and text files into searchable chunks in Jerry's knowledge base.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:some or all work done", "1:nothing could be done", "2:bad usage or configuration"})
public final class IngestCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders (searched recursively).")
    private List<Path> paths;

    @Option(
            names = "--collection",
            paramLabel = "NAME",
            defaultValue = "${env:JERRY_COLLECTION:-jerry}",
            description = "Chroma collection (default: ${DEFAULT-VALUE}, or JERRY_COLLECTION).")
    private String collection;

    @Option(names = "--dry-run", description = "Only list what would be ingested.")
    private boolean dryRun;

    @Option(names = "--prune", description = "Also remove the chunks of files that are gone.")
    private boolean prune;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DocumentFinder.Discovery discovery = new DocumentFinder().find(paths);
        discovery.documents().forEach(doc -> out.println("  " + doc));
        discovery.problems().forEach(p -> err.println("  skipped " + p.path() + ": " + p.reason()));
        out.printf(
                "%d document(s) found for collection '%s', %d other file(s) ignored, %d problem(s)%n",
                discovery.documents().size(),
                collection,
                discovery.skipped(),
                discovery.problems().size());
        if (discovery.documents().isEmpty()) {
            err.println("nothing to ingest");
            return 1;
        }
        if (!dryRun) {
            err.println("writing to Chroma is not built yet; run with --dry-run to list the documents");
            return 2;
        }
        return 0;
    }

    public static void main(String[] args) {
        // System.exit: native libraries loaded by later stages keep threads that would hold the JVM open
        System.exit(new CommandLine(new IngestCommand()).execute(args));
    }
}
