package dev.jerry.bot.channels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.EffectiveSettings;
import dev.jerry.kit.api.LimitTake;
import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * What bot processes share, kept by agent-service: channel settings ({@code /v1/settings}), feedback
 * ({@code /v1/feedback}) and request counters ({@code /v1/limits/take}). Failures arrive as
 * {@link dev.jerry.kit.client.UpstreamException}.
 */
public final class AgentState {
    private final ServiceClient client;

    public AgentState(ServiceClient client) {
        this.client = client;
    }

    /** The settings a turn in {@code place} gets; with {@code user}, that member's own model pick counts. */
    public EffectiveSettings effective(Place place, Optional<Long> user) {
        String path = "/v1/settings/" + place.guild() + "/effective?scopes=" + place.ids()
                + user.map(u -> "&user=" + u).orElse("");
        return read(client.get(path, JsonNode.class).path("settings"), EffectiveSettings.class);
    }

    /** Changes one scope's settings (a JSON merge patch: null clears); a 400 names what is wrong. */
    public JsonNode patch(long guild, String scope, Map<String, Object> patch) {
        return read(
                client.send("PATCH", "/v1/settings/" + guild + "/" + scope, patch, Map.of())
                        .body(),
                JsonNode.class);
    }

    public void clear(long guild, String scope) {
        client.delete("/v1/settings/" + guild + "/" + scope);
    }

    /** Every scope of a guild that sets something. */
    public JsonNode scopes(long guild) {
        return client.get("/v1/settings/" + guild, JsonNode.class);
    }

    /** Stores one member's rating of a turn. */
    public JsonNode rate(String turnId, long user, String rating) {
        return client.post(
                "/v1/feedback",
                Map.of("turn_id", turnId, "user_id", String.valueOf(user), "rating", rating),
                JsonNode.class);
    }

    /** The counts and the newest ratings ({@code rating}: up, down or all). */
    public JsonNode feedback(Optional<String> rating, int limit) {
        return client.get(
                "/v1/feedback?limit=" + limit + rating.map(r -> "&rating=" + r).orElse(""), JsonNode.class);
    }

    /** Ratings as JSON Lines, newest first. */
    public String feedbackJsonl(Optional<String> rating, int limit) {
        return client.send(
                        "GET",
                        "/v1/feedback?format=jsonl&limit=" + limit
                                + rating.map(r -> "&rating=" + r).orElse(""),
                        null,
                        Map.of())
                .body();
    }

    /** Takes one request of a user's rate limit and daily quota. */
    public LimitTake.Verdict take(LimitTake request) {
        return client.post("/v1/limits/take", request, LimitTake.Verdict.class);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String body, Class<T> type) {
        try {
            return Json.mapper().readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
