package dev.jerry.system;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code podman-compose.yml} as the compose tools see it: anchors and merge keys resolved, {@code ${VAR:-default}}
 * taken at its default.
 */
final class ComposeFile {
    static final String FILE = "podman-compose.yml";
    static final String JAVA_CONTAINERFILE = "configs/Containerfile.service";
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile load() {
        return parse(Repo.read(FILE));
    }

    static ComposeFile parse(String yaml) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(loaded instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(FILE + " is not a YAML mapping");
        }
        return new ComposeFile(map(loaded));
    }

    Map<String, Service> services() {
        Map<String, Service> services = new LinkedHashMap<>();
        map(root.get("services")).forEach((name, body) -> services.put(name, new Service(name, map(body))));
        return services;
    }

    Service service(String name) {
        Service service = services().get(name);
        if (service == null) {
            throw new AssertionError(FILE + " has no service '" + name + "'");
        }
        return service;
    }

    /** The Jerry services built from the Java Containerfile. */
    List<Service> javaServices() {
        return services().values().stream().filter(Service::isJava).toList();
    }

    Map<String, Object> networks() {
        return map(root.get("networks"));
    }

    Map<String, Object> volumes() {
        return map(root.get("volumes"));
    }

    /** Top-level secrets: name to the file backing it. */
    Map<String, String> secretFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        map(root.get("secrets"))
                .forEach(
                        (name, body) -> files.put(name, String.valueOf(map(body).get("file"))));
        return files;
    }

    /** A value as the compose tool uses it when the variables it names are unset. */
    static String interpolate(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    record Service(String name, Map<String, Object> body) {
        Optional<String> image() {
            return Optional.ofNullable(body.get("image")).map(String::valueOf);
        }

        Map<String, Object> build() {
            return map(body.get("build"));
        }

        boolean isJava() {
            return JAVA_CONTAINERFILE.equals(build().get("dockerfile"));
        }

        /** The Maven module a Java service is built from (its build argument MODULE). */
        String module() {
            return String.valueOf(map(build().get("args")).get("MODULE"));
        }

        Optional<String> restart() {
            return Optional.ofNullable(body.get("restart")).map(String::valueOf);
        }

        /** A job that runs once and exits: restart "no". */
        boolean isOneShot() {
            return restart().filter("no"::equals).isPresent();
        }

        List<String> profiles() {
            return strings(body.get("profiles"));
        }

        Map<String, Object> healthcheck() {
            return map(body.get("healthcheck"));
        }

        List<String> healthcheckTest() {
            Object test = healthcheck().get("test");
            return test instanceof String s ? List.of("CMD-SHELL", s) : strings(test);
        }

        /** Environment variables, interpolated at their defaults (map or {@code KEY=VALUE} list form). */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            Object raw = body.get("environment");
            if (raw instanceof Map<?, ?> m) {
                m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : interpolate(String.valueOf(v))));
            } else {
                for (String entry : strings(raw)) {
                    int eq = entry.indexOf('=');
                    env.put(
                            eq < 0 ? entry : entry.substring(0, eq),
                            eq < 0 ? "" : interpolate(entry.substring(eq + 1)));
                }
            }
            return env;
        }

        /** The raw environment values, before interpolation. */
        Map<String, String> rawEnvironment() {
            Map<String, String> env = new LinkedHashMap<>();
            map(body.get("environment")).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
            return env;
        }

        /** Names of the secrets mounted into the service (short or long syntax). */
        List<String> secrets() {
            List<String> names = new ArrayList<>();
            Object raw = body.get("secrets");
            if (raw instanceof List<?> list) {
                for (Object entry : list) {
                    names.add(entry instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(entry));
                }
            }
            return names;
        }

        List<String> ports() {
            return strings(body.get("ports"));
        }

        List<String> volumes() {
            return strings(body.get("volumes"));
        }

        List<String> tmpfs() {
            Object raw = body.get("tmpfs");
            return raw instanceof String s ? List.of(s) : strings(raw);
        }

        List<String> networks() {
            Object raw = body.get("networks");
            return raw instanceof Map<?, ?> m
                    ? m.keySet().stream().map(String::valueOf).toList()
                    : strings(raw);
        }

        List<String> capDrop() {
            return strings(body.get("cap_drop"));
        }

        List<String> securityOpt() {
            return strings(body.get("security_opt"));
        }

        boolean readOnly() {
            return Boolean.TRUE.equals(body.get("read_only"));
        }

        /** Everything the container runs: entrypoint, command and healthcheck, as one text. */
        String commandText() {
            return String.join(
                    " ",
                    String.valueOf(body.getOrDefault("entrypoint", "")),
                    String.valueOf(body.getOrDefault("command", "")),
                    String.valueOf(healthcheck().getOrDefault("test", "")));
        }

        /** The port of an {@code http://host:port...} URL in this service's environment. */
        static int portOf(String url) {
            return URI.create(url).getPort();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError("expected a mapping in " + FILE + ", got: " + value);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new AssertionError("expected a list in " + FILE + ", got: " + value);
        }
        return list.stream().map(String::valueOf).toList();
    }
}
