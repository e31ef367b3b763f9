package dev.jerry.model.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.json.Json;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An embedding model served by a backend: Ollama's {@code /api/embed} or an OpenAI-compatible {@code /embeddings}.
 * The dimension is learned from a first embedding.
 */
public final class RemoteEmbeddingModel implements EmbeddingModel {
    public enum Dialect {
        OLLAMA,
        OPENAI
    }

    private final ServiceClient client;
    private final Dialect dialect;
    private final String model;
    private volatile int dimension;

    public RemoteEmbeddingModel(ServiceClient client, Dialect dialect, String model) {
        this.client = client;
        this.dialect = dialect;
        this.model = model;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<String> inputs = segments.stream().map(TextSegment::text).toList();
        JsonNode answer = Json.mapper()
                .valueToTree(
                        switch (dialect) {
                            case OLLAMA ->
                                client.post("/api/embed", Map.of("model", model, "input", inputs), Map.class);
                            case OPENAI ->
                                client.post("embeddings", Map.of("model", model, "input", inputs), Map.class);
                        });
        List<Embedding> embeddings = new ArrayList<>();
        JsonNode vectors = dialect == Dialect.OLLAMA ? answer.path("embeddings") : answer.path("data");
        for (JsonNode node : vectors) {
            JsonNode values = dialect == Dialect.OLLAMA ? node : node.path("embedding");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.get(i).asDouble();
            }
            embeddings.add(Embedding.from(vector));
        }
        if (embeddings.size() != inputs.size()) {
            throw new UpstreamException.BadResponse(
                    client.upstream(),
                    200,
                    client.upstream() + " returned " + embeddings.size() + " embeddings for " + inputs.size()
                            + " inputs",
                    null);
        }
        return Response.from(embeddings);
    }

    @Override
    public int dimension() {
        if (dimension == 0) {
            dimension = embed("dimension probe").content().dimension();
        }
        return dimension;
    }

    @Override
    public String modelName() {
        return model;
    }
}
