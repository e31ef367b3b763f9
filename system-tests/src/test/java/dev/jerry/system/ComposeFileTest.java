package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ComposeFileTest {
    private static final Pattern SECRET_MOUNT = Pattern.compile("/run/secrets/([A-Za-z0-9_.-]+)");
    /** Something that looks like a generated token or key: long, without the punctuation of URLs and paths. */
    private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9+_=-]{32,}");

    private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|TOKENS|PASSWORD|SECRET|API_KEY|APIKEY)$");

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void should_define_the_whole_stack() {
        assertThat(compose.services())
                .containsKeys(
                        "model-service",
                        "rag-service",
                        "agent-service",
                        "bot-service",
                        "ingestion",
                        "chroma",
                        "ollama",
                        "ollama-pull",
                        "searxng",
                        "prometheus",
                        "grafana",
                        "open-webui");
        assertThat(compose.javaServices())
                .extracting(ComposeFile.Service::module)
                .containsExactlyInAnyOrder("model-service", "rag-service", "agent-service", "bot-service", "ingestion");
    }

    @Test
    void should_give_every_service_an_image_or_a_build() {
        for (ComposeFile.Service service : compose.services().values()) {
            assertThat(service.image().isPresent() || !service.build().isEmpty())
                    .as(service.name() + " has an image or a build")
                    .isTrue();
        }
    }

    @Test
    void should_give_every_long_running_service_a_healthcheck_and_restart_unless_stopped() {
        List<String> checked = new ArrayList<>();
        for (ComposeFile.Service service : compose.services().values()) {
            assertThat(service.restart()).as(service.name() + " restart").isPresent();
            if (service.isOneShot()) {
                assertThat(service.profiles())
                        .as(service.name() + " runs once, so only when asked for (a profile)")
                        .isNotEmpty();
                continue;
            }
            assertThat(service.restart()).as(service.name()).contains("unless-stopped");
            List<String> test = service.healthcheckTest();
            assertThat(test).as(service.name() + " healthcheck.test").hasSizeGreaterThanOrEqualTo(2);
            assertThat(test.getFirst()).as(service.name()).isIn("CMD", "CMD-SHELL");
            assertThat(service.healthcheck()).as(service.name()).containsKeys("interval", "timeout", "retries");
            checked.add(service.name());
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(9);
    }

    @Test
    void should_check_the_health_of_jerry_services_on_their_live_endpoint_and_port() {
        for (ComposeFile.Service service : compose.javaServices()) {
            if (service.isOneShot()) {
                continue;
            }
            String port = service.environment().entrySet().stream()
                    .filter(e -> e.getKey().matches("JERRY_[A-Z]+_PORT"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(service.name() + " sets no JERRY_<SERVICE>_PORT"));
            assertThat(service.healthcheckTest())
                    .as(service.name())
                    .contains("curl", "http://127.0.0.1:" + port + "/health/live");
        }
    }

    @Test
    void should_pin_every_image_that_is_not_built_here() {
        for (ComposeFile.Service service : compose.services().values()) {
            if (!service.build().isEmpty()) {
                continue;
            }
            String image = service.image().orElseThrow();
            String tag = image.substring(image.lastIndexOf('/') + 1);
            assertThat(tag).as(service.name() + " image " + image).contains(":").doesNotEndWith(":latest");
            assertThat(tag.substring(tag.indexOf(':') + 1))
                    .as(service.name() + " tag")
                    .matches("v?[0-9][0-9A-Za-z.+_-]*");
        }
    }

    @Test
    void should_build_jerry_services_hardened_from_the_containerfile() {
        for (ComposeFile.Service service : compose.javaServices()) {
            assertThat(service.build()).as(service.name()).containsEntry("context", ".");
            assertThat(Files.isRegularFile(Repo.path(service.module() + "/pom.xml")))
                    .as(service.name() + " builds module " + service.module())
                    .isTrue();
            assertThat(service.readOnly()).as(service.name() + " read_only").isTrue();
            assertThat(service.capDrop()).as(service.name() + " cap_drop").contains("ALL");
            assertThat(service.securityOpt())
                    .as(service.name() + " security_opt")
                    .anyMatch(opt -> opt.startsWith("no-new-privileges"));
            // llama.cpp, the ONNX runtime and the tokenizers load native libraries unpacked into /tmp
            assertThat(service.tmpfs())
                    .as(service.name() + " tmpfs")
                    .anyMatch(t -> t.startsWith("/tmp:") && t.contains("exec") && !t.contains("noexec"));
        }
    }

    @Test
    void should_publish_ports_only_on_loopback_and_none_for_the_bot() {
        List<String> published = new ArrayList<>();
        for (ComposeFile.Service service : compose.services().values()) {
            for (String port : service.ports()) {
                assertThat(port).as(service.name() + " publishes " + port).startsWith("127.0.0.1:");
                published.add(service.name());
            }
        }
        assertThat(compose.service("bot-service").ports()).isEmpty();
        assertThat(published).contains("open-webui", "grafana").hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void should_put_every_service_on_the_one_network() {
        assertThat(compose.networks()).hasSize(1);
        String network = compose.networks().keySet().iterator().next();
        for (ComposeFile.Service service : compose.services().values()) {
            assertThat(service.networks()).as(service.name()).containsExactly(network);
        }
    }

    @Test
    void should_declare_every_named_volume() {
        for (ComposeFile.Service service : compose.services().values()) {
            for (String volume : service.volumes()) {
                String resolved = ComposeFile.interpolate(volume);
                String source = resolved.substring(0, resolved.indexOf(':'));
                if (source.startsWith(".") || source.startsWith("/")) {
                    continue;
                }
                assertThat(compose.volumes())
                        .as(service.name() + " volume " + source)
                        .containsKey(source);
            }
        }
    }

    @Test
    void should_bind_mount_only_files_that_exist_in_the_repository() {
        for (ComposeFile.Service service : compose.services().values()) {
            for (String volume : service.volumes()) {
                String resolved = ComposeFile.interpolate(volume);
                String source = resolved.substring(0, resolved.indexOf(':'));
                if (source.startsWith("./configs/")) {
                    assertThat(Repo.path(source)).as(service.name()).exists();
                }
            }
        }
    }

    @Test
    void should_back_every_secret_with_a_file_under_secrets_and_mount_what_each_service_reads() {
        // given
        Map<String, String> files = compose.secretFiles();
        Set<String> referenced = new TreeSet<>();

        // then
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        files.forEach((name, file) -> assertThat(file).as(name).isEqualTo("./secrets/" + name));
        for (ComposeFile.Service service : compose.services().values()) {
            assertThat(files.keySet()).as(service.name() + " secrets").containsAll(service.secrets());
            String uses = String.join(" ", service.environment().values()) + " " + service.commandText();
            Matcher mount = SECRET_MOUNT.matcher(uses);
            while (mount.find()) {
                referenced.add(mount.group(1));
                assertThat(service.secrets())
                        .as(service.name() + " reads /run/secrets/" + mount.group(1) + " so must mount it")
                        .contains(mount.group(1));
            }
        }
        Matcher scrape = SECRET_MOUNT.matcher(Repo.read(MonitoringConfigTest.PROMETHEUS_CONFIG));
        while (scrape.find()) {
            referenced.add(scrape.group(1));
            assertThat(compose.service("prometheus").secrets()).contains(scrape.group(1));
        }
        assertThat(referenced).as("every declared secret is used").containsAll(files.keySet());
    }

    @Test
    void should_contain_no_literal_secret() {
        for (ComposeFile.Service service : compose.services().values()) {
            service.rawEnvironment().forEach((name, value) -> {
                if (SECRET_NAME.matcher(name).matches() && !name.equals("JERRY_AGENT_HISTORY_TOKENS")) {
                    assertThat(value)
                            .as(service.name() + ": " + name + " is a secret: give it as a file (" + name + "_FILE)")
                            .isEmpty();
                }
                assertThat(TOKEN_LIKE.matcher(value).find())
                        .as(service.name() + ": " + name + " looks like a literal token")
                        .isFalse();
            });
        }
        assertThat(TOKEN_LIKE.matcher("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8").find())
                .as("the check itself finds a token")
                .isTrue();
    }
}
