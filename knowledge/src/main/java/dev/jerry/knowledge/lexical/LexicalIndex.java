package dev.jerry.knowledge.lexical;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * A BM25 index (Lucene) over the chunks of one collection, in memory, built from what Chroma holds and identified by
 * the collection's content version. Immutable once built: a newer version of the collection gets a new index.
 */
public final class LexicalIndex implements AutoCloseable {
    /** A chunk to index: its id, its text, and the fields searches filter on. */
    public record Entry(String id, String text, String source, List<String> tags) {}

    /** A chunk found, with its 1-based rank in the lexical ranking. */
    public record Hit(String id, int rank, float score) {}

    private static final String ID = "id";
    private static final String TEXT = "text";
    private static final String SOURCE = "source";
    private static final String TAG = "tag";
    private static final String LITERAL = "literal";

    private final String version;
    private final int size;
    private final ByteBuffersDirectory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = new CodeAnalyzer();
    private final Analyzer literals = new LiteralAnalyzer();

    private static Analyzer indexing() {
        return new PerFieldAnalyzerWrapper(new CodeAnalyzer(), Map.of(LITERAL, new LiteralAnalyzer()));
    }

    private LexicalIndex(String version, int size, ByteBuffersDirectory directory) throws IOException {
        this.version = version;
        this.size = size;
        this.directory = directory;
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
    }

    /** Indexes the entries; {@code version} is the collection content version they were read at. */
    public static LexicalIndex build(String version, List<Entry> entries) {
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(indexing()))) {
            for (Entry entry : entries) {
                Document doc = new Document();
                doc.add(new StringField(ID, entry.id(), Field.Store.YES));
                doc.add(new TextField(TEXT, entry.text(), Field.Store.NO));
                doc.add(new TextField(LITERAL, entry.text(), Field.Store.NO));
                doc.add(new StringField(SOURCE, entry.source(), Field.Store.NO));
                for (String tag : entry.tags()) {
                    doc.add(new StringField(TAG, tag, Field.Store.NO));
                }
                writer.addDocument(doc);
            }
            writer.commit();
            return new LexicalIndex(version, entries.size(), directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the lexical index in memory", e);
        }
    }

    public String version() {
        return version;
    }

    public int size() {
        return size;
    }

    /** The best {@code n} chunks for the query by BM25, only of {@code source} (if given) and with all {@code tags}. */
    public List<Hit> search(String query, int n, String source, List<String> tags) {
        return search(
                new QueryBuilder(analyzer).createBooleanQuery(TEXT, query, BooleanClause.Occur.SHOULD),
                n,
                source,
                tags);
    }

    /**
     * The best {@code n} chunks holding, exactly as written, the code-like literals of the query ({@code --prune},
     * {@code glp_add_cols}, {@code x11}); none when the query has no such literal.
     */
    public List<Hit> literal(String query, int n, String source, List<String> tags) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int count = 0;
        try (TokenStream stream = literals.tokenStream(LITERAL, query)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String token = term.toString();
                if (LiteralAnalyzer.codeLike(token) && count++ < 16) {
                    any.add(new TermQuery(new Term(LITERAL, token)), BooleanClause.Occur.SHOULD);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count == 0 ? List.of() : search(any.build(), n, source, tags);
    }

    private List<Hit> search(Query text, int n, String source, List<String> tags) {
        if (text == null) {
            return List.of(); // nothing searchable left after analysis (only stop words or punctuation)
        }
        BooleanQuery.Builder builder = new BooleanQuery.Builder().add(text, BooleanClause.Occur.MUST);
        if (source != null && !source.isBlank()) {
            builder.add(new TermQuery(new Term(SOURCE, source)), BooleanClause.Occur.FILTER);
        }
        for (String tag : tags == null ? List.<String>of() : tags) {
            builder.add(new TermQuery(new Term(TAG, tag)), BooleanClause.Occur.FILTER);
        }
        try {
            ScoreDoc[] top = searcher.search(builder.build(), n).scoreDocs;
            List<Hit> hits = new ArrayList<>(top.length);
            for (int i = 0; i < top.length; i++) {
                String id = searcher.storedFields().document(top[i].doc).get(ID);
                hits.add(new Hit(id, i + 1, top[i].score));
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the lexical index", e);
        }
    }

    /** Every chunk id in the index, for consistency checks. */
    public List<String> ids() {
        try {
            List<String> ids = new ArrayList<>(size);
            var stored = searcher.storedFields();
            for (int doc = 0; doc < reader.maxDoc(); doc++) {
                ids.add(stored.document(doc).get(ID));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lexical index", e);
        }
    }

    /** Entries from Chroma metadata: tags are stored as {@code tag:NAME = true}. */
    public static List<String> tags(Map<String, Object> metadata) {
        return metadata.keySet().stream()
                .filter(k -> k.startsWith("tag:"))
                .map(k -> k.substring(4))
                .toList();
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
