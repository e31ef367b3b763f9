package dev.jerry.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentHarness;
import dev.jerry.kit.api.AttachmentRequest;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.TestPdfs;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversation's attachments reach that conversation only: through the real agent-service, rag-service and Chroma,
 * another conversation's {@code rag_search} does not find them, and naming their (guessable) collection as a turn's or
 * a place's {@code collection} is refused.
 */
@ExtendWith(ChromaExtension.class)
class ScratchPrivacyIT {
    private static final String ALICE = "dm:5150";
    private static final String BOB = "dm:5151";

    @TempDir
    Path dir;

    private ServiceApp rag;
    private OllamaDouble ollama;
    private ServiceApp agent;

    @BeforeEach
    void start(ChromaServer chroma) throws Exception {
        rag = AgentHarness.rag(chroma, new InProcessEmbeddings());
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL);
        agent = AgentHarness.start(
                dir,
                ollama.baseUrl().toString(),
                rag.baseUrl().toString(),
                Map.of("JERRY_CHROMA_URL", chroma.baseUrl().toString(), "JERRY_DATA_DIR", dir.toString()));
        // Alice attaches a PDF to her direct messages
        byte[] pdf = Files.readAllBytes(TestPdfs.plantGuide(dir.resolve("plant.pdf")));
        var attached = Http.post(
                agent.baseUrl(),
                "/v1/conversations/" + ALICE + "/attachments",
                Json.write(AttachmentRequest.of("plant.pdf", null, pdf)));
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        agent.stop();
        rag.stop();
        ollama.close();
    }

    private static String ask(String conversation, String message, String collection) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "conversation_id",
                conversation,
                "user",
                Map.of("id", conversation.substring(3), "name", "someone"),
                "message",
                message));
        if (collection != null) {
            body.put("collection", collection);
        }
        return Json.write(body);
    }

    private static JsonNode read(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void should_search_only_the_attachments_of_the_conversation_that_asks() throws Exception {
        // given: each turn's model searches for the valve, then answers
        for (int turn = 0; turn < 2; turn++) {
            ollama.script(
                    AgentHarness.MODEL,
                    OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "where is the emergency valve")),
                    OllamaDouble.Reply.text("Here is what I found [1]."));
        }

        // when: Bob asks first, then Alice
        var bob = Http.post(agent.baseUrl(), "/v1/chat", ask(BOB, "Where is the emergency valve?", null));
        var alice = Http.post(agent.baseUrl(), "/v1/chat", ask(ALICE, "Where is the emergency valve?", null));

        // then: Bob's search found nothing of Alice's file; Alice's found it (page 3 mentions the orange valve)
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(200);
        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
        List<JsonNode> calls = ollama.requests("/api/chat");
        assertThat(calls).hasSize(4);
        assertThat(calls.get(0).toString()).doesNotContain("plant.pdf");
        assertThat(calls.get(1).path("messages").findValuesAsText("content"))
                .noneMatch(c -> c.contains("plant.pdf") || c.contains("orange"));
        assertThat(read(bob).path("sources").findValuesAsText("source")).doesNotContain("plant.pdf");
        assertThat(calls.get(3).path("messages").findValuesAsText("content"))
                .anySatisfy(c -> assertThat(c).contains("(plant.pdf, page 3)").contains("orange"));
        assertThat(read(alice).path("sources").findValuesAsText("source")).contains("plant.pdf");
    }

    @Test
    void should_refuse_a_turn_that_names_an_attachments_collection() throws Exception {
        // given: Alice's collection name, which anyone can compute from her conversation id
        String alices = ScratchStore.collectionName(ALICE);

        // when: Bob names it as his turn's knowledge-base collection
        var response = Http.post(agent.baseUrl(), "/v1/chat", ask(BOB, "What did Alice attach?", alices));

        // then: refused before any model call, naming the field and why
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(response))
                .startsWith("field 'collection' may not start with 'scratch-'")
                .contains("reserved for the attachments");
        assertThat(ollama.requests("/api/chat")).isEmpty();
    }

    @Test
    void should_refuse_a_place_setting_that_names_an_attachments_collection() throws Exception {
        // given
        String alices = ScratchStore.collectionName(ALICE);

        // when: a channel's collection set to it
        var response = Http.send(HttpRequest.newBuilder(agent.baseUrl().resolve("/v1/settings/1/20"))
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString(Json.write(
                                Map.of("kind", "channel", "updated_by", "9", "collection", alices.toUpperCase()))))
                .header("Content-Type", "application/json"));

        // then: refused, and nothing is stored for the channel
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(response))
                .startsWith("field 'collection' may not start with 'scratch-'")
                .contains("reserved for the attachments");
        assertThat(read(Http.get(agent.baseUrl(), "/v1/settings/1")).path("scopes"))
                .isEmpty();
    }
}
