package dev.jerry.knowledge.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.encoding.GlyphList;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * The characters of each PDF that have no Unicode mapping in their font (no ToUnicode map, an encoding of made-up
 * glyph names): PDFBox guesses or drops them and logs a warning per font, which tells a user nothing. Counted here per
 * file instead, so the summary can say in one sentence which documents may have lost text.
 */
public final class UnmappedCharacters {
    /** What one file lost: how many characters, on how many pages. */
    public record Report(int characters, int pages) {
        public String sentence(String source) {
            return source + ": " + plural(characters, "character") + " without a Unicode mapping on "
                    + plural(pages, "page") + "; the text of " + (pages == 1 ? "that page" : "those pages")
                    + " may be incomplete";
        }

        private static String plural(int n, String word) {
            return n + " " + word + (n == 1 ? "" : "s");
        }
    }

    private final Map<Path, Report> reports = new ConcurrentHashMap<>();

    public Optional<Report> of(Path file) {
        return Optional.ofNullable(reports.get(file));
    }

    /** A text stripper for {@code file} whose unmapped characters are recorded here when {@link #close} is called. */
    Stripper stripper(Path file) {
        return new Stripper(file);
    }

    /** PDFBox's text stripper, counting each glyph it can find no Unicode text for. */
    final class Stripper extends PDFTextStripper {
        /** The glyph list PDFBox's text extraction uses (Adobe's plus its additions), so both agree on what is mapped. */
        private static final GlyphList GLYPHS = extractionGlyphList();

        private final Path file;
        private final Set<Integer> pages = new TreeSet<>();
        private int characters;

        private Stripper(Path file) {
            this.file = file;
        }

        @Override
        protected void showGlyph(Matrix textRenderingMatrix, PDFont font, int code, Vector displacement)
                throws IOException {
            if (font.toUnicode(code, GLYPHS) == null) {
                characters++;
                pages.add(getCurrentPageNo());
            }
            super.showGlyph(textRenderingMatrix, font, code, displacement);
        }

        /** Records what was counted for the file (nothing when every character had a mapping). */
        void close() {
            if (characters > 0) {
                reports.put(file, new Report(characters, pages.size()));
            }
        }

        private static GlyphList extractionGlyphList() {
            try (InputStream additional =
                    GlyphList.class.getResourceAsStream("/org/apache/pdfbox/resources/glyphlist/additional.txt")) {
                return additional == null
                        ? GlyphList.getAdobeGlyphList()
                        : new GlyphList(GlyphList.getAdobeGlyphList(), additional);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
