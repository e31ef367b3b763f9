package dev.jerry.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Embeddings from model-service's {@code /v1/embeddings}: whatever embedding model it is configured with. */
public final class ModelServiceEmbeddings implements EmbeddingSource {
    private final ServiceClient modelService;
    private volatile String id;
    private volatile int dimension;

    public ModelServiceEmbeddings(ServiceClient modelService) {
        this.modelService = modelService;
    }

    @Override
    public String id() {
        if (id == null) {
            embed(List.of("model probe"));
        }
        return id;
    }

    @Override
    public int dimension() {
        if (dimension == 0) {
            embed(List.of("dimension probe"));
        }
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        JsonNode answer =
                Json.mapper().valueToTree(modelService.post("/v1/embeddings", Map.of("input", texts), Map.class));
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode item : answer.path("data")) {
            JsonNode values = item.path("embedding");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.get(i).asDouble();
            }
            vectors.add(vector);
        }
        if (vectors.size() != texts.size()) {
            throw new UpstreamException.BadResponse(
                    modelService.upstream(),
                    200,
                    modelService.upstream() + " returned " + vectors.size() + " embeddings for " + texts.size()
                            + " texts",
                    null);
        }
        id = answer.path("model").asText("unknown");
        dimension = vectors.getFirst().length;
        return vectors;
    }
}
