package dev.jerry.knowledge;

import dev.jerry.kit.digest.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a document, citable by source and page. Its id is a hash of (source, page, chunk index, text), so
 * ingesting the same document again produces the same ids.
 *
 * @param source the document's path relative to the folder it was ingested from
 * @param page 1-based page (text files are one page)
 * @param fileHash SHA-256 of the whole file the chunk came from
 * @param section the section path ({@code "Commands > Set > Xrange"}), or null when the document has no structure
 */
public record KnowledgeChunk(
        String id,
        String source,
        int page,
        String title,
        int chunkIndex,
        String text,
        String fileHash,
        List<String> tags,
        String section) {
    public KnowledgeChunk {
        tags = List.copyOf(tags);
    }

    public static KnowledgeChunk of(
            String source, int page, String title, int chunkIndex, String text, String fileHash, List<String> tags) {
        return of(source, page, title, chunkIndex, text, fileHash, tags, null);
    }

    public static KnowledgeChunk of(
            String source,
            int page,
            String title,
            int chunkIndex,
            String text,
            String fileHash,
            List<String> tags,
            String section) {
        return new KnowledgeChunk(
                id(source, page, chunkIndex, text), source, page, title, chunkIndex, text, fileHash, tags, section);
    }

    /** What is embedded: the chunk in its context (document title, section path), as a reader would see it. */
    public String embeddedText() {
        return title + (section == null ? "" : " > " + section) + "\n" + text;
    }

    public static String id(String source, int page, int chunkIndex, String text) {
        return Sha256.hexOfParts(source, String.valueOf(page), String.valueOf(chunkIndex), text)
                .substring(0, 32);
    }

    /** What the lexical index holds of a stored chunk: its section path (when known) and its text. */
    public static String indexedText(ChromaClient.Record record) {
        Object section = record.metadata().get("section");
        return section == null ? record.document() : section + "\n" + record.document();
    }

    /** The metadata stored with the chunk in Chroma; tags become {@code tag:<name> = true} for filtering. */
    public Map<String, Object> metadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("source", source);
        metadata.put("page", page);
        metadata.put("title", title);
        metadata.put("chunk_index", chunkIndex);
        metadata.put("file_hash", fileHash);
        if (section != null) {
            metadata.put("section", section);
        }
        for (String tag : tags) {
            metadata.put("tag:" + tag, true);
        }
        return metadata;
    }
}
