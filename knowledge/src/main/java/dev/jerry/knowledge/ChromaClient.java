package dev.jerry.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ClientOptions;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chroma's v2 REST API, the parts Jerry needs: collections with metadata, upsert, query, get and delete by
 * {@link Where} filters, counts. (langchain4j-chroma has no collection metadata, upsert or get-by-filter.) Chroma's
 * filter syntax ({@code $eq}, {@code $and}) is written here only.
 *
 * <p>Longer than most classes on purpose: it is the one place that knows Chroma's wire format, so a change of Chroma's
 * API is a change of this file alone.
 */
public final class ChromaClient {
    public static final String UPSTREAM = "chroma";

    /** A collection as Chroma describes it. */
    public record Collection(String id, String name, Map<String, Object> metadata) {}

    /** One stored record: id, text, metadata, for queries its cosine distance, its vector when asked for. */
    public record Record(String id, String document, Map<String, Object> metadata, double distance, float[] embedding) {
        Record(String id, String document, Map<String, Object> metadata, double distance) {
            this(id, document, metadata, distance, null);
        }
    }

    /** Which records a get, query or delete touches: typed, so no caller writes Chroma's filter syntax. */
    public sealed interface Where {
        /** Records whose metadata {@code key} equals {@code value}. */
        static Where eq(String key, Object value) {
            return new Eq(key, value);
        }

        /** Records matching every one of the conditions; none is every record. */
        static Where all(List<Where> conditions) {
            return new All(List.copyOf(conditions));
        }

        record Eq(String key, Object value) implements Where {}

        record All(List<Where> conditions) implements Where {}
    }

    /** Chroma's {@code where} body, or null for every record. */
    private static Object where(Where where) {
        return switch (where) {
            case null -> null;
            case Where.Eq eq -> Map.of(eq.key(), Map.of("$eq", eq.value()));
            case Where.All all ->
                all.conditions().isEmpty()
                        ? null
                        : all.conditions().size() == 1
                                ? where(all.conditions().getFirst())
                                : Map.of(
                                        "$and",
                                        all.conditions().stream()
                                                .map(ChromaClient::where)
                                                .toList());
        };
    }

    /** Reads pages of at most this many records. */
    static final int PAGE = 1000;

    private final ServiceClient client;
    private final String base;

    public ChromaClient(URI url, ServiceMetrics metrics) {
        this(url, "default_tenant", "default_database", metrics);
    }

    public ChromaClient(URI url, String tenant, String database, ServiceMetrics metrics) {
        this.client = new ServiceClient(UPSTREAM, url, Optional.empty(), ClientOptions.defaults(), metrics);
        this.base = "/api/v2/tenants/" + tenant + "/databases/" + database + "/collections";
    }

    /** A client with its own timeouts and retries (a caller that must not wait long for a Chroma that is down). */
    public ChromaClient(URI url, ClientOptions options, ServiceMetrics metrics) {
        this.client = new ServiceClient(UPSTREAM, url, Optional.empty(), options, metrics);
        this.base = "/api/v2/tenants/default_tenant/databases/default_database/collections";
    }

    public URI url() {
        return client.baseUrl();
    }

    public void heartbeat() {
        client.get("/api/v2/heartbeat", Map.class);
    }

    public Optional<Collection> collection(String name) {
        try {
            return Optional.of(collection(Json.mapper().valueToTree(client.get(base + "/" + encode(name), Map.class))));
        } catch (UpstreamException.BadResponse e) {
            if (e.upstreamStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates the collection (cosine space) with the given metadata, or returns it if it exists. */
    public Collection getOrCreate(String name, Map<String, Object> metadata) {
        Map<String, Object> withSpace = new LinkedHashMap<>(metadata);
        withSpace.put("hnsw:space", "cosine");
        Map<String, Object> body = Map.of("name", name, "metadata", withSpace, "get_or_create", true);
        return collection(Json.mapper().valueToTree(client.post(base, body, Map.class)));
    }

    public List<Collection> collections() {
        JsonNode list = Json.mapper().valueToTree(client.get(base + "?limit=1000", List.class));
        List<Collection> collections = new ArrayList<>();
        list.forEach(node -> collections.add(collection(node)));
        return collections;
    }

    public void deleteCollection(String name) {
        client.send("DELETE", base + "/" + encode(name), null, Map.of());
    }

    public long count(Collection collection) {
        return Long.parseLong(client.send("GET", base + "/" + collection.id() + "/count", null, Map.of())
                .body()
                .strip());
    }

    public void upsert(
            Collection collection,
            List<String> ids,
            List<float[]> embeddings,
            List<String> documents,
            List<Map<String, Object>> metadatas) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ids", ids);
        body.put("embeddings", embeddings);
        body.put("documents", documents);
        body.put("metadatas", metadatas);
        client.post(base + "/" + collection.id() + "/upsert", body, Map.class);
    }

    /** Replaces the collection's metadata (Chroma keeps none of the old keys: pass them all). */
    public void modify(Collection collection, Map<String, Object> metadata) {
        client.send("PUT", base + "/" + collection.id(), Map.of("new_metadata", metadata), Map.of());
    }

    /** Gives the collection another name; its records and metadata stay. */
    public void rename(Collection collection, String name) {
        client.send("PUT", base + "/" + collection.id(), Map.of("new_name", name), Map.of());
    }

    /** The records with these ids: text, metadata and vectors. */
    public List<Record> getWithEmbeddings(Collection collection, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return withEmbeddings(
                collection, Map.of("ids", ids, "include", List.of("metadatas", "documents", "embeddings")));
    }

    /** A page of the records matching {@code where}: text, metadata and vectors. */
    public List<Record> getWithEmbeddings(Collection collection, Where where, int limit, int offset) {
        Map<String, Object> body = new LinkedHashMap<>();
        Object filter = where(where);
        if (filter != null) {
            body.put("where", filter);
        }
        body.put("include", List.of("metadatas", "documents", "embeddings"));
        body.put("limit", limit);
        body.put("offset", offset);
        return withEmbeddings(collection, body);
    }

    private List<Record> withEmbeddings(Collection collection, Map<String, Object> body) {
        JsonNode answer =
                Json.mapper().valueToTree(client.post(base + "/" + collection.id() + "/get", body, Map.class));
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < answer.path("ids").size(); i++) {
            JsonNode values = answer.path("embeddings").path(i);
            float[] vector = new float[values.size()];
            for (int j = 0; j < vector.length; j++) {
                vector[j] = (float) values.get(j).asDouble();
            }
            records.add(new Record(
                    answer.path("ids").get(i).asText(),
                    answer.path("documents").get(i).asText(null),
                    metadata(answer.path("metadatas").get(i)),
                    0,
                    vector));
        }
        return records;
    }

    /** Deletes the records matching {@code where} (which must say something: deleting everything is not offered). */
    public void delete(Collection collection, Where where) {
        Object filter = where(where);
        if (filter == null) {
            throw new IllegalArgumentException("a delete needs a condition");
        }
        client.post(base + "/" + collection.id() + "/delete", Map.of("where", filter), Map.class);
    }

    public void deleteIds(Collection collection, List<String> ids) {
        if (!ids.isEmpty()) {
            client.post(base + "/" + collection.id() + "/delete", Map.of("ids", ids), Map.class);
        }
    }

    /** Records matching {@code where} (or the given ids), with their metadata; documents only if asked. */
    public List<Record> get(
            Collection collection, Where where, List<String> ids, boolean documents, int limit, int offset) {
        Map<String, Object> body = new LinkedHashMap<>();
        Object filter = where(where);
        if (filter != null) {
            body.put("where", filter);
        }
        if (ids != null) {
            body.put("ids", ids);
        }
        body.put("include", documents ? List.of("metadatas", "documents") : List.of("metadatas"));
        body.put("limit", limit);
        body.put("offset", offset);
        JsonNode answer =
                Json.mapper().valueToTree(client.post(base + "/" + collection.id() + "/get", body, Map.class));
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < answer.path("ids").size(); i++) {
            records.add(new Record(
                    answer.path("ids").get(i).asText(),
                    documents ? answer.path("documents").get(i).asText(null) : null,
                    metadata(answer.path("metadatas").get(i)),
                    0));
        }
        return records;
    }

    /** Every record matching {@code where} (ids and metadata), read page by page. */
    public List<Record> all(Collection collection, Where where) {
        List<Record> records = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            List<Record> page = get(collection, where, null, false, PAGE, offset);
            records.addAll(page);
            if (page.size() < PAGE) {
                return records;
            }
        }
    }

    /** The {@code n} nearest records to {@code embedding} among those matching {@code where}. */
    public List<Record> query(Collection collection, float[] embedding, int n, Where where) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query_embeddings", List.of(embedding));
        body.put("n_results", n);
        Object filter = where(where);
        if (filter != null) {
            body.put("where", filter);
        }
        body.put("include", List.of("documents", "metadatas", "distances"));
        JsonNode answer =
                Json.mapper().valueToTree(client.post(base + "/" + collection.id() + "/query", body, Map.class));
        List<Record> records = new ArrayList<>();
        JsonNode ids = answer.path("ids").path(0);
        for (int i = 0; i < ids.size(); i++) {
            records.add(new Record(
                    ids.get(i).asText(),
                    answer.path("documents").path(0).get(i).asText(null),
                    metadata(answer.path("metadatas").path(0).get(i)),
                    answer.path("distances").path(0).get(i).asDouble()));
        }
        return records;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : Json.mapper().convertValue(node, Map.class);
    }

    private static Collection collection(JsonNode node) {
        return new Collection(node.path("id").asText(), node.path("name").asText(), metadata(node.path("metadata")));
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
