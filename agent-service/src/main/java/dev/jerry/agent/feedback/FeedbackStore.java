package dev.jerry.agent.feedback;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jerry.agent.memory.MemoryStore;
import dev.jerry.kit.api.AgentChatResponse;
import dev.jerry.kit.api.Feedback;
import dev.jerry.kit.api.TurnRecord;
import dev.jerry.kit.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code turns} and {@code feedback} tables, beside the conversations. */
public final class FeedbackStore {
    private static final String TURN_COLUMNS = "t.id, t.conversation_id, t.user_id, t.persona, t.model, t.cached, "
            + "t.sources, t.question, t.answer, t.created_at";

    private final MemoryStore db;

    public FeedbackStore(MemoryStore db) {
        this.db = db;
    }

    /** Keeps a finished turn so that it can be rated. */
    public void record(TurnRecord turn) {
        db.withConnection("could not save the turn record", (c, sqlite) -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO turns (id, conversation_id, user_id, persona, "
                    + "model, cached, sources, question, answer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, turn.id());
                s.setString(2, turn.conversationId());
                s.setString(3, turn.userId());
                s.setString(4, turn.persona());
                s.setString(5, turn.model());
                s.setBoolean(6, turn.cached());
                s.setString(7, Json.write(turn.sources()));
                s.setString(8, turn.question());
                s.setString(9, turn.answer());
                s.setTimestamp(10, Timestamp.from(turn.createdAt()));
                return s.executeUpdate();
            }
        });
    }

    public Optional<TurnRecord> turn(String id) {
        return db.withConnection("could not read the turn record", (c, sqlite) -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + TURN_COLUMNS + " FROM turns t WHERE t.id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(turn(r)) : Optional.empty();
                }
            }
        });
    }

    /** One user's rating of a turn; rating again replaces it. */
    public Feedback rate(TurnRecord turn, String userId, Rating rating) {
        Instant now = Instant.now();
        db.withConnection("could not save the feedback", (c, sqlite) -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO feedback (turn_id, user_id, rating, created_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (turn_id, user_id) DO UPDATE SET rating = excluded.rating, "
                            + "created_at = excluded.created_at")) {
                s.setString(1, turn.id());
                s.setString(2, userId);
                s.setString(3, rating.label());
                s.setTimestamp(4, Timestamp.from(now));
                return s.executeUpdate();
            }
        });
        return new Feedback(rating.label(), userId, now, turn);
    }

    /** The newest ratings first, of one kind or all, at most {@code limit}. */
    public List<Feedback> list(Optional<Rating> rating, int limit) {
        return db.withConnection("could not read the feedback", (c, sqlite) -> {
            List<Feedback> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT f.rating, f.user_id AS rated_by, f.created_at AS "
                    + "rated_at, " + TURN_COLUMNS + " FROM feedback f JOIN turns t ON t.id = f.turn_id"
                    + (rating.isPresent() ? " WHERE f.rating = ?" : "")
                    + " ORDER BY f.created_at DESC, f.turn_id LIMIT ?")) {
                int i = 1;
                if (rating.isPresent()) {
                    s.setString(i++, rating.get().label());
                }
                s.setInt(i, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(new Feedback(
                                r.getString("rating"),
                                r.getString("rated_by"),
                                r.getTimestamp("rated_at").toInstant(),
                                turn(r)));
                    }
                }
            }
            return found;
        });
    }

    /** How many ratings of each kind there are. */
    public Map<Rating, Integer> counts() {
        return db.withConnection("could not count the feedback", (c, sqlite) -> {
            Map<Rating, Integer> counts = new EnumMap<>(Rating.class);
            for (Rating r : Rating.values()) {
                counts.put(r, 0);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT rating, COUNT(*) FROM feedback GROUP BY rating");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(Rating.of("rating", r.getString(1)), r.getInt(2));
                }
            }
            return counts;
        });
    }

    private static TurnRecord turn(ResultSet r) throws SQLException {
        List<AgentChatResponse.Source> sources;
        try {
            sources = Json.mapper()
                    .readValue(r.getString("sources"), new TypeReference<List<AgentChatResponse.Source>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TurnRecord(
                r.getString("id"),
                r.getString("conversation_id"),
                r.getString("user_id"),
                r.getString("persona"),
                r.getString("model"),
                r.getBoolean("cached"),
                sources,
                r.getString("question"),
                r.getString("answer"),
                r.getTimestamp("created_at").toInstant());
    }
}
