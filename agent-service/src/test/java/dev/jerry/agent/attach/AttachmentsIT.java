package dev.jerry.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.agent.AgentHarness;
import dev.jerry.kit.api.AttachmentRequest;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.json.Json;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.knowledge.ChromaClient;
import dev.jerry.knowledge.InProcessEmbeddings;
import dev.jerry.testing.ChromaExtension;
import dev.jerry.testing.ChromaServer;
import dev.jerry.testing.Http;
import dev.jerry.testing.OllamaDouble;
import dev.jerry.testing.TestPdfs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachments through the real agent-service: read into a scratch collection of the real Chroma, found by the real
 * {@code rag_search} (a tool call scripted by the Ollama double standing in for model-service) and cited by file and
 * page; refused images name the models; forgetting and the TTL remove the collection.
 */
@ExtendWith(ChromaExtension.class)
class AttachmentsIT {
    private static final java.util.concurrent.atomic.AtomicLong NEXT = new java.util.concurrent.atomic.AtomicLong(4242);
    /** Each test its own conversation: the tests share one Chroma. */
    private final String conversation = "dm:" + NEXT.incrementAndGet();

    private static ServiceApp rag;
    private static ChromaServer chroma;
    private OllamaDouble ollama;
    private ServiceApp agent;

    @BeforeAll
    static void startRag(ChromaServer server) {
        chroma = server;
        rag = AgentHarness.rag(server, new InProcessEmbeddings());
    }

    @AfterAll
    static void stopRag() {
        rag.stop();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    private ServiceApp agent(Path dir, Map<String, String> extra) {
        return agent(dir, ollama.baseUrl().toString(), extra);
    }

    /** agent-service asking model-service at {@code modelUrl}. */
    private ServiceApp agent(Path dir, String modelUrl, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(
                Map.of("JERRY_CHROMA_URL", chroma.baseUrl().toString(), "JERRY_DATA_DIR", dir.toString()));
        env.putAll(extra);
        agent = AgentHarness.start(dir, modelUrl, rag.baseUrl().toString(), env);
        return agent;
    }

    private HttpResponse<String> attach(ServiceApp app, String filename, byte[] bytes) {
        return Http.post(
                app.baseUrl(),
                "/v1/conversations/" + conversation + "/attachments",
                Json.write(AttachmentRequest.of(filename, null, bytes)));
    }

    private String ask(String message) {
        return ask(message, Map.of());
    }

    /** A turn of the conversation; {@code extra} adds fields ({@code model}). */
    private String ask(String message, Map<String, String> extra) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "conversation_id",
                conversation,
                "user",
                Map.of("id", conversation.substring(3), "name", "Bob"),
                "message",
                message));
        body.putAll(extra);
        return Json.write(body);
    }

    private boolean scratchExists() {
        return new ChromaClient(chroma.baseUrl(), new ServiceMetrics("test"))
                .collection(ScratchStore.collectionName(conversation))
                .isPresent();
    }

    private static byte[] plantPdf(Path dir) throws Exception {
        return Files.readAllBytes(TestPdfs.plantGuide(dir.resolve("plant.pdf")));
    }

    @Test
    void should_answer_from_an_attached_pdf_citing_its_page(@TempDir Path dir) throws Exception {
        // given: a three-page PDF attached to the conversation
        ollama = OllamaDouble.start()
                .withModel(AgentHarness.MODEL)
                .script(
                        AgentHarness.MODEL,
                        OllamaDouble.Reply.toolCall("rag_search", Map.of("query", "where is the emergency valve")),
                        OllamaDouble.Reply.text("Behind the west door of the boiler room [1]."));
        ServiceApp app = agent(dir, Map.of());
        var attached = attach(app, "plant.pdf", plantPdf(dir));
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
        JsonNode stored = Json.mapper().readTree(attached.body());
        assertThat(stored.path("outcome").asText()).isEqualTo("stored");
        assertThat(stored.path("pages").asInt()).isEqualTo(3);

        // when
        var response = Http.post(app.baseUrl(), "/v1/chat", ask("Where is the emergency valve?"));

        // then: the passage of page 3 is the first source, cited by file and page
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sources = Json.mapper().readTree(response.body()).path("sources");
        assertThat(sources.size()).as(response.body()).isGreaterThan(0);
        assertThat(sources.get(0).path("source").asText()).isEqualTo("plant.pdf");
        assertThat(sources.get(0).path("page").asInt()).isEqualTo(3);
        // the model was told of the file, and saw the passage with its file and page
        List<JsonNode> calls = ollama.requests("/api/chat");
        assertThat(calls.get(0).path("messages").get(0).path("content").asText())
                .contains("plant.pdf");
        assertThat(calls.get(1).path("messages").findValuesAsText("content"))
                .anySatisfy(c -> assertThat(c).contains("(plant.pdf, page 3)").contains("orange"));
    }

    @Test
    void should_refuse_an_image_naming_the_model_and_one_that_could_read_it(@TempDir Path dir) {
        // given: the conversation's model cannot see; another configured model can
        ollama = OllamaDouble.start()
                .withModel(AgentHarness.MODEL)
                .withModel("llava-test", List.of("completion", "vision"));
        ServiceApp app = agent(dir, Map.of());

        // when
        var response = attach(app, "photo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode refused = readTree(response);
        assertThat(refused.path("outcome").asText()).isEqualTo("refused");
        assertThat(refused.path("model").asText()).isEqualTo(AgentHarness.MODEL);
        assertThat(refused.path("readable_by").size()).isEqualTo(1);
        assertThat(refused.path("readable_by").get(0).asText()).isEqualTo("llava-test:latest");
        assertThat(refused.path("message").asText())
                .contains(AgentHarness.MODEL)
                .contains("llava-test");
        assertThat(scratchExists()).isFalse();
    }

    @Test
    void should_keep_an_image_for_a_model_that_can_see_and_show_it_to_the_model(@TempDir Path dir) throws Exception {
        // given: the conversation's model reports the vision capability
        ollama = OllamaDouble.start()
                .withModel(AgentHarness.MODEL, List.of("completion", "tools", "vision"))
                .script(AgentHarness.MODEL, OllamaDouble.Reply.text("A red square."));
        ServiceApp app = agent(dir, Map.of());
        byte[] image = ImageScalerTest.png(ImageScalerTest.halves(40, 20));

        // when
        var response = attach(app, "photo.png", image);
        var answer = Http.post(app.baseUrl(), "/v1/chat", ask("What is in the picture?"));

        // then: stored, and the next turn carries the image to the model
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(readTree(response).path("kind").asText()).isEqualTo("image");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode messages = ollama.requests("/api/chat").getLast().path("messages");
        assertThat(messages.findValues("images").toString())
                .contains(java.util.Base64.getEncoder().encodeToString(image));
    }

    @Test
    void should_remove_the_scratch_collection_when_the_conversation_is_forgotten(@TempDir Path dir) throws Exception {
        // given
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL);
        ServiceApp app = agent(dir, Map.of());
        assertThat(attach(app, "notes.md", "# Notes\n\nThe password rotates monthly.".getBytes())
                        .statusCode())
                .isEqualTo(201);
        assertThat(scratchExists()).isTrue();

        // when
        var forgotten =
                Http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/conversations/" + conversation))
                        .DELETE());

        // then
        assertThat(forgotten.statusCode()).isEqualTo(200);
        assertThat(readTree(forgotten).path("forgotten_attachments").asInt()).isEqualTo(1);
        assertThat(scratchExists()).isFalse();
    }

    @Test
    void should_remove_the_attachments_when_their_time_is_up(@TempDir Path dir) {
        // given: attachments live one second
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL);
        ServiceApp app = agent(dir, Map.of("JERRY_ATTACHMENT_TTL", "1s"));

        // when
        assertThat(attach(app, "notes.txt", "The gate code is on the board.".getBytes())
                        .statusCode())
                .isEqualTo(201);

        // then: the sweep removes the collection
        await().atMost(Duration.ofSeconds(20)).until(() -> !scratchExists());
    }

    @Test
    void should_refuse_a_file_over_the_size_limit_naming_the_limit(@TempDir Path dir) {
        // given
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL);
        ServiceApp app = agent(dir, Map.of("JERRY_ATTACHMENT_MAX_BYTES", "1000"));

        // when
        var response = attach(app, "big.txt", "x".repeat(5000).getBytes());

        // then
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Http.errorMessage(response))
                .contains("big.txt")
                .contains("1000 bytes")
                .contains("JERRY_ATTACHMENT_MAX_BYTES");
        assertThat(scratchExists()).isFalse();
    }

    @Test
    void should_refuse_a_pdf_over_the_page_limit_naming_the_limit(@TempDir Path dir) throws Exception {
        // given
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL);
        ServiceApp app = agent(dir, Map.of("JERRY_ATTACHMENT_MAX_PAGES", "2"));

        // when
        var response = attach(app, "plant.pdf", plantPdf(dir));

        // then
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Http.errorMessage(response)).contains("3 pages").contains("JERRY_ATTACHMENT_MAX_PAGES");
    }

    @Test
    void should_refuse_a_kind_of_file_it_cannot_read_naming_the_kinds(@TempDir Path dir) {
        // given
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL);
        ServiceApp app = agent(dir, Map.of());

        // when
        var response = attach(app, "report.docx", new byte[] {1, 2, 3});

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.errorMessage(response)).contains("report.docx").contains("PDF");
    }

    @Test
    void should_check_an_image_against_the_model_of_the_place_it_was_sent_in(@TempDir Path dir) throws Exception {
        // given: the agent's own model cannot see; the model the place uses can
        ollama = OllamaDouble.start()
                .withModel(AgentHarness.MODEL)
                .withModel("seeing-test", List.of("completion", "tools", "vision"))
                .script("seeing-test", OllamaDouble.Reply.text("A red and blue picture."));
        ServiceApp app = agent(dir, Map.of());
        byte[] image = ImageScalerTest.png(ImageScalerTest.halves(40, 20));
        String request = Json.write(new AttachmentRequest(
                "photo.png", "image/png", java.util.Base64.getEncoder().encodeToString(image), "seeing-test"));

        // when
        var attached = Http.post(app.baseUrl(), "/v1/conversations/" + conversation + "/attachments", request);
        var answer =
                Http.post(app.baseUrl(), "/v1/chat", ask("What is in the picture?", Map.of("model", "seeing-test")));

        // then: kept for that model, which gets the image with the question
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
        assertThat(readTree(attached).path("model").asText()).isEqualTo("seeing-test");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode turn = ollama.requests("/api/chat").getLast();
        assertThat(turn.path("model").asText()).startsWith("seeing-test");
        assertThat(imagesOf(turn)).containsExactly(java.util.Base64.getEncoder().encodeToString(image));
    }

    @Test
    void should_name_the_images_instead_of_sending_them_when_the_turns_model_cannot_see(@TempDir Path dir)
            throws Exception {
        // given: an image kept for a model that can see; then the place's model is one that cannot
        ollama = OllamaDouble.start()
                .withModel(AgentHarness.MODEL)
                .withModel("seeing-test", List.of("completion", "tools", "vision"))
                .script(AgentHarness.MODEL, OllamaDouble.Reply.text("I cannot see it."));
        ServiceApp app = agent(dir, Map.of());
        byte[] image = ImageScalerTest.png(ImageScalerTest.halves(40, 20));
        var attached = Http.post(
                app.baseUrl(),
                "/v1/conversations/" + conversation + "/attachments",
                Json.write(new AttachmentRequest(
                        "photo.png", "image/png", java.util.Base64.getEncoder().encodeToString(image), "seeing-test")));
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);

        // when: a turn of the agent's own model, which cannot see
        var answer = Http.post(app.baseUrl(), "/v1/chat", ask("What is in the picture?"));

        // then: answered (model-service would refuse images for this model), told of the image by name
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode turn = ollama.requests("/api/chat").getLast();
        assertThat(imagesOf(turn)).isEmpty();
        assertThat(turn.path("messages").get(0).path("content").asText())
                .contains("photo.png")
                .contains("cannot see images");
    }

    @Test
    void should_refuse_an_image_file_that_is_no_image_naming_the_field(@TempDir Path dir) {
        // given: a model that can see
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL, List.of("completion", "tools", "vision"));
        ServiceApp app = agent(dir, Map.of());

        // when
        var response = attach(app, "photo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 7, 7, 7});

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(Http.errorMessage(response)).contains("photo.png").contains("image");
        assertThat(scratchExists()).isFalse();
    }

    @Test
    void should_carry_a_phone_photo_through_model_service_to_the_vision_node_scaled_down(@TempDir Path dir)
            throws Exception {
        // given: the real model-service, with its default 1 MiB body limit, in front of a node whose model can see
        ollama = OllamaDouble.start()
                .withModel(AgentHarness.MODEL, List.of("completion", "tools", "vision"))
                .script(AgentHarness.MODEL, OllamaDouble.Reply.text("A red and blue picture."));
        ServiceApp model = modelService(dir, Map.of());
        try {
            agent(dir, model.baseUrl().toString(), Map.of());
            byte[] photo = ImageScalerTest.photo(4032, 3024);
            assertThat(photo.length).isGreaterThan(2 * 1024 * 1024);

            // when
            var attached = attach(agent, "IMG_0042.jpg", photo);
            var answer = Http.post(agent.baseUrl(), "/v1/chat", ask("What is in the picture?"));

            // then: answered, and the node got the photo scaled to 1568 px on its longest side
            assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            List<String> images = imagesOf(ollama.requests("/api/chat").getLast());
            assertThat(images).hasSize(1);
            var seen = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    java.util.Base64.getDecoder().decode(images.getFirst())));
            assertThat(Math.max(seen.getWidth(), seen.getHeight())).isEqualTo(1568);
        } finally {
            model.stop();
        }
    }

    @Test
    void should_name_the_limit_and_its_variable_when_the_images_are_still_over_model_services_limit(@TempDir Path dir)
            throws Exception {
        // given: model-service takes requests up to 32 kB, with images up to 64 kB
        ollama = OllamaDouble.start().withModel(AgentHarness.MODEL, List.of("completion", "tools", "vision"));
        ServiceApp model =
                modelService(dir, Map.of("JERRY_MAX_BODY_BYTES", "32768", "JERRY_MAX_IMAGE_BODY_BYTES", "65536"));
        try {
            agent(dir, model.baseUrl().toString(), Map.of());
            assertThat(attach(agent, "IMG_0043.jpg", ImageScalerTest.photo(4032, 3024))
                            .statusCode())
                    .isEqualTo(201);

            // when
            var answer = Http.post(agent.baseUrl(), "/v1/chat", ask("What is in the picture?"));

            // then: a plain error naming model-service's limit and its variable, and nothing reached the node
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
            assertThat(Http.errorMessage(answer))
                    .contains("images attached to this conversation")
                    .contains("the limit is 65536 bytes (JERRY_MAX_IMAGE_BODY_BYTES)")
                    .doesNotContain("Exception");
            assertThat(ollama.requests("/api/chat")).isEmpty();
        } finally {
            model.stop();
        }
    }

    /** The real model-service over the Ollama double as its node, cache off, data under {@code dir}. */
    private ServiceApp modelService(Path dir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "JERRY_MODEL_PORT",
                "0",
                "JERRY_OLLAMA_URL",
                ollama.baseUrl().toString(),
                "JERRY_OLLAMA_MODELS",
                AgentHarness.MODEL,
                "JERRY_CACHE_ENABLED",
                "false",
                "JERRY_DATA_DIR",
                dir.resolve("model-data").toString(),
                "JERRY_MODELS_DIR",
                dir.resolve("models").toString()));
        env.putAll(extra);
        return dev.jerry.model.ModelServiceApp.create(
                        dev.jerry.model.ModelServiceConfig.fromEnv(dev.jerry.kit.config.Env.of(env)),
                        new ServiceMetrics("model"))
                .start();
    }

    /** The base64 images of every message of an {@code /api/chat} request. */
    private static List<String> imagesOf(JsonNode request) {
        List<String> images = new java.util.ArrayList<>();
        request.path("messages").forEach(m -> m.path("images").forEach(i -> images.add(i.asText())));
        return images;
    }

    private static JsonNode readTree(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
