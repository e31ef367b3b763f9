package dev.jerry.agent.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.testing.PostgresServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conversation memory on a real PostgreSQL server: the PostgreSQL migrations, the same behaviour as SQLite. */
class MemoryStorePostgresIT {
    private static final AtomicInteger USERS = new AtomicInteger(1000);
    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.shared();
    }

    private static MemoryStore store() {
        return new MemoryStore(postgres.jdbcUrl(), postgres.user(), "unused").migrate();
    }

    private static Message turn(String role, String content) {
        return new Message(0, role, content, Instant.now());
    }

    @Test
    void should_keep_summarize_and_forget_a_conversation_across_a_restart() {
        int id = USERS.incrementAndGet();
        String dm = "dm:" + id;
        User user = new User(String.valueOf(id), "Alice");
        for (int i = 1; i <= 3; i++) {
            store().append(dm, user, List.of(turn("user", "question " + i), turn("assistant", "answer " + i)));
        }
        MemoryStore restarted = store(); // migrating again is a no-op
        long through =
                restarted.conversation(dm, 50).orElseThrow().recent().get(3).id();

        restarted.summarize(dm, "Alice asked two questions.", through);
        Conversation conversation = store().conversation(dm, 50).orElseThrow();

        assertThat(conversation.summary()).isEqualTo("Alice asked two questions.");
        assertThat(conversation.userId()).isEqualTo(String.valueOf(id));
        assertThat(conversation.recent()).extracting(Message::content).containsExactly("question 3", "answer 3");
        assertThat(store().forget(dm)).isEqualTo(6);
        assertThat(store().conversation(dm, 50)).isEmpty();
    }

    @Test
    void should_lose_no_turn_when_many_turns_are_saved_at_once() throws Exception {
        int id = USERS.incrementAndGet();
        String dm = "dm:" + id;
        User user = new User(String.valueOf(id), "Bob");
        MemoryStore store = store();
        List<Future<?>> saves = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                int n = i;
                saves.add(pool.submit(() ->
                        store.append(dm, user, List.of(turn("user", "q" + n), turn("assistant", "a" + n)))));
            }
            for (Future<?> save : saves) {
                save.get();
            }
        }

        List<Message> recent = store.conversation(dm, 1_000).orElseThrow().recent();

        assertThat(recent).hasSize(80);
        // each turn's question directly precedes its answer: a turn is saved in one transaction
        for (int i = 0; i < recent.size(); i += 2) {
            assertThat(recent.get(i + 1).content())
                    .isEqualTo("a" + recent.get(i).content().substring(1));
        }
    }
}
