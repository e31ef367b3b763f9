package dev.jerry.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code JERRY_*} variables the code reads, found in the main sources and resources ({@code ${JERRY_LOG_LEVEL}} in
 * logback.xml) of every module and in the {@code jerry} launcher.
 *
 * <p>Most names are whole string literals ({@code env.string("JERRY_AGENT_MODEL", ...)}, constants such as
 * {@code BIND_ADDRESS = "JERRY_BIND_ADDRESS"}). Two kinds are built at run time, and are derived here from their call
 * sites: {@code ServerConfig.fromEnv(env, SERVICE, DEFAULT_PORT)} reads {@code JERRY_<SERVICE>_PORT};
 * {@code UpstreamConfig.fromEnv(env, "PREFIX", name, default)} reads {@code JERRY_<PREFIX>_URL} and the secret
 * {@code JERRY_<PREFIX>_TOKEN}. A secret ({@code env.secret(...)}) may also be given as {@code <NAME>_FILE}. Any
 * other place that builds a name from {@code "JERRY_"} makes {@link #load()} fail, so a new way of reading variables
 * cannot slip past these checks.
 */
final class EnvReads {
    static final Set<String> NAME_BUILDERS = Set.of("ServerConfig.java", "UpstreamConfig.java");

    private static final Pattern LITERAL = Pattern.compile("\"(JERRY_[A-Z0-9_]*[A-Z0-9])\"");
    private static final Pattern NAME_BUILT = Pattern.compile("\"JERRY_\"\\s*\\+");
    private static final Pattern SERVER = Pattern.compile("ServerConfig\\.fromEnv\\(\\s*\\w+\\s*,\\s*(\\w+|\"\\w+\")");
    private static final Pattern UPSTREAM = Pattern.compile(
            "UpstreamConfig\\.fromEnv\\(\\s*\\w+\\s*,\\s*\"([A-Z0-9_]+)\"\\s*,\\s*\"[^\"]*\"\\s*,\\s*URI\\.create\\(\"([^\"]+)\"\\)");
    private static final Pattern SECRET =
            Pattern.compile("\\.secret\\(\\s*(\"JERRY_[A-Z0-9_]+\"|[A-Z][A-Z0-9_]*)\\s*\\)");
    private static final Pattern DEFAULT_PORT = Pattern.compile("\\bDEFAULT_PORT\\s*=\\s*(\\d+)\\s*;");
    /** {@code ${JERRY_LOG_LEVEL:-INFO}} in logback.xml and other resources. */
    private static final Pattern RESOURCE_NAME = Pattern.compile("\\$\\{(JERRY_[A-Z0-9_]*[A-Z0-9])");

    private static final Pattern SCRIPT_NAME = Pattern.compile("\\bJERRY_[A-Z0-9_]*[A-Z0-9]\\b");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    /** One module's reads. {@code servers}: the service names it listens as, with their default port. */
    record Module(
            String name,
            Set<String> literals,
            Set<String> secrets,
            Map<String, Integer> servers,
            Map<String, URI> upstreams,
            List<String> dependencies) {}

    private final Map<String, Module> modules;
    private final Set<String> scriptNames;

    private EnvReads(Map<String, Module> modules, Set<String> scriptNames) {
        this.modules = modules;
        this.scriptNames = scriptNames;
    }

    static EnvReads load() {
        Map<String, Module> modules = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(Repo.root())) {
            for (Path dir : dirs.sorted().toList()) {
                if (Files.isDirectory(dir.resolve("src/main/java")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                    Module module = scan(dir);
                    modules.put(module.name(), module);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> script = new TreeSet<>();
        Matcher m = SCRIPT_NAME.matcher(Repo.read("jerry"));
        while (m.find()) {
            script.add(m.group());
        }
        return new EnvReads(modules, script);
    }

    Map<String, Module> modules() {
        return modules;
    }

    Module module(String name) {
        Module module = modules.get(name);
        if (module == null) {
            throw new AssertionError("no module '" + name + "' with main sources");
        }
        return module;
    }

    /** Every secret: read with {@code env.secret(...)} or an upstream's token. */
    Set<String> secrets() {
        Set<String> secrets = new TreeSet<>();
        for (Module module : modules.values()) {
            secrets.addAll(module.secrets());
            module.upstreams().keySet().forEach(prefix -> secrets.add("JERRY_" + prefix + "_TOKEN"));
        }
        return secrets;
    }

    /** Every variable the code and the launcher read, with {@code X_FILE} of a secret counted as {@code X}. */
    Set<String> all() {
        Set<String> names = new TreeSet<>();
        for (Module module : modules.values()) {
            names.addAll(readBy(module));
        }
        scriptNames.forEach(name -> names.add(normalize(name)));
        return names;
    }

    /** The variables a module reads itself (not through the modules it depends on). */
    Set<String> readBy(Module module) {
        Set<String> names = new TreeSet<>(module.literals());
        module.servers().keySet().forEach(service -> names.add(portVariable(service)));
        module.upstreams().keySet().forEach(prefix -> {
            names.add("JERRY_" + prefix + "_URL");
            names.add("JERRY_" + prefix + "_TOKEN");
        });
        return names;
    }

    /** The variables a deployable module reads, through the Jerry modules it depends on too. */
    Set<String> readWithDependencies(String moduleName) {
        Set<String> names = new TreeSet<>();
        for (Module module : withDependencies(moduleName)) {
            names.addAll(readBy(module));
        }
        return names;
    }

    /** Upstream prefixes ({@code MODEL_SERVICE}...) a deployable module calls, through its dependencies too. */
    Map<String, URI> upstreamsWithDependencies(String moduleName) {
        Map<String, URI> upstreams = new TreeMap<>();
        withDependencies(moduleName).forEach(module -> upstreams.putAll(module.upstreams()));
        return upstreams;
    }

    String normalize(String name) {
        if (name.endsWith("_FILE")) {
            String base = name.substring(0, name.length() - "_FILE".length());
            if (secrets().contains(base)) {
                return base;
            }
        }
        return name;
    }

    static String portVariable(String service) {
        return "JERRY_" + service.toUpperCase(Locale.ROOT) + "_PORT";
    }

    private List<Module> withDependencies(String moduleName) {
        List<Module> result = new ArrayList<>();
        List<String> todo = new ArrayList<>(List.of(moduleName));
        while (!todo.isEmpty()) {
            Module module = module(todo.removeFirst());
            if (!result.contains(module)) {
                result.add(module);
                todo.addAll(module.dependencies());
            }
        }
        return result;
    }

    private static Module scan(Path dir) throws IOException {
        Set<String> literals = new TreeSet<>();
        Set<String> secrets = new TreeSet<>();
        Map<String, Integer> servers = new LinkedHashMap<>();
        Map<String, URI> upstreams = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : sources) {
            String code = Files.readString(file);
            Matcher literal = LITERAL.matcher(code);
            while (literal.find()) {
                literals.add(literal.group(1));
            }
            if (NAME_BUILT.matcher(code).find()
                    && !NAME_BUILDERS.contains(file.getFileName().toString())) {
                throw new AssertionError(file + " builds a JERRY_ variable name at run time; teach "
                        + EnvReads.class.getSimpleName() + " how to find the names it reads");
            }
            if (!NAME_BUILDERS.contains(file.getFileName().toString())) {
                requireEveryCallUnderstood(code, file, "ServerConfig.fromEnv(", SERVER);
                requireEveryCallUnderstood(code, file, "UpstreamConfig.fromEnv(", UPSTREAM);
                requireEveryCallUnderstood(code, file, ".secret(", SECRET);
            }
            Matcher server = SERVER.matcher(code);
            while (server.find()) {
                String service = resolve(code, server.group(1), file);
                Matcher port = DEFAULT_PORT.matcher(code);
                if (!port.find()) {
                    throw new AssertionError(file + " starts a server but declares no DEFAULT_PORT constant");
                }
                servers.put(service, Integer.parseInt(port.group(1)));
            }
            Matcher upstream = UPSTREAM.matcher(code);
            while (upstream.find()) {
                upstreams.put(upstream.group(1), URI.create(upstream.group(2)));
            }
            Matcher secret = SECRET.matcher(code);
            while (secret.find()) {
                secrets.add(resolve(code, secret.group(1), file));
            }
        }
        Path resources = dir.resolve("src/main/resources");
        if (Files.isDirectory(resources)) {
            try (Stream<Path> files = Files.walk(resources)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    if (file.toString().endsWith(".xml") || file.toString().endsWith(".properties")) {
                        Matcher m = RESOURCE_NAME.matcher(Files.readString(file));
                        while (m.find()) {
                            literals.add(m.group(1));
                        }
                    }
                }
            }
        }
        return new Module(
                dir.getFileName().toString(),
                literals,
                secrets,
                servers,
                upstreams,
                dependencies(Files.readString(dir.resolve("pom.xml"))));
    }

    /** Every call site of {@code call} must have the form {@code pattern} reads, or names would be missed. */
    private static void requireEveryCallUnderstood(String code, Path file, String call, Pattern pattern) {
        int calls = 0;
        for (int at = code.indexOf(call); at >= 0; at = code.indexOf(call, at + 1)) {
            calls++;
        }
        int understood = (int) pattern.matcher(code).results().count();
        if (calls != understood) {
            throw new AssertionError(
                    file + ": " + (calls - understood) + " call(s) of " + call + " whose variable name "
                            + EnvReads.class.getSimpleName() + " cannot work out (expected the form " + pattern + ")");
        }
    }

    /** A string literal, or the value of the string constant of that name in the same file. */
    private static String resolve(String code, String expression, Path file) {
        if (expression.startsWith("\"")) {
            return expression.substring(1, expression.length() - 1);
        }
        Matcher constant = Pattern.compile("\\b" + Pattern.quote(expression) + "\\s*=\\s*\"([^\"]+)\"")
                .matcher(code);
        if (!constant.find()) {
            throw new AssertionError(file + ": cannot find the value of " + expression);
        }
        return constant.group(1);
    }

    /** The Jerry modules a pom depends on outside the test scope. */
    private static List<String> dependencies(String pom) {
        List<String> result = new ArrayList<>();
        Matcher dependency = DEPENDENCY.matcher(pom);
        while (dependency.find()) {
            String body = dependency.group(1);
            if (body.contains("<groupId>dev.jerry</groupId>") && !body.contains("<scope>test</scope>")) {
                tag(body, "artifactId").ifPresent(result::add);
            }
        }
        return result;
    }

    private static Optional<String> tag(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(xml);
        return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    }
}
