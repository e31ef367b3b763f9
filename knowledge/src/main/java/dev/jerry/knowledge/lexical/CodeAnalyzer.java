package dev.jerry.knowledge.lexical;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;

/**
 * Text analysis for manuals: words are split and stemmed as usual, but a token such as {@code --prune},
 * {@code apt-get}, {@code <<-}, {@code glp_add_cols} or {@code x11} is also kept whole, so a question that names an
 * option or a function finds the page that has exactly that literal. Prose punctuation around a token
 * ({@code "(see xrange)."}) is trimmed first.
 */
public final class CodeAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        WhitespaceTokenizer source = new WhitespaceTokenizer();
        TokenStream stream = new PatternReplaceFilter(source, LiteralAnalyzer.EDGE_PUNCTUATION, "", true);
        stream = new LengthFilter(stream, 1, 255);
        stream = new WordDelimiterGraphFilter(
                stream,
                WordDelimiterGraphFilter.PRESERVE_ORIGINAL
                        | WordDelimiterGraphFilter.GENERATE_WORD_PARTS
                        | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
                        | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS,
                null);
        stream = new FlattenGraphFilter(stream);
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        // the stem and the word as written both count: "plotting" meets "plot", and "xtics" still meets "xtics"
        stream = new KeywordRepeatFilter(stream);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, new RemoveDuplicatesTokenFilter(stream));
    }
}
