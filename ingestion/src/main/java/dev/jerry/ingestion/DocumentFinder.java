package dev.jerry.ingestion;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the documents to ingest under files and folders (recursively): PDFs, Markdown and plain text. Hidden files and
 * folders are skipped; a path that cannot be read is reported, not fatal.
 */
public final class DocumentFinder {
    public static final Set<String> EXTENSIONS = Set.of("pdf", "md", "markdown", "txt");

    public record Problem(Path path, String reason) {}

    /**
     * A document and its source name: its path relative to the folder given (or its file name when a file was
     * given), with '/' separators, so the same document gets the same name wherever the folder is mounted.
     */
    public record Found(Path file, String source) {}

    public record Discovery(List<Found> found, List<Problem> problems, int skipped) {
        public List<Path> documents() {
            return found.stream().map(Found::file).toList();
        }
    }

    public Discovery find(List<Path> roots) {
        java.util.Map<Path, Found> found = new java.util.TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        int[] skipped = {0};
        for (Path root : roots) {
            Path path = root.toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                problems.add(new Problem(root, "no such file or folder"));
            } else if (Files.isRegularFile(path)) {
                if (isDocument(path)) {
                    found.putIfAbsent(path, new Found(path, path.getFileName().toString()));
                } else {
                    problems.add(new Problem(root, "not a supported document (" + String.join(", ", sorted()) + ")"));
                }
            } else {
                TreeSet<Path> documents = new TreeSet<>();
                walk(path, documents, problems, skipped);
                for (Path doc : documents) {
                    found.putIfAbsent(
                            doc, new Found(doc, path.relativize(doc).toString().replace('\\', '/')));
                }
            }
        }
        return new Discovery(List.copyOf(found.values()), List.copyOf(problems), skipped[0]);
    }

    private static void walk(Path dir, Set<Path> documents, List<Problem> problems, int[] skipped) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && isHidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !isHidden(file) && isDocument(file)) {
                        documents.add(file);
                    } else {
                        skipped[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.add(new Problem(file, "cannot read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(new Problem(dir, "cannot read: " + e.getMessage()));
        }
    }

    static boolean isDocument(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isHidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }

    private static List<String> sorted() {
        return EXTENSIONS.stream().sorted().map(e -> "." + e).toList();
    }
}
