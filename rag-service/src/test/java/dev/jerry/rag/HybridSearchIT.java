package dev.jerry.rag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.client.UpstreamConfig;
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
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hybrid, page-aware search through rag-service's HTTP API over the real Chroma. */
@ExtendWith(ChromaExtension.class)
class HybridSearchIT {
    private static final InProcessEmbeddings EMBEDDINGS = new InProcessEmbeddings();
    private static final String LITERAL = "--qq-xv7: disables audit spool rotation.";
    private static KnowledgeStore store;
    private static URI chromaUrl;

    @BeforeAll
    static void fill(ChromaServer chroma) {
        chromaUrl = chroma.baseUrl();
        store = new KnowledgeStore(new ChromaClient(chroma.baseUrl(), new ServiceMetrics("test")), EMBEDDINGS);
        List<KnowledgeChunk> chunks = new ArrayList<>();
        // sixty pages worded like the question, without its literal: closer to it in meaning than the answer
        for (int i = 10; i < 70; i++) {
            chunks.add(KnowledgeChunk.of(
                    "tool.pdf",
                    i - 9,
                    "Tool Manual",
                    i,
                    "In the settings dialog, option number " + i + " changes how the tool works for you.",
                    "h1",
                    List.of()));
        }
        chunks.add(KnowledgeChunk.of("tool.pdf", 61, "Tool Manual", 60, LITERAL, "h1", List.of()));
        // two chunks of one page
        chunks.add(KnowledgeChunk.of(
                "pumps.pdf", 4, "Pumps", 0, "The primary pump is lubricated with synthetic oil.", "h2", List.of()));
        chunks.add(KnowledgeChunk.of(
                "pumps.pdf", 4, "Pumps", 1, "Change the pump oil every 500 hours of operation.", "h2", List.of()));
        chunks.add(KnowledgeChunk.of(
                "pumps.pdf", 5, "Pumps", 2, "The valves are inspected once a year.", "h2", List.of()));
        write("hybrid", chunks, Map.of("tool.pdf", "h1", "pumps.pdf", "h2"));
    }

    static void write(String name, List<KnowledgeChunk> chunks, Map<String, String> files) {
        var collection = store.openForWriting(name);
        store.chroma()
                .upsert(
                        collection,
                        chunks.stream().map(KnowledgeChunk::id).toList(),
                        EMBEDDINGS.embed(
                                chunks.stream().map(KnowledgeChunk::text).toList()),
                        chunks.stream().map(KnowledgeChunk::text).toList(),
                        chunks.stream().map(KnowledgeChunk::metadata).toList());
        store.chroma()
                .upsert(
                        store.files(name),
                        List.copyOf(files.keySet()),
                        files.keySet().stream().map(f -> new float[] {1f}).toList(),
                        List.copyOf(files.keySet()),
                        files.values().stream()
                                .map(h -> Map.<String, Object>of("file_hash", h))
                                .toList());
        store.touch(name);
    }

    private static ServiceApp start() {
        var knowledge = new KnowledgeConfig(
                chromaUrl,
                "hybrid",
                KnowledgeConfig.Embeddings.IN_PROCESS,
                new UpstreamConfig("model-service", URI.create("http://127.0.0.1:1"), Optional.empty()));
        return RagServiceApp.create(
                        new RagServiceConfig(ServerConfig.forTests("rag", AuthConfig.open()), knowledge),
                        new ServiceMetrics("rag"),
                        EMBEDDINGS)
                .start();
    }

    private static JsonNode search(ServiceApp app, String body) throws Exception {
        HttpResponse<String> response = Http.post(app.baseUrl(), "/v1/search", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body()).path("results");
    }

    @Test
    void should_find_a_rare_literal_through_the_lexical_side_that_the_dense_side_misses() throws Exception {
        // given: the dense ranking alone does not have it among its first five
        String question = "In the settings dialog, what does --qq-xv7 change about how the tool works for me?";
        var dense = store.chroma()
                .query(
                        store.openForReading("hybrid"),
                        EMBEDDINGS.embed(List.of(question)).getFirst(),
                        5,
                        null);
        assertThat(dense).extracting(ChromaClient.Record::document).doesNotContain(LITERAL);
        ServiceApp app = start();
        try {
            // when
            JsonNode results = search(app, "{\"query\": \"" + question + "\", \"top_k\": 5}");

            // then
            JsonNode found = null;
            for (JsonNode r : results) {
                if (r.path("text").asText().equals(LITERAL)) {
                    found = r;
                }
            }
            assertThat(found).as("the page with the literal among %s", results).isNotNull();
            assertThat(results.get(0)).isEqualTo(found);
            assertThat(found.path("page").asInt()).isEqualTo(61);
            assertThat(Json.mapper().convertValue(found.path("found_by"), List.class))
                    .containsExactly("lexical");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_return_one_result_for_two_chunks_of_one_page_and_both_when_chunks_are_asked_for() throws Exception {
        ServiceApp app = start();
        try {
            // when
            JsonNode pages =
                    search(app, "{\"query\": \"pump oil\", \"top_k\": 5, \"filter\": {\"source\": \"pumps.pdf\"}}");
            JsonNode chunks = search(
                    app,
                    "{\"query\": \"pump oil\", \"top_k\": 5, \"chunks\": true, \"filter\": {\"source\": \"pumps.pdf\"}}");

            // then
            assertThat(pages.findValuesAsText("page")).containsExactly("4", "5");
            assertThat(pages.get(0).path("title").asText()).isEqualTo("Pumps");
            assertThat(chunks.findValuesAsText("page")).containsExactly("4", "4", "5");
        } finally {
            app.stop();
        }
    }

    @Test
    void should_answer_the_same_ranking_after_a_restart() throws Exception {
        String body = "{\"query\": \"which option changes how the tool works\", \"top_k\": 10, \"chunks\": true}";
        ServiceApp first = start();
        List<String> before;
        try {
            before = search(first, body).findValuesAsText("chunk_id");
        } finally {
            first.stop();
        }

        ServiceApp restarted = start();
        try {
            assertThat(search(restarted, body).findValuesAsText("chunk_id"))
                    .hasSize(10)
                    .isEqualTo(before);
        } finally {
            restarted.stop();
        }
    }
}
