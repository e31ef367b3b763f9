package dev.jerry.agent.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jerry.kit.client.UpstreamException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * Conversations persisted through JDBC: SQLite by default (a file, in WAL mode with full sync so that an
 * acknowledged turn survives a hard kill), PostgreSQL by URL. The schema is migrated by Flyway at start-up.
 */
public final class MemoryStore implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final boolean sqlite;
    private final HikariDataSource pool;

    public MemoryStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        this.pool = sqlite ? null : pool(url, user, password);
    }

    /**
     * PostgreSQL connections are pooled (opening one costs milliseconds); a SQLite file is opened per use. The pool
     * starts even when the server is down (calls then fail with 503 after 5 s, and work once it is back).
     */
    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("jerry-memory");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** Creates or upgrades the schema: each dialect's migrations, and those written once for both ({@code common}). */
    public MemoryStore migrate() {
        Flyway.configure()
                .dataSource(url, user, password)
                .locations(
                        "classpath:db/migration/" + (sqlite ? "sqlite" : "postgresql"), "classpath:db/migration/common")
                .load()
                .migrate();
        return this;
    }

    private Connection connect() throws SQLException {
        if (pool != null) {
            return pool.getConnection();
        }
        Connection connection = DriverManager.getConnection(url, user, password);
        if (sqlite) {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
        }
        return connection;
    }

    /** Records the turns of a conversation (creating the user and conversation as needed), in one transaction. */
    public void append(String conversationId, User owner, List<Message> turns) {
        Instant now = Instant.now();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                upsertUser(c, owner, now);
                // an upsert (not select-then-insert, which races): it also locks the conversation's row until
                // commit, so that concurrent appends to one conversation keep each turn's messages together
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO conversations (id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?) "
                                + "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at")) {
                    s.setString(1, conversationId);
                    s.setString(2, owner.id());
                    s.setTimestamp(3, Timestamp.from(now));
                    s.setTimestamp(4, Timestamp.from(now));
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO messages (conversation_id, role, content, created_at) VALUES (?, ?, ?, ?)")) {
                    for (Message turn : turns) {
                        s.setString(1, conversationId);
                        s.setString(2, turn.role());
                        s.setString(3, turn.content());
                        s.setTimestamp(4, Timestamp.from(turn.createdAt() == null ? now : turn.createdAt()));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("could not save conversation " + conversationId, e);
        }
    }

    private static void upsertUser(Connection c, User owner, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET name = excluded.name")) {
            s.setString(1, owner.id());
            s.setString(2, owner.name());
            s.setTimestamp(3, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /** The conversation with its summary and the turns not yet folded into it (at most {@code limit}, newest). */
    public Optional<Conversation> conversation(String conversationId, int limit) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT user_id, summary, summarized_through, updated_at FROM conversations WHERE id = ?")) {
            s.setString(1, conversationId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long through = r.getLong(3);
                return Optional.of(new Conversation(
                        conversationId,
                        r.getString(1),
                        r.getString(2),
                        through,
                        r.getTimestamp(4).toInstant(),
                        messagesAfter(c, conversationId, through, limit)));
            }
        } catch (SQLException e) {
            throw unavailable("could not read conversation " + conversationId, e);
        }
    }

    private static List<Message> messagesAfter(Connection c, String conversationId, long after, int limit)
            throws SQLException {
        List<Message> newestFirst = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, role, content, created_at FROM messages "
                + "WHERE conversation_id = ? AND id > ? ORDER BY id DESC LIMIT ?")) {
            s.setString(1, conversationId);
            s.setLong(2, after);
            s.setInt(3, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    newestFirst.add(new Message(
                            r.getLong(1),
                            r.getString(2),
                            r.getString(3),
                            r.getTimestamp(4).toInstant()));
                }
            }
        }
        return newestFirst.reversed();
    }

    /** A forgotten conversation's turn records and their feedback (which quote its questions and answers) go too. */
    private static void forgetTurns(Connection c, String conversationId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM turns WHERE conversation_id = ?")) {
            s.setString(1, conversationId);
            s.executeUpdate();
        }
    }

    /** Folds the turns up to {@code throughMessageId} into the conversation's summary. */
    public void summarize(String conversationId, String summary, long throughMessageId) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE conversations SET summary = ?, summarized_through = ? WHERE id = ?")) {
            s.setString(1, summary);
            s.setLong(2, throughMessageId);
            s.setString(3, conversationId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable("could not save the summary of " + conversationId, e);
        }
    }

    /** Deletes a conversation and all its turns; returns how many turns it had. */
    public int forget(String conversationId) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            int deleted;
            try (PreparedStatement messages = c.prepareStatement("DELETE FROM messages WHERE conversation_id = ?");
                    PreparedStatement conversation = c.prepareStatement("DELETE FROM conversations WHERE id = ?")) {
                messages.setString(1, conversationId);
                deleted = messages.executeUpdate();
                forgetTurns(c, conversationId);
                conversation.setString(1, conversationId);
                conversation.executeUpdate();
            }
            c.commit();
            return deleted;
        } catch (SQLException e) {
            throw unavailable("could not forget conversation " + conversationId, e);
        }
    }

    /** Work done on one connection of this database (the features that keep their tables beside the conversations). */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection, boolean sqlite) throws SQLException;
    }

    /** Runs {@code work} on a connection; a database failure becomes the same 503 as a conversation's. */
    public <T> T withConnection(String what, SqlWork<T> work) {
        try (Connection c = connect()) {
            return work.run(c, sqlite);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    private static UpstreamException unavailable(String what, SQLException e) {
        return new UpstreamException.Unavailable("conversation database", what + ": " + e.getMessage(), e);
    }

    /** Closes the PostgreSQL connection pool (nothing to do for SQLite). */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** Whether the database answers: the readiness check. */
    public void ping() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw unavailable("the conversation database does not answer", e);
        }
    }
}
