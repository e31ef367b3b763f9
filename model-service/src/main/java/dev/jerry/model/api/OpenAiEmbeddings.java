package dev.jerry.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import dev.jerry.model.embedding.Embedder;
import dev.jerry.model.inference.Inference;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI API's {@code /v1/embeddings}: vectors as float lists, or as base64 of little-endian float32 bytes, which
 * the OpenAI SDKs ask for by default and decode themselves.
 */
public final class OpenAiEmbeddings implements Feature {
    record EmbeddingsBody(String model, JsonNode input, String encodingFormat, Integer dimensions) {}

    private final Inference inference;

    public OpenAiEmbeddings(Inference inference) {
        this.inference = inference;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/embeddings", this::embeddings);
    }

    private void embeddings(Context ctx) {
        EmbeddingsBody body = Json.readRequest(ctx.body(), EmbeddingsBody.class);
        boolean base64 = switch (body.encodingFormat() == null ? "float" : body.encodingFormat()) {
            case "float" -> false;
            case "base64" -> true;
            default ->
                throw new BadRequestResponse(
                        "field 'encoding_format' must be float or base64, got '" + body.encodingFormat() + "'");
        };
        Embedder embedder = inference.router().embedding(body.model());
        if (body.dimensions() != null && body.dimensions() != embedder.dimension()) {
            throw new BadRequestResponse("field 'dimensions': model '" + embedder.id() + "' gives "
                    + embedder.dimension() + " dimensions and cannot shorten them; leave the field out");
        }
        Optional<List<float[]>> embedded =
                WatchedEmbedding.embed(ctx, embedder, Inputs.texts(body.input(), "input"), inference.metrics());
        if (embedded.isEmpty()) {
            return;
        }
        List<float[]> vectors = embedded.get();
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            Object vector = base64 ? base64(vectors.get(i)) : vectors.get(i);
            data.add(Map.of("object", "embedding", "index", i, "embedding", vector));
        }
        ctx.json(Map.of("object", "list", "data", data, "model", embedder.id()));
    }

    /** OpenAI's base64 form: the float32 values as little-endian bytes. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : vector) {
            bytes.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
