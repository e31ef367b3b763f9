package dev.jerry.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import dev.jerry.kit.http.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

    @Test
    void should_parse_named_callers_from_commas_or_lines_ignoring_comments() {
        var auth = AuthConfig.fromEnv(
                Env.of(
                        Map.of(
                                "JERRY_AUTH_TOKENS",
                                "agent:aaaaaaaaaaaaaaaaaaaa, bot:bbbbbbbbbbbbbbbbbbbb\n# revoked: old:cccccccccccccccccccc\nprometheus:dddddddddddddddddddd")));

        assertThat(auth.callers()).containsOnlyKeys("agent", "bot", "prometheus");
        assertThat(auth.callers().get("bot").value()).isEqualTo("bbbbbbbbbbbbbbbbbbbb");
        assertThat(auth.toString()).doesNotContain("aaaa", "bbbb", "dddd");
    }

    @Test
    void should_refuse_weak_duplicate_or_malformed_entries_without_printing_tokens() {
        assertThatThrownBy(() -> AuthConfig.parse("agent:short"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JERRY_AUTH_TOKENS")
                .hasMessageContaining("shorter than 16")
                .hasMessageNotContaining(":short");
        assertThatThrownBy(() -> AuthConfig.parse("a:aaaaaaaaaaaaaaaaaaaa,a:bbbbbbbbbbbbbbbbbbbbbb"))
                .hasMessageContaining("caller 'a' is listed twice");
        assertThatThrownBy(() -> AuthConfig.parse("a:aaaaaaaaaaaaaaaaaaaa,b:aaaaaaaaaaaaaaaaaaaa"))
                .hasMessageContaining("share a token")
                .hasMessageNotContaining("aaaaaaaa");
        assertThatThrownBy(() -> AuthConfig.parse("tokenwithoutname")).hasMessageContaining("name:token");
    }

    @Test
    void should_refuse_to_listen_beyond_loopback_without_tokens() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Env.of(Map.of("JERRY_BIND_ADDRESS", "0.0.0.0")), "model", 8081))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("JERRY_AUTH_TOKENS: must be set when the service listens on 0.0.0.0");
    }

    @Test
    void should_start_on_embedded_defaults_with_no_variables_at_all() {
        ServerConfig config = ServerConfig.fromEnv(Env.of(Map.of()), "model", 8081);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.auth().enabled()).isFalse();
    }

    @Test
    void should_read_the_port_from_the_services_own_variable() {
        assertThat(ServerConfig.fromEnv(Env.of(Map.of("JERRY_RAG_PORT", "9182")), "rag", 8082)
                        .port())
                .isEqualTo(9182);
        assertThatThrownBy(() -> ServerConfig.fromEnv(Env.of(Map.of("JERRY_RAG_PORT", "x")), "rag", 8082))
                .hasMessageStartingWith("JERRY_RAG_PORT:");
    }

    @Test
    void should_find_the_caller_of_a_token_and_nobody_for_an_unknown_one() {
        var authenticator = new BearerAuthenticator(
                Map.of("agent", new Secret("aaaaaaaaaaaaaaaaaaaa"), "bot", new Secret("bbbbbbbbbbbbbbbbbbbb")));

        assertThat(authenticator.callerFor("bbbbbbbbbbbbbbbbbbbb")).contains("bot");
        assertThat(authenticator.callerFor("bbbbbbbbbbbbbbbbbbb")).isEmpty();
        assertThat(authenticator.callerFor("")).isEmpty();
    }
}
