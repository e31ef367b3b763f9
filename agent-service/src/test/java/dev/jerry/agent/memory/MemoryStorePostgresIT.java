package dev.jerry.agent.memory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.agent.AgentServiceApp;
import dev.jerry.agent.AgentServiceConfig;
import dev.jerry.kit.client.UpstreamException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.http.ServiceApp;
import dev.jerry.kit.metrics.ServiceMetrics;
import dev.jerry.testing.PostgresServer;
import java.util.Map;
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
    void should_close_its_connection_pool_when_the_service_stops() {
        MemoryStore store = store();
        var config = AgentServiceConfig.fromEnv(Env.of(Map.of("JERRY_AGENT_PORT", "0")));
        ServiceApp app = AgentServiceApp.create(config, new ServiceMetrics("agent"), store)
                .start();
        store.ping();

        app.stop();

        assertThatThrownBy(store::ping)
                .isInstanceOf(UpstreamException.class)
                .hasMessageContaining("the conversation database does not answer");
    }

    @Test
    void should_lose_no_turn_when_many_turns_are_saved_at_once() throws Exception {
        MemoryStoreContract.losesNoTurnWhenManyAreSavedAtOnce(store());
    }
}
