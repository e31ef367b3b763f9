package dev.jerry.agent.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.kit.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code channel_settings} table, beside the conversations (SQLite alone, PostgreSQL for several processes). */
public final class SettingsStore {
    private static final String COLUMNS =
            "guild_id, scope_id, kind, persona, model, collection, thread_default, use_cache, allowed_models, "
                    + "updated_by, updated_at";

    /** One scope's stored settings, and who changed them last. */
    public record Scope(
            String guildId,
            String scopeId,
            String kind,
            ChannelSettings settings,
            String updatedBy,
            Instant updatedAt) {}

    private final MemoryStore db;

    public SettingsStore(MemoryStore db) {
        this.db = db;
    }

    /** The stored scopes among {@code scopeIds} of a guild, by scope id. */
    public Map<String, Scope> scopes(String guildId, List<String> scopeIds) {
        if (scopeIds.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", scopeIds.stream().map(s -> "?").toList());
        return db.withConnection("could not read the channel settings", (c, sqlite) -> {
            Map<String, Scope> found = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM channel_settings WHERE guild_id = ? AND scope_id IN (" + marks + ")")) {
                s.setString(1, guildId);
                for (int i = 0; i < scopeIds.size(); i++) {
                    s.setString(i + 2, scopeIds.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Scope scope = scope(r);
                        found.put(scope.scopeId(), scope);
                    }
                }
            }
            return found;
        });
    }

    /** Every scope of a guild that sets something. */
    public List<Scope> all(String guildId) {
        return db.withConnection("could not read the channel settings", (c, sqlite) -> {
            List<Scope> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM channel_settings WHERE guild_id = ? ORDER BY kind, scope_id")) {
                s.setString(1, guildId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(scope(r));
                    }
                }
            }
            return found;
        });
    }

    /**
     * Applies {@code patch} to a scope in one transaction (the row is locked on PostgreSQL, so two processes changing
     * different fields of one channel keep both changes) and returns what is stored now; a scope left with nothing
     * set is removed.
     */
    public synchronized Optional<Scope> patch(String guildId, String scopeId, String kind, Patch patch, String by) {
        return db.withConnection("could not save the channel settings", (c, sqlite) -> {
            c.setAutoCommit(false);
            try {
                ChannelSettings current =
                        read(c, guildId, scopeId, sqlite).map(Scope::settings).orElse(ChannelSettings.NONE);
                ChannelSettings next = current.with(patch);
                Optional<Scope> stored;
                if (next.empty()) {
                    delete(c, guildId, scopeId);
                    stored = Optional.empty();
                } else {
                    Scope scope = new Scope(guildId, scopeId, kind, next, by, Instant.now());
                    write(c, scope);
                    stored = Optional.of(scope);
                }
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        });
    }

    /** Removes everything a scope sets; whether it set anything. */
    public boolean clear(String guildId, String scopeId) {
        return db.withConnection("could not clear the channel settings", (c, sqlite) -> delete(c, guildId, scopeId));
    }

    private static Optional<Scope> read(Connection c, String guildId, String scopeId, boolean sqlite)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM channel_settings WHERE guild_id = ? AND scope_id = ?" + (sqlite ? "" : " FOR UPDATE"))) {
            s.setString(1, guildId);
            s.setString(2, scopeId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(scope(r)) : Optional.empty();
            }
        }
    }

    private static void write(Connection c, Scope scope) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO channel_settings (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, scope_id) DO UPDATE SET "
                + "kind = excluded.kind, persona = excluded.persona, model = excluded.model, "
                + "collection = excluded.collection, thread_default = excluded.thread_default, "
                + "use_cache = excluded.use_cache, allowed_models = excluded.allowed_models, "
                + "updated_by = excluded.updated_by, updated_at = excluded.updated_at")) {
            ChannelSettings v = scope.settings();
            s.setString(1, scope.guildId());
            s.setString(2, scope.scopeId());
            s.setString(3, scope.kind());
            s.setString(4, v.persona());
            s.setString(5, v.model());
            s.setString(6, v.collection());
            setBoolean(s, 7, v.threadDefault());
            setBoolean(s, 8, v.cache());
            s.setString(9, v.allowedModels() == null ? null : Json.write(v.allowedModels()));
            s.setString(10, scope.updatedBy());
            s.setTimestamp(11, Timestamp.from(scope.updatedAt()));
            s.executeUpdate();
        }
    }

    private static boolean delete(Connection c, String guildId, String scopeId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM channel_settings WHERE guild_id = ? AND scope_id = ?")) {
            s.setString(1, guildId);
            s.setString(2, scopeId);
            return s.executeUpdate() > 0;
        }
    }

    private static void setBoolean(PreparedStatement s, int index, Boolean value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BOOLEAN);
        } else {
            s.setBoolean(index, value);
        }
    }

    private static Boolean getBoolean(ResultSet r, String column) throws SQLException {
        boolean value = r.getBoolean(column);
        return r.wasNull() ? null : value;
    }

    private static Scope scope(ResultSet r) throws SQLException {
        String allowed = r.getString("allowed_models");
        List<String> models;
        try {
            models = allowed == null ? null : Json.mapper().readValue(allowed, new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scope(
                r.getString("guild_id"),
                r.getString("scope_id"),
                r.getString("kind"),
                new ChannelSettings(
                        r.getString("persona"),
                        r.getString("model"),
                        r.getString("collection"),
                        getBoolean(r, "thread_default"),
                        getBoolean(r, "use_cache"),
                        models),
                r.getString("updated_by"),
                r.getTimestamp("updated_at").toInstant());
    }
}
