package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EnvironmentVariablesTest {
    private static final Pattern INTERPOLATED = Pattern.compile("\\$\\{(JERRY_[A-Z0-9_]*[A-Z0-9])");

    private final EnvReads reads = EnvReads.load();
    private final Map<String, ReadmeEnvTable.Row> documented = ReadmeEnvTable.load();
    private final ComposeFile compose = ComposeFile.load();

    @Test
    void should_find_the_variables_the_code_reads_including_the_names_built_at_run_time() {
        // when
        Set<String> all = reads.all();

        // then
        assertThat(all)
                .hasSizeGreaterThan(40)
                .contains(
                        "JERRY_BIND_ADDRESS",
                        "JERRY_AUTH_TOKENS",
                        "JERRY_MODEL_PORT",
                        "JERRY_RAG_PORT",
                        "JERRY_AGENT_PORT",
                        "JERRY_BOT_PORT",
                        "JERRY_MODEL_SERVICE_URL",
                        "JERRY_RAG_SERVICE_TOKEN",
                        "JERRY_AGENT_SERVICE_TOKEN",
                        "JERRY_CHROMA_PORT");
        assertThat(reads.secrets())
                .contains(
                        "JERRY_AUTH_TOKENS",
                        "JERRY_DATABASE_PASSWORD",
                        "JERRY_MODEL_SERVICE_TOKEN",
                        "JERRY_OPENAI_API_KEY",
                        "JERRY_DISCORD_TOKEN");
        assertThat(all).as("a secret's _FILE form counts as the secret").doesNotContain("JERRY_DISCORD_TOKEN_FILE");
    }

    @Test
    void should_document_in_the_readme_every_variable_the_code_reads() {
        // given
        Set<String> undocumented = new TreeSet<>(reads.all());

        // when
        undocumented.removeAll(documented.keySet());

        // then
        assertThat(documented).hasSizeGreaterThan(40);
        assertThat(undocumented)
                .as("JERRY_* variables the code or ./jerry reads that the README's table (## Configuration) lacks")
                .isEmpty();
    }

    @Test
    void should_read_every_variable_the_readme_documents() {
        // given
        Set<String> unread = new TreeSet<>(documented.keySet());

        // when
        unread.removeAll(reads.all());

        // then
        assertThat(unread)
                .as("variables in the README's table that no main source and not ./jerry reads")
                .isEmpty();
    }

    @Test
    void should_mark_every_secret_as_secret_in_the_readme() {
        // given
        Map<String, Boolean> marked = new TreeMap<>();

        // when
        for (String secret : reads.secrets()) {
            ReadmeEnvTable.Row row = documented.get(secret);
            if (row != null) {
                marked.put(secret, row.secret());
            }
        }

        // then
        assertThat(marked).isNotEmpty();
        assertThat(marked)
                .as("secrets can come from <NAME>_FILE: the README marks them '(secret)'")
                .allSatisfy((name, secret) -> assertThat(secret).as(name).isTrue());
    }

    @Test
    void should_set_in_the_compose_file_only_variables_the_code_reads() {
        // given
        Set<String> unknown = new TreeSet<>();
        int seen = 0;

        // when
        for (ComposeFile.Service service : compose.services().values()) {
            for (String name : service.environment().keySet()) {
                if (name.startsWith("JERRY_")) {
                    seen++;
                    if (!reads.all().contains(reads.normalize(name))) {
                        unknown.add(service.name() + ": " + name);
                    }
                }
            }
        }
        Matcher interpolated = INTERPOLATED.matcher(Repo.read(ComposeFile.FILE));
        while (interpolated.find()) {
            if (!reads.all().contains(interpolated.group(1))) {
                unknown.add("${" + interpolated.group(1) + "}");
            }
        }

        // then
        assertThat(seen).isGreaterThan(30);
        assertThat(unknown)
                .as("JERRY_* names in podman-compose.yml that nothing reads")
                .isEmpty();
    }

    @Test
    void should_pass_secrets_to_the_containers_only_as_files() {
        // given
        Set<String> inline = new TreeSet<>();

        // when
        for (ComposeFile.Service service : compose.services().values()) {
            for (String name : service.environment().keySet()) {
                if (reads.secrets().contains(name)) {
                    inline.add(service.name() + ": " + name);
                }
            }
        }

        // then
        assertThat(inline)
                .as("secrets set in podman-compose.yml itself; use <NAME>_FILE and a compose secret")
                .isEmpty();
    }

    @Test
    void should_give_every_jerry_container_the_variables_that_matter_in_a_container() {
        // given
        Map<String, Set<String>> missing = new TreeMap<>();
        assertThat(compose.javaServices()).hasSizeGreaterThanOrEqualTo(5);

        // when
        for (ComposeFile.Service service : compose.javaServices()) {
            EnvReads.Module module = reads.module(service.module());
            Map<String, String> env = service.environment();
            Set<String> required = new TreeSet<>();
            for (String server : module.servers().keySet()) {
                required.add(EnvReads.portVariable(server));
                required.add("JERRY_BIND_ADDRESS");
                required.add("JERRY_AUTH_TOKENS_FILE");
                required.add("JERRY_AUTH_PROTECT_OPS");
            }
            for (String prefix :
                    reads.upstreamsWithDependencies(service.module()).keySet()) {
                required.add("JERRY_" + prefix + "_URL");
                required.add("JERRY_" + prefix + "_TOKEN_FILE");
            }
            if (reads.readWithDependencies(service.module()).contains("JERRY_CHROMA_URL")) {
                required.add("JERRY_CHROMA_URL");
            }
            required.removeAll(env.keySet());
            if (!required.isEmpty()) {
                missing.put(service.name(), required);
            }
        }

        // then
        assertThat(missing)
                .as("ports, bind address, tokens and upstream URLs each Jerry container needs set")
                .isEmpty();
    }

    @Test
    void should_listen_beyond_loopback_in_containers_only_with_tokens_and_protected_ops() {
        for (ComposeFile.Service service : compose.javaServices()) {
            if (reads.module(service.module()).servers().isEmpty()) {
                continue;
            }
            Map<String, String> env = service.environment();
            assertThat(env)
                    .as(service.name())
                    .containsEntry("JERRY_BIND_ADDRESS", "0.0.0.0")
                    .containsEntry("JERRY_AUTH_PROTECT_OPS", "true")
                    .containsKey("JERRY_AUTH_TOKENS_FILE");
        }
    }
}
