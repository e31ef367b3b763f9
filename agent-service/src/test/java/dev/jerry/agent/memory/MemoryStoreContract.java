package dev.jerry.agent.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** What every memory database must do: run by {@link MemoryStoreTest} on SQLite and {@link MemoryStorePostgresIT}. */
final class MemoryStoreContract {
    private static final AtomicInteger USERS = new AtomicInteger(1000);

    private MemoryStoreContract() {}

    private static Message turn(String role, String content) {
        return new Message(0, role, content, Instant.now());
    }

    /** {@code stores} opens the same database again each time: what a restarted service sees. */
    static void keepsSummarizesAndForgetsAcrossRestarts(Supplier<MemoryStore> stores) {
        int id = USERS.incrementAndGet();
        String dm = "dm:" + id;
        User user = new User(String.valueOf(id), "Alice");
        for (int i = 1; i <= 3; i++) {
            stores.get().append(dm, user, List.of(turn("user", "question " + i), turn("assistant", "answer " + i)));
        }
        MemoryStore restarted = stores.get(); // migrating again is a no-op
        long through =
                restarted.conversation(dm, 50).orElseThrow().recent().get(3).id();

        restarted.summarize(dm, "Alice asked two questions.", through);
        Conversation conversation = stores.get().conversation(dm, 50).orElseThrow();

        assertThat(conversation.summary()).isEqualTo("Alice asked two questions.");
        assertThat(conversation.userId()).isEqualTo(String.valueOf(id));
        assertThat(conversation.recent()).extracting(Message::content).containsExactly("question 3", "answer 3");
        assertThat(stores.get().forget(dm)).isEqualTo(6);
        assertThat(stores.get().conversation(dm, 50)).isEmpty();
    }

    static void losesNoTurnWhenManyAreSavedAtOnce(MemoryStore store) throws Exception {
        int id = USERS.incrementAndGet();
        String dm = "dm:" + id;
        User user = new User(String.valueOf(id), "Bob");
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
