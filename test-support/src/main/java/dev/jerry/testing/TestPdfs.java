package dev.jerry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** PDFs for tests, written with PDFBox: real documents with known text on known pages, and broken ones. */
public final class TestPdfs {
    private TestPdfs() {}

    /** A PDF with one page per entry of {@code pages}, wrapped to fit, and {@code title} in its metadata (or none). */
    public static Path write(Path file, String title, List<String> pages) throws IOException {
        try (PDDocument document = new PDDocument()) {
            if (title != null) {
                PDDocumentInformation info = new PDDocumentInformation();
                info.setTitle(title);
                document.setDocumentInformation(info);
            }
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.setLeading(14);
                    content.newLineAtOffset(50, 790);
                    for (String line : wrap(winAnsi(text), 90)) {
                        content.showText(line);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            document.save(file.toFile());
        }
        return file;
    }

    /** A three-page guide ("Plant Guide") whose third page, and only it, says where the emergency valve is. */
    public static Path plantGuide(Path file) throws IOException {
        return write(
                file,
                "Plant Guide",
                List.of(
                        "Welcome to the plant. Visitors sign in at the front desk and wear a badge.",
                        "The canteen serves lunch from noon to two. Coffee is free on Fridays.",
                        "The emergency shutoff valve is painted orange and sits behind the west door of the "
                                + "boiler room."));
    }

    /** Needs the password {@code secret} to open. */
    public static Path encrypted(Path file) throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage());
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(file.toFile());
        }
        return file;
    }

    /** Starts like a PDF, then is garbage. */
    public static Path corrupt(Path file) throws IOException {
        return Files.writeString(file, "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without end");
    }

    public static Path zeroPages(Path file) throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.save(file.toFile());
        }
        return file;
    }

    /** Pages with drawings but no text, as a scan would be. */
    public static Path imageOnly(Path file) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.addRect(100, 100, 200, 300);
                content.fill();
            }
            document.save(file.toFile());
        }
        return file;
    }

    /**
     * A PDF whose pages each hold {@code readable} text in a normal font and then {@code unmapped} characters of
     * {@code text} in a font whose encoding names glyphs no Unicode table knows and that has no ToUnicode map, as
     * some real manuals do (pictogram and symbol fonts): PDFBox cannot turn those characters into text.
     */
    public static Path unmappedGlyphs(Path file, List<String> readable, int unmapped) throws IOException {
        try (PDDocument document = new PDDocument()) {
            COSArray differences = new COSArray();
            differences.add(COSInteger.get('A'));
            for (int i = 0; i < 26; i++) {
                differences.add(COSName.getPDFName("jerrypictogram" + i));
            }
            COSDictionary encoding = new COSDictionary();
            encoding.setItem(COSName.TYPE, COSName.ENCODING);
            encoding.setItem(COSName.DIFFERENCES, differences);
            COSDictionary symbols = new COSDictionary();
            symbols.setItem(COSName.TYPE, COSName.FONT);
            symbols.setItem(COSName.SUBTYPE, COSName.TYPE1);
            symbols.setName(COSName.BASE_FONT, "Helvetica");
            symbols.setItem(COSName.ENCODING, encoding);
            for (String text : readable) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                PDResources resources = new PDResources();
                resources.put(COSName.getPDFName("F0"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
                resources.put(COSName.getPDFName("F1"), new PDType1Font(symbols));
                page.setResources(resources);
                StringBuilder content = new StringBuilder("BT /F0 11 Tf 14 TL 50 790 Td\n");
                for (String line : wrap(winAnsi(text), 90)) {
                    content.append('(')
                            .append(line.replaceAll("([()\\\\])", "\\\\$1"))
                            .append(") Tj T*\n");
                }
                content.append("/F1 11 Tf (")
                        .append("ABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(unmapped / 26 + 1), 0, unmapped)
                        .append(") Tj ET\n");
                PDStream stream = new PDStream(document);
                try (var out = stream.createOutputStream()) {
                    out.write(content.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                }
                page.setContents(stream);
            }
            document.save(file.toFile());
        }
        return file;
    }

    /** The standard PDF fonts encode WinAnsi only: accents are dropped, anything else becomes '?'. */
    static String winAnsi(String text) {
        String plain = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        StringBuilder out = new StringBuilder(plain.length());
        for (char c : plain.toCharArray()) {
            out.append(c >= 32 && c < 127 ? c : Character.isWhitespace(c) ? ' ' : '?');
        }
        return out.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() + word.length() + 1 > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder();
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
