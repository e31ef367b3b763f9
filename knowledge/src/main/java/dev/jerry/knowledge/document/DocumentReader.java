package dev.jerry.knowledge.document;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineNode;

/**
 * Opens a document and hands out its pages one at a time, so that a 500-page PDF never sits in memory as text. PDFs
 * go through PDFBox with a temp-file cache; Markdown and text files are one page.
 */
public final class DocumentReader {
    private final UnmappedCharacters unmapped;

    public DocumentReader(UnmappedCharacters unmapped) {
        this.unmapped = unmapped;
    }

    public DocumentReader() {
        this(new UnmappedCharacters());
    }

    /**
     * Text files above this are refused: a text file is read whole, and 16 MB of text is already ~16,000 chunks (some
     * four minutes of embedding here); a larger one is usually a log or a dump that belongs split, not in a manual.
     */
    public static final long MAX_TEXT_BYTES = 16L * 1024 * 1024;

    /** Outline entries read at most: real manuals have a few thousand. */
    private static final int MAX_OUTLINE_ITEMS = 20_000;

    /** A document that cannot be read, with a reason a person understands. */
    public static final class Unreadable extends Exception {
        public Unreadable(String reason) {
            super(reason);
        }
    }

    /** One page of text, 1-based. */
    public record Page(int number, String text) {
        public Page {
            // PDF text can hold the byte 0, which model-service refuses in a prompt: a chunk holding one would fail
            // every agent turn that retrieves it
            text = text.replace("\u0000", "");
        }
    }

    /** An open document: its title, its page count, and its pages on demand, each cut into its sections. */
    public interface Document extends AutoCloseable {
        String title();

        int pages();

        Page page(int number) throws IOException;

        /**
         * The page's text in runs of one section each; {@code current} is the section in effect where the page
         * starts, and the last piece's section (or {@code current}) is the one in effect after it.
         */
        default List<Sections.Piece> pieces(Page page, Sections.Heading current) {
            return List.of(new Sections.Piece(current, page.text()));
        }

        /** The section in effect after the page: the last one starting on it, else {@code current}. */
        default Sections.Heading after(int page, Sections.Heading current) {
            return current;
        }

        @Override
        void close() throws IOException;
    }

    public Document open(Path file) throws Unreadable, IOException {
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".pdf") ? pdf(file, unmapped.stripper(file)) : text(file);
    }

    private static Document pdf(Path file, UnmappedCharacters.Stripper stripper) throws Unreadable, IOException {
        PDDocument pdf;
        try {
            pdf = Loader.loadPDF(file.toFile(), IOUtils.createTempFileOnlyStreamCache());
        } catch (InvalidPasswordException e) {
            throw new Unreadable("encrypted (it needs a password)");
        } catch (IOException e) {
            throw new Unreadable("not a readable PDF (" + e.getMessage() + ")");
        }
        if (pdf.getNumberOfPages() == 0) {
            pdf.close();
            throw new Unreadable("the PDF has no pages");
        }
        String title = pdf.getDocumentInformation() == null
                ? null
                : pdf.getDocumentInformation().getTitle();
        String finalTitle = title == null || title.isBlank() ? baseName(file) : title.strip();
        Map<Integer, List<Sections.Heading>> outline = outline(pdf);
        return new Document() {
            @Override
            public String title() {
                return finalTitle;
            }

            @Override
            public int pages() {
                return pdf.getNumberOfPages();
            }

            @Override
            public Page page(int number) throws IOException {
                stripper.setStartPage(number);
                stripper.setEndPage(number);
                return new Page(number, stripper.getText(pdf));
            }

            @Override
            public List<Sections.Piece> pieces(Page page, Sections.Heading current) {
                return Sections.cut(page.text(), current, outline.getOrDefault(page.number(), List.of()));
            }

            @Override
            public Sections.Heading after(int page, Sections.Heading current) {
                List<Sections.Heading> starting = outline.getOrDefault(page, List.of());
                return starting.isEmpty() ? current : starting.getLast();
            }

            @Override
            public void close() throws IOException {
                stripper.close();
                pdf.close();
            }
        };
    }

    /**
     * The PDF's outline (bookmarks) as the headings starting on each page; without an outline, the headings found by
     * how lines are printed (larger or bold short lines).
     */
    private static Map<Integer, List<Sections.Heading>> outline(PDDocument pdf) {
        Map<Integer, List<Sections.Heading>> headings = new HashMap<>();
        PDDocumentOutline outline = pdf.getDocumentCatalog().getDocumentOutline();
        if (outline != null) {
            walk(pdf, outline, new ArrayList<>(), headings, new int[] {0});
        }
        if (!headings.isEmpty()) {
            return headings;
        }
        try {
            return Headings.detect(pdf);
        } catch (IOException | RuntimeException e) {
            // the text is still read page by page; without headings it is simply not cut into sections
            return Map.of();
        }
    }

    private static void walk(
            PDDocument pdf,
            PDOutlineNode node,
            List<String> path,
            Map<Integer, List<Sections.Heading>> headings,
            int[] seen) {
        for (PDOutlineItem item : node.children()) {
            if (++seen[0] > MAX_OUTLINE_ITEMS || path.size() > 16) {
                return; // a hostile or broken outline: what was read so far is enough
            }
            String title = item.getTitle() == null ? "" : item.getTitle().strip();
            List<String> itemPath = new ArrayList<>(path);
            itemPath.add(title);
            try {
                PDPage page = item.findDestinationPage(pdf);
                int number = page == null ? -1 : pdf.getPages().indexOf(page) + 1;
                if (number > 0 && !title.isEmpty()) {
                    headings.computeIfAbsent(number, n -> new ArrayList<>()).add(new Sections.Heading(itemPath));
                }
            } catch (IOException e) {
                // a bookmark without a usable destination cuts nothing
            }
            walk(pdf, item, itemPath, headings, seen);
        }
    }

    private static Document text(Path file) throws Unreadable, IOException {
        long size = Files.size(file);
        if (size > MAX_TEXT_BYTES) {
            throw new Unreadable(String.format(
                    "a text file of %.1f MB; the limit is %d MB (split it into smaller files)",
                    size / 1048576.0, MAX_TEXT_BYTES / 1048576));
        }
        String content;
        try {
            content = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("not UTF-8 text");
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean markdown = lower.endsWith(".md") || lower.endsWith(".markdown");
        String title = content.lines()
                .filter(line -> line.startsWith("# "))
                .findFirst()
                .map(line -> line.substring(2).strip())
                .orElse(baseName(file));
        return new Document() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public int pages() {
                return 1;
            }

            @Override
            public Page page(int number) {
                return new Page(1, content);
            }

            @Override
            public List<Sections.Piece> pieces(Page page, Sections.Heading current) {
                return markdown ? Sections.markdown(page.text()) : List.of(new Sections.Piece(null, page.text()));
            }

            @Override
            public void close() {}
        };
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
