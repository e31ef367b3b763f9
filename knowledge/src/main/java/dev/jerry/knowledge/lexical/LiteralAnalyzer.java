package dev.jerry.knowledge.lexical;

import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;

/**
 * Tokens exactly as written (only lower-cased, sentence punctuation around them trimmed): the field that lets a
 * question naming {@code --prune} or {@code glp_add_cols} meet the chunks that contain that very literal.
 */
final class LiteralAnalyzer extends Analyzer {
    /** Sentence punctuation at either end of a token, but not characters that make up code ({@code -<>=_*$}). */
    static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[\\[(\"'`,;:!?.{]+|[\\[\\]()\"'`,;:!?.}]+$");

    /** A literal worth matching exactly: it has a code character, or mixes letters and digits ({@code x11}). */
    private static final Pattern CODE_LIKE = Pattern.compile(".*[-_./<>=$:@#*+].*|(?=.*\\d)(?=.*\\p{L}).*");

    static boolean codeLike(String token) {
        return CODE_LIKE.matcher(token).matches();
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        WhitespaceTokenizer source = new WhitespaceTokenizer();
        TokenStream stream = new PatternReplaceFilter(source, EDGE_PUNCTUATION, "", true);
        stream = new LengthFilter(stream, 1, 255);
        return new TokenStreamComponents(source, new LowerCaseFilter(stream));
    }
}
