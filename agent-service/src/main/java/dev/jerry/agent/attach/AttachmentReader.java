package dev.jerry.agent.attach;

import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.document.Chunker;
import dev.jerry.knowledge.document.DocumentReader;
import dev.jerry.knowledge.document.Sections;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an attached document with the ingestion job's reader and chunker (same pages, sections and chunk sizes as the
 * knowledge base), into passages citable as "file.pdf, p. 3". The file is written to agent-service's own work folder
 * while it is read, as PDFBox reads from a file, and removed after.
 */
final class AttachmentReader {
    static final Set<String> DOCUMENTS =
            Set.of("pdf", "md", "markdown", "txt", "text", "csv", "log", "json", "yaml", "yml");
    static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "gif", "webp");
    /** The ingestion job's default chunk size and overlap, so attachments are cut like the knowledge base. */
    private static final int CHUNK_TOKENS = 200;

    private static final int OVERLAP_TOKENS = 40;

    private final DocumentReader reader = new DocumentReader();
    private final Chunker chunker = new Chunker(new HuggingFaceTokenCountEstimator(), CHUNK_TOKENS, OVERLAP_TOKENS);
    private final Path workDir;
    private final int maxPages;

    AttachmentReader(Path workDir, int maxPages) {
        this.workDir = workDir;
        this.maxPages = maxPages;
    }

    /** A document read: how many pages it had, and its passages. */
    record Read(int pages, List<KnowledgeChunk> chunks) {}

    static String extension(String filename) {
        int dot = filename.lastIndexOf('.');
        return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String kinds() {
        return "PDF, Markdown or text ("
                + String.join(", ", DOCUMENTS.stream().sorted().toList()) + "), or an image ("
                + String.join(", ", IMAGES.stream().sorted().toList()) + ")";
    }

    Read read(String filename, byte[] bytes) {
        Path file;
        try {
            Files.createDirectories(workDir);
            file = Files.createTempFile(workDir, "attachment-", "." + extension(filename));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + workDir, e);
        }
        try {
            Files.write(file, bytes);
            return read(filename, file, Sha256.hexOfFile(file));
        } catch (IOException e) {
            throw new ServiceException.BadInput("data", filename + " could not be read: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the work folder is agent-service's own; a leftover is removed with it
            }
        }
    }

    private Read read(String filename, Path file, String hash) throws IOException {
        try (DocumentReader.Document document = reader.open(file)) {
            if (document.pages() > maxPages) {
                throw new ServiceException.TooLarge(
                        "data",
                        filename + " has " + document.pages() + " pages; the limit is " + maxPages + " pages ("
                                + AttachmentConfig.MAX_PAGES + ")");
            }
            String title = document.title();
            List<KnowledgeChunk> chunks = new ArrayList<>();
            Sections.Heading section = null;
            for (int number = 1; number <= document.pages(); number++) {
                DocumentReader.Page page = document.page(number);
                int index = 0;
                for (Sections.Piece piece : document.pieces(page, section)) {
                    String path =
                            piece.section() == null ? null : piece.section().joined();
                    for (String text : chunker.chunks(piece.text())) {
                        chunks.add(KnowledgeChunk.of(filename, number, title, index++, text, hash, List.of(), path));
                    }
                }
                section = document.after(number, section);
            }
            if (chunks.isEmpty()) {
                throw new ServiceException.BadInput(
                        "data",
                        filename + " has no text I can read (a scanned PDF? text recognition is not supported)");
            }
            return new Read(document.pages(), chunks);
        } catch (DocumentReader.Unreadable e) {
            throw new ServiceException.BadInput("data", filename + " could not be read: " + e.getMessage());
        }
    }
}
