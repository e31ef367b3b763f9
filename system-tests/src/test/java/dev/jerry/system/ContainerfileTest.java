package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ContainerfileTest {
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");

    private final String containerfile = Repo.read(ComposeFile.JAVA_CONTAINERFILE);

    @Test
    void should_build_with_the_wrapper_on_a_jdk_and_run_on_a_jre() {
        // when
        Matcher from = FROM.matcher(containerfile);
        List<String> stages =
                from.results().map(MatchResult -> MatchResult.group(1)).toList();

        // then
        // the module's build, llama-server's build (model-service's local engine), the runtime
        assertThat(stages).hasSize(3);
        assertThat(stages.get(0)).contains("eclipse-temurin:").endsWith("-jdk");
        assertThat(stages.get(1)).contains("eclipse-temurin:").endsWith("-jdk");
        assertThat(stages.get(2)).contains("eclipse-temurin:").endsWith("-jre");
        assertThat(containerfile)
                .contains("./mvnw ")
                .contains("-pl \"$MODULE\" -am")
                .contains("ARG JAVA_VERSION=");
        int javaVersion = Integer.parseInt(containerfile.replaceAll("(?s).*ARG JAVA_VERSION=(\\d+).*", "$1"));
        assertThat(javaVersion).isGreaterThanOrEqualTo(21);
    }

    @Test
    void should_run_as_a_non_root_user() {
        List<String> users =
                USER.matcher(containerfile).results().map(r -> r.group(1)).toList();
        assertThat(users).isNotEmpty();
        String last = users.getLast();
        assertThat(last).doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
        assertThat(last.split(":")[0]).matches("[1-9][0-9]{3,}");
        assertThat(containerfile).contains("chown -R " + last + " /var/lib/jerry");
    }

    @Test
    void should_start_the_module_jar_with_native_access_and_writable_native_dirs() {
        String entrypoint = containerfile
                .lines()
                .filter(l -> l.startsWith("ENTRYPOINT"))
                .findFirst()
                .orElseThrow();
        assertThat(entrypoint)
                .contains("exec java --enable-native-access=ALL-UNNAMED")
                .contains("-jar /app/service.jar");
        assertThat(containerfile)
                .contains("ln -s \"/app/${MODULE}.jar\" /app/service.jar")
                .contains("COPY --from=build /out/lib /app/lib")
                // the read-only root leaves /tmp (a tmpfs) for what native code unpacks
                .contains("-Dde.kherud.llama.tmpdir=/tmp")
                .contains("-Djava.io.tmpdir=/tmp")
                .contains("-Djna.tmpdir=/tmp")
                .contains("DJL_CACHE_DIR=/tmp/")
                .contains("libgomp1")
                .contains("curl")
                .contains("VOLUME [\"/var/lib/jerry\"]");
    }

    @Test
    void should_build_llama_server_from_the_pinned_source_in_a_build_stage() {
        assertThat(containerfile)
                .contains("AS llama-server")
                .contains("COPY scripts/build-llama-server.sh")
                .contains("if [ \"$MODULE\" = model-service ]")
                .contains("COPY --from=llama-server /out/bin /opt/llama.cpp/bin")
                .contains("JERRY_LLAMA_SERVER=/opt/llama.cpp/bin/llama-server");
        // the compilers stay in the build stage
        String runtime = containerfile.substring(containerfile.lastIndexOf("\nFROM "));
        assertThat(runtime).doesNotContain("cmake").doesNotContain("g++");
    }

    @Test
    void should_build_modules_that_produce_a_runnable_jar_with_its_libraries() {
        for (ComposeFile.Service service : ComposeFile.load().javaServices()) {
            String pom = Repo.read(service.module() + "/pom.xml");
            assertThat(pom)
                    .as(service.module() + "/pom.xml: the Containerfile copies target/" + service.module() + ".jar")
                    .contains("<finalName>" + service.module() + "</finalName>")
                    .contains("<artifactId>maven-dependency-plugin</artifactId>")
                    .contains("<artifactId>maven-jar-plugin</artifactId>");
        }
    }

    @Test
    void should_keep_data_models_and_secrets_out_of_the_build_context() {
        List<String> ignored = Arrays.stream(Repo.read(".dockerignore").split("\n"))
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertThat(ignored).contains(".jerry", "secrets", "**/target", "*.gguf", ".git");
        assertThat(ignored).noneMatch(l -> l.equals("configs") || l.startsWith("configs/models"));
    }
}
