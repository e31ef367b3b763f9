package dev.jerry.knowledge;

import dev.jerry.kit.api.CollectionNames;
import dev.jerry.kit.error.ServiceException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collections of knowledge chunks in Chroma, each bound to one embedding model: the model and dimension are recorded
 * in the collection's metadata when it is created, and any later use with another model is refused. Each chunk
 * collection has a {@link FileLedger} with one record per completely ingested file.
 */
public final class KnowledgeStore {
    public static final String MODEL_KEY = "embedding_model";
    public static final String DIMENSION_KEY = "dimension";
    /** Changes after every write to a chunk collection, so that indexes derived from it know to rebuild. */
    public static final String CONTENT_VERSION_KEY = "content_version";

    private final ChromaClient chroma;
    private final EmbeddingSource embeddings;

    public KnowledgeStore(ChromaClient chroma, EmbeddingSource embeddings) {
        this.chroma = chroma;
        this.embeddings = embeddings;
    }

    public ChromaClient chroma() {
        return chroma;
    }

    public EmbeddingSource embeddings() {
        return embeddings;
    }

    /** The chunk collection for writing: created if missing, refused if built with another model. */
    public ChromaClient.Collection openForWriting(String name) {
        ChromaClient.Collection collection =
                chroma.getOrCreate(name, Map.of(MODEL_KEY, embeddings.id(), DIMENSION_KEY, embeddings.dimension()));
        check(collection);
        return collection;
    }

    /** The chunk collection for reading: 404 if missing, refused if built with another model. */
    public ChromaClient.Collection openForReading(String name) {
        ChromaClient.Collection collection = chroma.collection(name)
                .orElseThrow(() -> new ServiceException.NotFound("collection '" + name
                        + "' does not exist; ingest documents into it first (./jerry ingest PATH)"));
        check(collection);
        return collection;
    }

    /** Stamps a new content version on the collection after its chunks or file records changed. */
    public void touch(String name) {
        ChromaClient.Collection collection = chroma.collection(name).orElseThrow();
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(collection.metadata());
        metadata.put(CONTENT_VERSION_KEY, java.util.UUID.randomUUID().toString());
        chroma.modify(collection, metadata);
    }

    /** The ledger of chunk collection {@code name}, if a file was ever recorded in it. */
    public Optional<FileLedger> ledger(String name) {
        return FileLedger.forReading(chroma, name);
    }

    /** The ledger of a chunk collection opened for writing: created, or migrated from the release before, if need be. */
    public FileLedger ledgerForWriting(ChromaClient.Collection chunks) {
        return FileLedger.forWriting(chroma, chunks, embeddings);
    }

    /**
     * The ledger collection as the release before kept it ({@code NAME.files}, one record per file with a
     * 1-dimensional placeholder vector), created if missing: only to build a collection as that release left it, as
     * the tests of the upgrade do. Jerry writes its ledger through {@link FileLedger}, which migrates this one.
     */
    public ChromaClient.Collection files(String name) {
        return chroma.getOrCreate(name + FileLedger.LEGACY_SUFFIX, Map.of("kind", "files"));
    }

    private void check(ChromaClient.Collection collection) {
        Object model = collection.metadata().get(MODEL_KEY);
        Object dimension = collection.metadata().get(DIMENSION_KEY);
        int ours = embeddings.dimension();
        if (!embeddings.id().equals(model) || dimension == null || ((Number) dimension).intValue() != ours) {
            throw new EmbeddingMismatchException("collection '" + collection.name()
                    + "' was built with embedding model "
                    + model + " (" + dimension + " dimensions); this service embeds with " + embeddings.id() + " ("
                    + ours + " dimensions). Use another collection, or ingest again into a new one.");
        }
    }

    /**
     * The records whose file record vouches for them (same file hash): chunks written by a run that stopped before
     * recording their file, or left over from an older version of it, are not knowledge yet.
     */
    public List<ChromaClient.Record> vouched(String name, List<ChromaClient.Record> chunks) {
        if (chunks.isEmpty()) {
            return chunks;
        }
        Optional<FileLedger> ledger = ledger(name);
        if (ledger.isEmpty()) {
            return List.of();
        }
        List<String> sources = chunks.stream()
                .map(r -> String.valueOf(r.metadata().get("source")))
                .distinct()
                .toList();
        return FileHashes.vouchedBy(ledger.get().hashes(sources), chunks);
    }

    /**
     * Chunk collections (not their ledgers, nor the attachments' collections, which are no one's to list), with their
     * model and size.
     */
    public List<CollectionInfo> collections() {
        return chroma.collections().stream()
                .filter(c -> !FileLedger.isLedger(c.name()) && !CollectionNames.reserved(c.name()))
                .map(c -> new CollectionInfo(
                        c.name(),
                        chroma.count(c),
                        String.valueOf(c.metadata().get(MODEL_KEY)),
                        c.metadata().get(DIMENSION_KEY) instanceof Number n ? n.intValue() : 0))
                .toList();
    }

    /** A collection as {@code GET /v1/collections} lists it. */
    public record CollectionInfo(String name, long chunks, String embeddingModel, int dimension) {}
}
