package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The default ports agree between the code, podman-compose.yml, ./jerry, Prometheus, the README and ARCHITECTURE. */
class PortsTest {
    /** The contract (ARCHITECTURE.md, "Default ports"). */
    private static final Map<String, Integer> PORTS =
            Map.of("model", 8081, "rag", 8082, "agent", 8083, "bot", 8084, "chroma", 8000, "ollama", 11434);

    private static final Pattern CHROMA_DEFAULT =
            Pattern.compile("DEFAULT_CHROMA_URL\\s*=\\s*URI\\.create\\(\"([^\"]+)\"\\)");
    private static final Pattern SCRIPT_SERVICE = Pattern.compile("\"([a-z]+):[a-z-]+:JERRY_[A-Z]+_PORT:(\\d+)\"");
    private static final Pattern SCRIPT_CHROMA = Pattern.compile("JERRY_CHROMA_PORT:-(\\d+)");
    private static final Pattern ARCHITECTURE =
            Pattern.compile("(model|rag|agent|bot)-service (\\d+)|(Chroma|Ollama) (\\d+)");

    private final EnvReads reads = EnvReads.load();
    private final ComposeFile compose = ComposeFile.load();

    @Test
    void should_declare_the_contract_ports_as_the_services_defaults() {
        // when
        Map<String, Integer> code = new TreeMap<>();
        reads.modules().values().forEach(module -> code.putAll(module.servers()));

        // then
        assertThat(code)
                .containsExactlyInAnyOrderEntriesOf(Map.of("model", 8081, "rag", 8082, "agent", 8083, "bot", 8084));
        Matcher chroma =
                CHROMA_DEFAULT.matcher(Repo.read("knowledge/src/main/java/dev/jerry/knowledge/KnowledgeConfig.java"));
        assertThat(chroma.find()).as("KnowledgeConfig.DEFAULT_CHROMA_URL").isTrue();
        assertThat(URI.create(chroma.group(1)).getPort()).isEqualTo(PORTS.get("chroma"));
    }

    @Test
    void should_point_every_upstream_default_at_that_services_default_port() {
        int checked = 0;
        for (EnvReads.Module module : reads.modules().values()) {
            for (Map.Entry<String, URI> upstream : module.upstreams().entrySet()) {
                String service = serviceOfPrefix(upstream.getKey());
                assertThat(upstream.getValue().getPort())
                        .as(module.name() + ": default of JERRY_" + upstream.getKey() + "_URL")
                        .isEqualTo(PORTS.get(service));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void should_document_the_same_defaults_in_the_readme() {
        // given
        Map<String, ReadmeEnvTable.Row> readme = ReadmeEnvTable.load();

        // then
        for (String service : List.of("model", "rag", "agent", "bot")) {
            String variable = EnvReads.portVariable(service);
            assertThat(readme).as(variable).containsKey(variable);
            assertThat(readme.get(variable).defaultValue()).as(variable).isEqualTo("`" + PORTS.get(service) + "`");
        }
        assertThat(readme.get("JERRY_CHROMA_PORT").defaultValue()).isEqualTo("`" + PORTS.get("chroma") + "`");
        assertThat(portIn(readme.get("JERRY_CHROMA_URL").defaultValue())).isEqualTo(PORTS.get("chroma"));
        for (String prefix : List.of("MODEL_SERVICE", "RAG_SERVICE", "AGENT_SERVICE")) {
            assertThat(portIn(readme.get("JERRY_" + prefix + "_URL").defaultValue()))
                    .as("README default of JERRY_" + prefix + "_URL")
                    .isEqualTo(PORTS.get(serviceOfPrefix(prefix)));
        }
    }

    @Test
    void should_use_the_same_defaults_in_the_launcher() {
        // given
        String script = Repo.read("jerry");
        Map<String, Integer> launcher = new LinkedHashMap<>();

        // when
        Matcher service = SCRIPT_SERVICE.matcher(script);
        while (service.find()) {
            launcher.put(service.group(1), Integer.parseInt(service.group(2)));
        }
        Matcher chroma = SCRIPT_CHROMA.matcher(script);
        if (chroma.find()) {
            launcher.put("chroma", Integer.parseInt(chroma.group(1)));
        }

        // then
        assertThat(launcher).containsOnlyKeys("model", "rag", "agent", "bot", "chroma");
        launcher.forEach((name, port) -> assertThat(port).as("./jerry " + name).isEqualTo(PORTS.get(name)));
    }

    @Test
    void should_state_the_same_ports_in_the_architecture() {
        String architecture = Repo.architecture().map(Repo::read).orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                architecture != null, "../shared/ARCHITECTURE.md is not beside this checkout");
        int section = architecture.indexOf("## Default ports");
        assertThat(section).as("ARCHITECTURE.md has a 'Default ports' section").isNotNegative();
        Map<String, Integer> stated = new TreeMap<>();
        Matcher m = ARCHITECTURE.matcher(architecture.substring(section, architecture.indexOf("\n## ", section + 1)));
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3).toLowerCase(Locale.ROOT);
            stated.put(name, Integer.parseInt(m.group(1) != null ? m.group(2) : m.group(4)));
        }
        assertThat(stated).containsExactlyInAnyOrderEntriesOf(PORTS);
    }

    @Test
    void should_use_the_same_ports_in_the_compose_file() {
        int checked = 0;
        for (ComposeFile.Service service : compose.services().values()) {
            for (Map.Entry<String, String> var : service.environment().entrySet()) {
                String name = var.getKey();
                Matcher port = Pattern.compile("JERRY_([A-Z]+)_PORT").matcher(name);
                if (port.matches()) {
                    assertThat(Integer.parseInt(var.getValue()))
                            .as(service.name() + ": " + name)
                            .isEqualTo(PORTS.get(port.group(1).toLowerCase(Locale.ROOT)));
                    checked++;
                } else if (name.matches("JERRY_[A-Z_]+_SERVICE_URL")) {
                    URI url = URI.create(var.getValue());
                    String target = serviceOfPrefix(name.substring("JERRY_".length(), name.length() - "_URL".length()));
                    assertThat(url.getHost()).as(service.name() + ": " + name).isEqualTo(target + "-service");
                    assertThat(url.getPort()).as(service.name() + ": " + name).isEqualTo(PORTS.get(target));
                    checked++;
                } else if (name.equals("JERRY_CHROMA_URL") || name.equals("JERRY_OLLAMA_URL")) {
                    String target = name.equals("JERRY_CHROMA_URL") ? "chroma" : "ollama";
                    assertThat(URI.create(var.getValue()).getPort())
                            .as(service.name() + ": " + name)
                            .isEqualTo(PORTS.get(target));
                    checked++;
                }
            }
        }
        assertThat(compose.service("chroma").healthcheckTest().toString())
                .contains("127.0.0.1:" + PORTS.get("chroma") + "/");
        assertThat(compose.service("model-service").ports()).containsExactly("127.0.0.1:8081:8081");
        assertThat(checked).isGreaterThanOrEqualTo(14);
    }

    /** {@code MODEL_SERVICE} -> {@code model}. */
    private static String serviceOfPrefix(String prefix) {
        assertThat(prefix).endsWith("_SERVICE");
        return prefix.substring(0, prefix.length() - "_SERVICE".length()).toLowerCase(Locale.ROOT);
    }

    private static int portIn(String text) {
        Matcher url = Pattern.compile("https?://[^`\\s]+").matcher(text);
        assertThat(url.find()).as("a URL in '" + text + "'").isTrue();
        return URI.create(url.group()).getPort();
    }
}
