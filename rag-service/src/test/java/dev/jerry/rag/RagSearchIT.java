package dev.jerry.rag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.client.UpstreamConfig;
import dev.jerry.kit.digest.Sha256;
import dev.jerry.kit.http.ServerConfig;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.knowledge.KnowledgeChunk;
import dev.jerry.knowledge.KnowledgeConfig;
import dev.jerry.knowledge.KnowledgeStore;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.Http;
import dev.jerry.testing.Ports;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** rag-service's HTTP API over the real Chroma, filled through the knowledge store as the ingestion job fills it. */
@ExtendWith(ChromaExtension.class)
class RagSearchIT {
    private static final InProcessEmbeddings EMBEDDINGS = new InProcessEmbeddings();
    /** The attachments' collection of the direct messages with user 42: anyone can compute its name. */
    private static final String SCRATCH =
            "scratch-" + Sha256.hexOfParts("scratch", "dm:42").substring(0, 40);

    private static ServiceApp app;
    private static ServiceMetrics metrics;

    @BeforeAll
    static void fill(ChromaServer chroma) {
        var store = new KnowledgeStore(new ChromaClient(chroma.baseUrl(), new ServiceMetrics("test")), EMBEDDINGS);
        var chunks = List.of(
                KnowledgeChunk.of(
                        "manual.pdf",
                        2,
                        "Reactor Manual",
                        0,
                        "The reactor core is cooled by heavy water pumped at 40 bar.",
                        "h1",
                        List.of("ops")),
                KnowledgeChunk.of(
                        "manual.pdf",
                        3,
                        "Reactor Manual",
                        1,
                        "For an emergency shutdown turn the red key clockwise.",
                        "h1",
                        List.of("ops", "safety")),
                KnowledgeChunk.of(
                        "garden.md",
                        1,
                        "Garden notes",
                        0,
                        "Tomatoes need six hours of direct sun every day.",
                        "h2",
                        List.of()));
        var collection = store.openForWriting("library");
        store.chroma()
                .upsert(
                        collection,
                        chunks.stream().map(KnowledgeChunk::id).toList(),
                        EMBEDDINGS.embed(
                                chunks.stream().map(KnowledgeChunk::text).toList()),
                        chunks.stream().map(KnowledgeChunk::text).toList(),
                        chunks.stream().map(KnowledgeChunk::metadata).toList());
        // the ingestion job's file records: a chunk counts only with the record of its file
        store.chroma()
                .upsert(
                        store.files("library"),
                        List.of("manual.pdf", "garden.md"),
                        List.of(new float[] {1f}, new float[] {1f}),
                        List.of("manual.pdf", "garden.md"),
                        List.of(Map.of("file_hash", "h1"), Map.of("file_hash", "h2")));
        store.chroma().getOrCreate("foreign", Map.of("embedding_model", "nomic-embed-text", "dimension", 768));
        // a conversation's attachments, as agent-service keeps them: the name derives from the conversation id
        var attachment = KnowledgeChunk.of(
                "payslip.pdf",
                1,
                "Payslip",
                0,
                "Net salary of the reactor operator: 4,200 per month.",
                "h3",
                List.of());
        store.chroma()
                .upsert(
                        store.openForWriting(SCRATCH),
                        List.of(attachment.id()),
                        EMBEDDINGS.embed(List.of(attachment.text())),
                        List.of(attachment.text()),
                        List.of(attachment.metadata()));
        metrics = new ServiceMetrics("rag");
        app = start(chroma.baseUrl(), metrics);
    }

    private static ServiceApp start(URI chroma, ServiceMetrics metrics) {
        var knowledge = new KnowledgeConfig(
                chroma,
                "library",
                KnowledgeConfig.Embeddings.IN_PROCESS,
                new UpstreamConfig("model-service", URI.create("http://127.0.0.1:1"), Optional.empty()));
        return RagServiceApp.create(
                        new RagServiceConfig(ServerConfig.forTests("rag", AuthConfig.open()), knowledge),
                        metrics,
                        EMBEDDINGS)
                .start();
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static JsonNode search(String body) throws Exception {
        HttpResponse<String> response = Http.post(app.baseUrl(), "/v1/search", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    @Test
    void should_answer_with_the_right_chunk_first_and_its_citation() throws Exception {
        JsonNode answer = search("{\"query\": \"How is the reactor cooled?\", \"top_k\": 3}");

        JsonNode first = answer.path("results").get(0);
        assertThat(first.path("source").asText()).isEqualTo("manual.pdf");
        assertThat(first.path("page").asInt()).isEqualTo(2);
        assertThat(first.path("title").asText()).isEqualTo("Reactor Manual");
        assertThat(first.path("text").asText()).contains("heavy water");
        assertThat(first.path("chunk_id").asText()).hasSize(32);
        assertThat(first.path("score").asDouble())
                .isGreaterThan(answer.path("results").get(1).path("score").asDouble());
        assertThat(answer.path("embedding_model").asText()).isEqualTo("bge-small-en-v1.5");
        assertThat(answer.path("results")).hasSize(3);
    }

    @Test
    void should_filter_by_source_by_tags_and_by_min_score() throws Exception {
        var bySource = search("{\"query\": \"reactor\", \"filter\": {\"source\": \"garden.md\"}}")
                .path("results");
        var byTags = search("{\"query\": \"reactor\", \"filter\": {\"tags\": [\"ops\", \"safety\"]}}")
                .path("results");
        var strict = search("{\"query\": \"reactor\", \"min_score\": 0.99}").path("results");

        assertThat(bySource).hasSize(1);
        assertThat(bySource.get(0).path("source").asText()).isEqualTo("garden.md");
        assertThat(byTags).hasSize(1);
        assertThat(byTags.get(0).path("page").asInt()).isEqualTo(3);
        assertThat(strict).isEmpty();
        assertThat(metrics.scrape()).containsPattern("jerry_rag_search_empty_total\\{[^}]*collection=\"library\"");
    }

    @Test
    void should_list_collections_with_size_and_model_but_not_file_records() throws Exception {
        var response = Http.get(app.baseUrl(), "/v1/collections");

        JsonNode collections = Json.mapper().readTree(response.body()).path("collections");
        assertThat(collections.findValuesAsText("name"))
                .contains("library", "foreign")
                .doesNotContain("library.files");
        JsonNode library = collections.findParents("name").stream()
                .filter(c -> c.path("name").asText().equals("library"))
                .findFirst()
                .orElseThrow();
        assertThat(library.path("chunks").asInt()).isEqualTo(3);
        assertThat(library.path("embedding_model").asText()).isEqualTo("bge-small-en-v1.5");
        assertThat(library.path("dimension").asInt()).isEqualTo(384);
    }

    @Test
    void should_refuse_to_search_an_attachments_collection_and_leave_it_out_of_the_listing() throws Exception {
        // given: a conversation's attachment collection, in Chroma beside the knowledge base
        String[] names = {SCRATCH, SCRATCH.toUpperCase(java.util.Locale.ROOT), "scratch-anything"};

        for (String name : names) {
            // when
            var search = Http.post(
                    app.baseUrl(), "/v1/search", "{\"query\": \"net salary\", \"collection\": \"" + name + "\"}");

            // then
            assertThat(search.statusCode()).as(name).isEqualTo(400);
            assertThat(Http.errorMessage(search))
                    .startsWith("field 'collection' may not start with 'scratch-'")
                    .contains("reserved for the attachments");
            assertThat(search.body()).doesNotContain("4,200");
        }
        JsonNode listed = Json.mapper()
                .readTree(Http.get(app.baseUrl(), "/v1/collections").body())
                .path("collections");
        assertThat(listed.findValuesAsText("name")).contains("library").noneMatch(n -> n.startsWith("scratch-"));
    }

    @Test
    void should_answer_404_for_an_unknown_collection_and_409_for_a_foreign_one() throws Exception {
        var unknown = Http.post(app.baseUrl(), "/v1/search", "{\"query\": \"x\", \"collection\": \"nothing-here\"}");
        var foreign = Http.post(app.baseUrl(), "/v1/search", "{\"query\": \"x\", \"collection\": \"foreign\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("ingest documents into it first");
        assertThat(foreign.statusCode()).isEqualTo(409);
        assertThat(foreign.body()).contains("was built with embedding model nomic-embed-text (768 dimensions)");
    }

    @Test
    void should_answer_bad_input_with_400_naming_the_field() {
        var noQuery = Http.post(app.baseUrl(), "/v1/search", "{\"top_k\": 3}");
        var tooMany = Http.post(app.baseUrl(), "/v1/search", "{\"query\": \"x\", \"top_k\": 500}");

        assertThat(noQuery.statusCode()).isEqualTo(400);
        assertThat(noQuery.body()).contains("'query'");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("'top_k' must be between 1 and 50");
    }

    @Test
    void should_answer_503_naming_chroma_when_it_is_down() throws Exception {
        ServiceApp orphan = start(URI.create("http://127.0.0.1:" + Ports.free()), new ServiceMetrics("rag"));
        try {
            var response = Http.post(orphan.baseUrl(), "/v1/search", "{\"query\": \"x\"}");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Http.errorMessage(response)).startsWith("chroma is unreachable at http://127.0.0.1:");
        } finally {
            orphan.stop();
        }
    }
}
