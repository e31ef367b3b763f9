package dev.jerry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Chroma server: ONE per test JVM, started on first use and stopped (by its PID) when the JVM's
 * tests end. Use {@code @ExtendWith(ChromaExtension.class)} and take a {@link ChromaServer} parameter. Tests sharing
 * the server keep apart by using their own collection names.
 */
public final class ChromaExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ChromaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ChromaServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The JVM-wide server, kept in the root store so JUnit closes it after the last test. */
    public static ChromaServer server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        ChromaServer.class.getName(),
                        key -> {
                            try {
                                return ChromaServer.start();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        ChromaServer.class);
    }
}
