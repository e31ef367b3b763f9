package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.kit.auth.AuthConfig;
import dev.jerry.kit.config.Env;
import dev.jerry.kit.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code scripts/make-secrets.sh} and checks the files against podman-compose.yml the way the services will read
 * them: every token a caller presents is one its callee accepts.
 */
class ComposeSecretsTest {
    private static final String PREFIX = "/run/secrets/";
    private static final Pattern CALLER_TO_SERVICE = Pattern.compile("([a-z]+)_to_([a-z]+)");

    private final ComposeFile compose = ComposeFile.load();

    @TempDir
    Path secrets;

    @BeforeEach
    void make_secrets() throws Exception {
        assertThat(makeSecrets()).as("scripts/make-secrets.sh exit code").isZero();
    }

    @Test
    void should_create_every_secret_file_the_compose_file_declares() throws IOException {
        for (String name : compose.secretFiles().keySet()) {
            Path file = secrets.resolve(name);
            assertThat(file).as(name).isRegularFile();
            assertThat(Files.readString(file).strip()).as(name).isNotEmpty();
        }
        assertThat(Files.getPosixFilePermissions(secrets))
                .as("the secrets folder is private")
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void should_keep_every_token_when_run_again() throws Exception {
        // given
        Map<String, String> before = contents();

        // when
        assertThat(makeSecrets()).isZero();

        // then
        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void should_write_tokens_files_that_the_services_accept() {
        for (ComposeFile.Service service : compose.services().values()) {
            String tokensFile = service.environment().get("JERRY_AUTH_TOKENS_FILE");
            if (tokensFile == null) {
                continue;
            }
            AuthConfig auth = authOf(tokensFile);
            assertThat(auth.enabled()).as(service.name()).isTrue();
            assertThat(auth.callers()).as(service.name()).containsKey("prometheus");
        }
    }

    @Test
    void should_give_every_caller_a_token_its_upstream_accepts() {
        // given
        List<String> wired = new ArrayList<>();

        // when
        for (ComposeFile.Service caller : compose.services().values()) {
            Map<String, String> env = caller.environment();
            for (Map.Entry<String, String> var : env.entrySet()) {
                if (!var.getKey().matches("JERRY_[A-Z_]+_SERVICE_URL")) {
                    continue;
                }
                String tokenVar = var.getKey().replaceFirst("_URL$", "_TOKEN_FILE");
                assertThat(env).as(caller.name()).containsKey(tokenVar);
                ComposeFile.Service callee =
                        compose.service(URI.create(var.getValue()).getHost());
                AuthConfig auth = authOf(callee.environment().get("JERRY_AUTH_TOKENS_FILE"));
                assertThat(auth.callers().values())
                        .extracting(Secret::value)
                        .as(caller.name() + " -> " + callee.name() + " (" + tokenVar + ")")
                        .contains(read(env.get(tokenVar)));
                wired.add(caller.name() + " -> " + callee.name());
            }
        }

        // then
        assertThat(wired)
                .contains(
                        "agent-service -> model-service",
                        "agent-service -> rag-service",
                        "rag-service -> model-service",
                        "bot-service -> agent-service",
                        "bot-service -> model-service",
                        "bot-service -> rag-service",
                        "ingestion -> model-service");
    }

    @Test
    void should_accept_each_caller_under_its_own_name_with_the_token_of_its_file() {
        // given: every <caller>_to_<service> file mounted anywhere, Prometheus's and Open WebUI's included
        List<String> checked = new ArrayList<>();

        // when
        for (ComposeFile.Service service : compose.services().values()) {
            for (String secret : service.secrets()) {
                Matcher m = CALLER_TO_SERVICE.matcher(secret);
                if (!m.matches()) {
                    continue;
                }
                ComposeFile.Service callee = compose.service(m.group(2) + "-service");
                AuthConfig auth = authOf(callee.environment().get("JERRY_AUTH_TOKENS_FILE"));
                assertThat(auth.callers()).as(secret).containsKey(m.group(1));
                assertThat(auth.callers().get(m.group(1)).value()).as(secret).isEqualTo(read(PREFIX + secret));
                checked.add(secret);
            }
        }

        // then
        assertThat(checked)
                .contains(
                        "webui_to_model",
                        "webui_to_agent",
                        "prometheus_to_model",
                        "prometheus_to_rag",
                        "prometheus_to_agent",
                        "prometheus_to_bot");
    }

    private int makeSecrets() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", Repo.path("scripts/make-secrets.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SECRETS_DIR", secrets.toString());
        builder.environment().put("JERRY_DISCORD_TOKEN", "a-discord-token-for-the-test");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("make-secrets.sh did not finish within 60 s");
        }
        return process.exitValue();
    }

    private AuthConfig authOf(String mountedFile) {
        assertThat(mountedFile).startsWith(PREFIX);
        return AuthConfig.fromEnv(
                Env.of(Map.of("JERRY_AUTH_TOKENS_FILE", local(mountedFile).toString())));
    }

    private String read(String mountedFile) {
        try {
            return Files.readString(local(mountedFile)).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + mountedFile, e);
        }
    }

    private Path local(String mountedFile) {
        return secrets.resolve(mountedFile.substring(PREFIX.length()));
    }

    private Map<String, String> contents() throws IOException {
        try (Stream<Path> files = Files.list(secrets)) {
            return files.collect(Collectors.toMap(
                    f -> f.getFileName().toString(),
                    f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    },
                    (a, b) -> a,
                    TreeMap::new));
        }
    }
}
