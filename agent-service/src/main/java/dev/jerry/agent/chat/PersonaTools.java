package dev.jerry.agent.chat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The tools a turn may use: those of its persona (passed in the invocation parameters) among the ones this agent has
 * (no {@code web_search} without a SearXNG). The AI service asks at each invocation.
 */
final class PersonaTools implements ToolProvider {
    private final List<Object> tools;

    /** @param tools objects with {@link Tool} methods, such as {@link RagTool} and {@link WebTool} */
    PersonaTools(List<Object> tools) {
        this.tools = List.copyOf(tools);
    }

    @Override
    public ToolProviderResult provideTools(ToolProviderRequest request) {
        Persona persona = request.invocationParameters().get(Agent.PERSONA);
        ToolProviderResult.Builder result = ToolProviderResult.builder();
        for (Object tool : tools) {
            for (Method method : tool.getClass().getDeclaredMethods()) {
                Tool annotation = method.getAnnotation(Tool.class);
                if (annotation != null && persona != null && persona.tools().contains(annotation.name())) {
                    result.add(ToolSpecifications.toolSpecificationFrom(method), new DefaultToolExecutor(tool, method));
                }
            }
        }
        return result.build();
    }
}
