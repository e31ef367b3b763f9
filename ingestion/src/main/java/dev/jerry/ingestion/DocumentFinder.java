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
 * folders are skipped; a path that cannot be read is reported, not fatal, and remembered: what lies under it is
 * unknown, so {@code --prune} must not take it for deleted.
 */
public final class DocumentFinder {
    public static final Set<String> EXTENSIONS = Set.of("pdf", "md", "markdown", "txt");

    public record Problem(Path path, String reason) {}

    /**
     * A document and its source name: its path relative to the folder given (or its file name when a file was
     * given), with '/' separators, so the same document gets the same name wherever the folder is mounted.
     */
    public record Found(Path file, String source) {}

    /**
     * @param unknown source names (a file) and source prefixes ending in '/' (a folder) whose content could not be
     *     listed; the empty string when a path given could not be read at all, so nothing can be told gone
     */
    public record Discovery(List<Found> found, List<Problem> problems, int skipped, Set<String> unknown) {
        public Discovery {
            unknown = Set.copyOf(unknown);
        }

        public List<Path> documents() {
            return found.stream().map(Found::file).toList();
        }

        /** Whether a source is known to be gone: not found, and not under anything that could not be read. */
        public boolean gone(String source) {
            if (found.stream().anyMatch(f -> f.source().equals(source))) {
                return false;
            }
            return unknown.stream()
                    .noneMatch(u -> u.isEmpty() || u.equals(source) || u.endsWith("/") && source.startsWith(u));
        }
    }

    public Discovery find(List<Path> roots) {
        java.util.Map<Path, Found> found = new java.util.TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        int[] skipped = {0};
        for (Path root : roots) {
            Path path = root.toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                problems.add(new Problem(root, "no such file or folder"));
                unknown.add("");
            } else if (Files.isRegularFile(path)) {
                if (isDocument(path)) {
                    found.putIfAbsent(path, new Found(path, path.getFileName().toString()));
                } else {
                    problems.add(new Problem(root, "not a supported document (" + String.join(", ", sorted()) + ")"));
                }
            } else {
                TreeSet<Path> documents = new TreeSet<>();
                int before = problems.size();
                walk(path, documents, problems, skipped);
                for (Problem problem : problems.subList(before, problems.size())) {
                    Path failed = problem.path();
                    if (failed.equals(path)) {
                        unknown.add("");
                    } else {
                        String source = path.relativize(failed).toString().replace('\\', '/');
                        // a folder that cannot be listed, or a file that cannot even be looked at
                        unknown.add(source);
                        unknown.add(source + "/");
                    }
                }
                for (Path doc : documents) {
                    found.putIfAbsent(
                            doc, new Found(doc, path.relativize(doc).toString().replace('\\', '/')));
                }
            }
        }
        return new Discovery(List.copyOf(found.values()), List.copyOf(problems), skipped[0], unknown);
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
                    problems.add(new Problem(file, "cannot read: " + Printable.reason(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(new Problem(dir, "cannot read: " + Printable.reason(e)));
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
