package dev.jerry.agent.chat;

import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AgentChatResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The personas there are, and which one a message asks for with a leading {@code /name}. */
record Personas(List<Persona> all) {
    Personas {
        all = List.copyOf(all);
    }

    /** The persona a message asks for with a leading {@code /name}, and the rest of the message. */
    record Selection(Persona persona, String question) {}

    Optional<Selection> select(String message) {
        return select(message, null);
    }

    /** As {@link #select(String)}, with {@code fallback} (a channel's persona) for a message without a {@code /name}. */
    Optional<Selection> select(String message, String fallback) {
        String trimmed = message.strip();
        if (!trimmed.startsWith("/")) {
            return Optional.of(new Selection(named(fallback).orElse(Persona.DEFAULT), message));
        }
        int space = trimmed.indexOf(' ');
        String name = (space < 0 ? trimmed.substring(1) : trimmed.substring(1, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return all.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .map(p -> new Selection(p, rest.isEmpty() ? "(no further text)" : rest));
    }

    /** The persona of this name, if there is one ({@code default} is none: Jerry's own). */
    Optional<Persona> named(String name) {
        return name == null
                ? Optional.empty()
                : all.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The answer to an unknown {@code /name}: the personas there are. */
    AgentChatResponse unknown(AgentChatRequest request) {
        StringBuilder reply =
                new StringBuilder("I don't know " + request.message().strip().split("\\s+")[0] + ". You can use:");
        for (Persona p : all) {
            reply.append("\n/").append(p.name()).append(" - ").append(p.description());
        }
        return new AgentChatResponse(
                reply.toString(),
                List.of(),
                List.of(),
                request.conversationId(),
                new AgentChatResponse.Usage(0, 0),
                false);
    }
}
