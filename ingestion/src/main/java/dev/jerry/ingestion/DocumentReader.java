package dev.jerry.ingestion;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Opens a document and hands out its pages one at a time, so that a 500-page PDF never sits in memory as text. PDFs
 * go through PDFBox with a temp-file cache; Markdown and text files are one page.
 */
public final class DocumentReader {
    /**
     * Text files above this are refused: a text file is read whole, and 16 MB of text is already ~16,000 chunks (some
     * four minutes of embedding here); a larger one is usually a log or a dump that belongs split, not in a manual.
     */
    static final long MAX_TEXT_BYTES = 16L * 1024 * 1024;

    /** A document that cannot be read, with a reason a person understands. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }

    /** One page of text, 1-based. */
    record Page(int number, String text) {}

    /** An open document: its title, its page count, and its pages on demand. */
    interface Document extends AutoCloseable {
        String title();

        int pages();

        Page page(int number) throws IOException;

        @Override
        void close() throws IOException;
    }

    Document open(Path file) throws Unreadable, IOException {
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".pdf") ? pdf(file) : text(file);
    }

    private static Document pdf(Path file) throws Unreadable, IOException {
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
        PDFTextStripper stripper = new PDFTextStripper();
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
            public void close() throws IOException {
                pdf.close();
            }
        };
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
            public void close() {}
        };
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
