package dev.jerry.agent.settings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jerry.kit.api.CollectionNames;
import dev.jerry.kit.api.EffectiveSettings;
import dev.jerry.kit.error.ServiceException;
import dev.jerry.kit.http.Feature;
import dev.jerry.kit.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/settings/{guild}} (every scope that sets something), {@code GET /v1/settings/{guild}/effective}
 * ({@code ?scopes=thread,channel,category&user=id}: what a turn there gets, and where each value comes from),
 * {@code PATCH /v1/settings/{guild}/{scope}} (a JSON merge patch: {@code null} clears) and {@code DELETE}.
 */
public final class SettingsRoutes implements Feature {
    private static final Pattern SNOWFLAKE = Pattern.compile("\\d{1,25}");
    private static final Set<String> KINDS = Set.of("category", "channel", "thread");
    private static final int MAX_CHAIN = 5;

    private final SettingsStore store;
    private final ModelCheck models;
    private final Supplier<List<String>> personas;
    private final String defaultModel;

    /**
     * @param personas the persona names there are (a channel's persona must be one)
     * @param defaultModel the agent's model, the effective model where nothing else is set
     */
    public SettingsRoutes(
            SettingsStore store, ModelCheck models, Supplier<List<String>> personas, String defaultModel) {
        this.store = store;
        this.models = models;
        this.personas = personas;
        this.defaultModel = defaultModel;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/v1/settings/{guild}", ctx -> ctx.json(Map.of("scopes", store.all(guild(ctx)))));
        routes.get("/v1/settings/{guild}/effective", ctx -> ctx.json(effective(ctx)));
        routes.patch("/v1/settings/{guild}/{scope}", this::patch);
        routes.delete("/v1/settings/{guild}/{scope}", ctx -> {
            String guild = guild(ctx);
            String scope = scope(ctx);
            ctx.json(Map.of("guild_id", guild, "scope_id", scope, "cleared", store.clear(guild, scope)));
        });
    }

    /** What a turn in this place gets; the place is a chain of scope ids, most specific first. */
    public EffectiveSettings effective(String guild, List<String> chain, Optional<String> user) {
        List<String> ids = user.map(u -> concat(chain, "user:" + u)).orElse(chain);
        Map<String, SettingsStore.Scope> stored = store.scopes(guild, ids);
        return Effective.resolve(chain, stored, user.map(u -> stored.get("user:" + u)), defaultModel);
    }

    private Map<String, Object> effective(Context ctx) {
        String guild = guild(ctx);
        String raw = ctx.queryParam("scopes");
        List<String> chain = raw == null || raw.isBlank()
                ? List.of()
                : Arrays.stream(raw.split(",")).map(String::strip).toList();
        if (chain.size() > MAX_CHAIN
                || chain.stream().anyMatch(id -> !SNOWFLAKE.matcher(id).matches())) {
            throw new ServiceException.BadInput(
                    "scopes", "query 'scopes' must be at most " + MAX_CHAIN + " Discord ids separated by commas");
        }
        Optional<String> user = Optional.ofNullable(ctx.queryParam("user")).filter(u -> !u.isBlank());
        if (user.isPresent() && !SNOWFLAKE.matcher(user.get()).matches()) {
            throw new ServiceException.BadInput("user", "query 'user' must be a Discord id");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("guild_id", guild);
        body.put("scopes", chain);
        body.put("settings", effective(guild, chain, user));
        return body;
    }

    private void patch(Context ctx) {
        String guild = guild(ctx);
        String scope = scope(ctx);
        JsonNode body = Json.readRequest(ctx.body(), JsonNode.class);
        String by = body.path("updated_by").asText("");
        if (by.isBlank() || by.length() > 200) {
            throw new ServiceException.BadInput("updated_by", "field 'updated_by' (who changes it) is required");
        }
        boolean user = scope.startsWith("user:");
        String kind = user ? "user" : body.path("kind").asText("");
        if (!user && !KINDS.contains(kind)) {
            throw new ServiceException.BadInput(
                    "kind", "field 'kind' must be one of " + KINDS + ", got '" + kind + "'");
        }
        Patch patch = Patch.read(body);
        if (user && !patch.onlyModel()) {
            throw new ServiceException.BadInput("a member's own settings hold only 'model'");
        }
        validate(patch);
        Optional<SettingsStore.Scope> stored = store.patch(guild, scope, kind, patch, by);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("guild_id", guild);
        answer.put("scope_id", scope);
        answer.put("kind", kind);
        answer.put("settings", stored.map(SettingsStore.Scope::settings).orElse(ChannelSettings.NONE));
        ctx.json(answer);
    }

    private void validate(Patch patch) {
        if (patch.persona() instanceof Patch.Change.To<String>(String persona)
                && !persona.equals(Effective.DEFAULT)
                && !personas.get().contains(persona)) {
            throw new ServiceException.BadInput(
                    "persona", "there is no persona '" + persona + "'; there are: " + personas.get());
        }
        if (patch.model() instanceof Patch.Change.To<String>(String model)) {
            models.check("model", model);
        }
        if (patch.collection() instanceof Patch.Change.To<String>(String collection)) {
            CollectionNames.problem("collection", collection).ifPresent(problem -> {
                throw new ServiceException.BadInput("collection", problem);
            });
        }
        if (patch.allowedModels() instanceof Patch.Change.To<List<String>>(List<String> allowed)) {
            allowed.forEach(model -> models.check("allowed_models", model));
        }
    }

    private static String guild(Context ctx) {
        String guild = ctx.pathParam("guild");
        if (!SNOWFLAKE.matcher(guild).matches()) {
            throw new ServiceException.BadInput("guild", "the guild must be a Discord id, got '" + clip(guild) + "'");
        }
        return guild;
    }

    private static String scope(Context ctx) {
        String scope = ctx.pathParam("scope");
        String id = scope.startsWith("user:") ? scope.substring("user:".length()) : scope;
        if (!SNOWFLAKE.matcher(id).matches()) {
            throw new ServiceException.BadInput(
                    "scope",
                    "the scope must be a channel, category or thread id, or user:<id>; got '" + clip(scope) + "'");
        }
        return scope;
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static List<String> concat(List<String> list, String last) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(last))
                .toList();
    }
}
