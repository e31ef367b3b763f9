package dev.jerry.agent.attach;

import dev.jerry.kit.api.CollectionNames;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scratch collections in Chroma: one per conversation that has attachments, named after a hash of the
 * conversation id (ids hold characters Chroma's names may not), holding the attachments' passages. When it expires is
 * in the collection's metadata, so that every agent-service process sees the same and any of them may sweep it.
 */
final class ScratchStore {
    /** Reserved: no route that takes a collection name from a client reaches these collections. */
    static final String PREFIX = CollectionNames.ATTACHMENTS_PREFIX;

    static final String CONVERSATION_KEY = "conversation_id";
    static final String EXPIRES_KEY = "expires_at";
    /** Metadata of a record that holds an image (base64 in its document) rather than a passage. */
    static final String KIND_KEY = "kind";

    static final String IMAGE = "image";
    private static final int MAX_RECORDS = 100_000;

    private final KnowledgeStore store;

    ScratchStore(KnowledgeStore store) {
        this.store = store;
    }

    static String collectionName(String conversationId) {
        return PREFIX + Sha256.hexOfParts("scratch", conversationId).substring(0, 40);
    }

    /**
     * Writes a file's passages into the conversation's collection (created if needed) in place of any earlier file
     * of the same name, and moves its expiry to {@code expiresAt}.
     */
    void write(
            String conversationId,
            String filename,
            List<KnowledgeChunk> chunks,
            List<float[]> vectors,
            Instant expiresAt) {
        ChromaClient.Collection collection = store.openForWriting(collectionName(conversationId));
        removeFile(collection, filename);
        store.chroma()
                .upsert(
                        collection,
                        chunks.stream().map(KnowledgeChunk::id).toList(),
                        vectors,
                        chunks.stream().map(KnowledgeChunk::text).toList(),
                        chunks.stream().map(KnowledgeChunk::metadata).toList());
        expire(collection, conversationId, expiresAt);
    }

    /** Keeps an image (base64) for the conversation, in place of an earlier one of the same name. */
    void writeImage(String conversationId, String filename, String base64, float[] vector, Instant expiresAt) {
        ChromaClient.Collection collection = store.openForWriting(collectionName(conversationId));
        removeFile(collection, filename);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("source", filename);
        metadata.put(KIND_KEY, IMAGE);
        store.chroma()
                .upsert(
                        collection,
                        List.of(Sha256.hexOfParts("image", filename).substring(0, 32)),
                        List.of(vector),
                        List.of(base64),
                        List.of(metadata));
        expire(collection, conversationId, expiresAt);
    }

    private void removeFile(ChromaClient.Collection collection, String filename) {
        List<String> ids = store.chroma().get(collection, null, null, false, MAX_RECORDS, 0).stream()
                .filter(r -> filename.equals(r.metadata().get("source")))
                .map(ChromaClient.Record::id)
                .toList();
        store.chroma().deleteIds(collection, ids);
    }

    private void expire(ChromaClient.Collection collection, String conversationId, Instant expiresAt) {
        Map<String, Object> metadata = new LinkedHashMap<>(collection.metadata());
        metadata.put(CONVERSATION_KEY, conversationId);
        metadata.put(EXPIRES_KEY, expiresAt.getEpochSecond());
        store.chroma().modify(collection, metadata);
    }

    /** The conversation's collection while it lives. */
    Optional<ChromaClient.Collection> live(String conversationId, Instant now) {
        return store.chroma().collection(collectionName(conversationId)).filter(c -> !expired(c, now));
    }

    /** The passages nearest to {@code vector} (images left out), at most {@code n}. */
    List<ChromaClient.Record> search(ChromaClient.Collection collection, float[] vector, int n) {
        long images = store.chroma().get(collection, null, null, false, MAX_RECORDS, 0).stream()
                .filter(r -> IMAGE.equals(r.metadata().get(KIND_KEY)))
                .count();
        return store.chroma().query(collection, vector, n + (int) images, null).stream()
                .filter(r -> !IMAGE.equals(r.metadata().get(KIND_KEY)))
                .limit(n)
                .toList();
    }

    /** The names of the files the collection holds. */
    List<String> files(ChromaClient.Collection collection) {
        return store.chroma().get(collection, null, null, false, MAX_RECORDS, 0).stream()
                .map(r -> String.valueOf(r.metadata().get("source")))
                .distinct()
                .toList();
    }

    /** The image records of the collection, with their documents (the images in base64). */
    List<ChromaClient.Record> images(ChromaClient.Collection collection) {
        List<String> ids = store.chroma().get(collection, null, null, false, MAX_RECORDS, 0).stream()
                .filter(r -> IMAGE.equals(r.metadata().get(KIND_KEY)))
                .map(ChromaClient.Record::id)
                .toList();
        return ids.isEmpty() ? List.of() : store.chroma().get(collection, null, ids, true, ids.size(), 0);
    }

    /** Removes the conversation's collection; the number of files it held (0 when it had none). */
    int delete(String conversationId) {
        String name = collectionName(conversationId);
        Optional<ChromaClient.Collection> collection = store.chroma().collection(name);
        if (collection.isEmpty()) {
            return 0;
        }
        int files = files(collection.get()).size();
        store.chroma().deleteCollection(name);
        return files;
    }

    /** Removes every scratch collection whose time is up; the names removed. */
    List<String> sweep(Instant now) {
        List<String> removed = new ArrayList<>();
        for (ChromaClient.Collection c : store.chroma().collections()) {
            if (c.name().startsWith(PREFIX) && expired(c, now)) {
                store.chroma().deleteCollection(c.name());
                removed.add(c.name());
            }
        }
        return removed;
    }

    private static boolean expired(ChromaClient.Collection collection, Instant now) {
        return collection.metadata().get(EXPIRES_KEY) instanceof Number expires
                && expires.longValue() <= now.getEpochSecond();
    }
}
