package dev.jerry.agent.chat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.config.ConfigException;
import dev.jerry.kit.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A slash-command persona: {@code /docs how do I...} answers with this persona's instructions and only its tools.
 *
 * @param tools the tools it may call ({@code rag_search}, {@code web_search})
 */
public record Persona(String name, String description, String systemPrompt, List<String> tools) {
    /** No slash command: every tool, no extra instructions. */
    public static final Persona DEFAULT = new Persona("default", "Jerry", "", AgentTool.names());

    public Persona {
        tools = List.copyOf(tools);
    }

    /** Whether this persona may call {@code tool}. */
    boolean allows(AgentTool tool) {
        return tools.contains(tool.name());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(List<Persona> personas) {}

    /** The personas of {@code JERRY_PERSONAS_FILE}, or those shipped in the jar. */
    public static List<Persona> load(Optional<Path> file) {
        try (InputStream in = file.isPresent()
                ? Files.newInputStream(file.get())
                : Persona.class.getResourceAsStream("/personas.json")) {
            if (in == null) {
                throw new IllegalStateException("personas.json is missing from the agent-service jar");
            }
            List<Persona> personas = Json.mapper().readValue(in, File.class).personas();
            for (Persona p : personas) {
                if (p.name() == null || !p.name().matches("[a-z][a-z0-9-]{0,31}")) {
                    throw new ConfigException(
                            "JERRY_PERSONAS_FILE",
                            "persona name must be lower-case letters, digits " + "and '-', got '" + p.name() + "'");
                }
                for (String tool : p.tools()) {
                    if (AgentTool.named(tool).isEmpty()) {
                        throw new ConfigException(
                                "JERRY_PERSONAS_FILE",
                                "persona '" + p.name() + "' names unknown tool '" + tool + "'; known: "
                                        + AgentTool.names());
                    }
                }
            }
            return List.copyOf(personas);
        } catch (IOException e) {
            throw new ConfigException("JERRY_PERSONAS_FILE", "cannot read the personas: " + e.getMessage());
        }
    }
}
