package dev.jerry.agent.memory;

import dev.jerry.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conversation memory on a real PostgreSQL server: the PostgreSQL migrations, the same contract as SQLite. */
class MemoryStorePostgresIT {
    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.shared();
    }

    private static MemoryStore store() {
        return new MemoryStore(postgres.jdbcUrl(), postgres.user(), "unused").migrate();
    }

    @Test
    void should_keep_summarize_and_forget_a_conversation_across_a_restart() {
        MemoryStoreContract.keepsSummarizesAndForgetsAcrossRestarts(MemoryStorePostgresIT::store);
    }

    @Test
    void should_lose_no_turn_when_many_turns_are_saved_at_once() throws Exception {
        MemoryStoreContract.losesNoTurnWhenManyAreSavedAtOnce(store());
    }
}
