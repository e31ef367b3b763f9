package dev.jerry.model.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jerry.kit.error.ServiceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What an operator says about a node when registering it ({@code POST /v1/nodes}), and what is kept on disk so that a
 * restart keeps it.
 *
 * @param name unique, {@code [a-z0-9][a-z0-9._-]*}, at most 63 characters
 * @param url the node's Ollama API, {@code http(s)://host[:port]}
 * @param token a bearer token for a node behind an authenticating proxy, or null
 * @param vramGib the node's VRAM as declared by the operator, or null
 * @param labels free-form labels ({@code gpu}, {@code laptop}...)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeSpec(String name, String url, String token, Double vramGib, List<String> labels) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final double MAX_VRAM_GIB = 1 << 20;

    public NodeSpec {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /**
     * Checks a spec given through the API, naming the field at fault.
     *
     * @throws ServiceException.BadInput with the field's name
     */
    public NodeSpec validated() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ServiceException.BadInput(
                    "name",
                    "field 'name' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a"
                            + " letter or digit");
        }
        uri();
        if (vramGib != null && (vramGib.isNaN() || vramGib <= 0 || vramGib > MAX_VRAM_GIB)) {
            throw new ServiceException.BadInput("vram_gib", "field 'vram_gib' must be a positive number of GiB");
        }
        if (token != null && token.isBlank()) {
            throw new ServiceException.BadInput("token", "field 'token' must not be blank when given");
        }
        for (String label : labels) {
            if (label == null || label.isBlank() || label.length() > 64) {
                throw new ServiceException.BadInput("labels", "each label must be 1-64 characters");
            }
        }
        return this;
    }

    /** The node's base URL, without a trailing slash. */
    public URI uri() {
        String raw = url == null ? "" : url.strip().replaceAll("/+$", "");
        try {
            URI uri = new URI(raw);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                throw badUrl();
            }
            return uri;
        } catch (URISyntaxException e) {
            throw badUrl();
        }
    }

    private ServiceException.BadInput badUrl() {
        return new ServiceException.BadInput(
                "url", "field 'url' must be an http(s) URL such as http://gpu-box:11434, got '" + url + "'");
    }

    /** Without the token: a spec that ends up in a log line must not leak it. */
    @Override
    public String toString() {
        return "NodeSpec[name=" + name + ", url=" + url + ", token=" + (token == null ? "none" : "[redacted]")
                + ", vramGib=" + vramGib + ", labels=" + labels + "]";
    }

    public OptionalLong vramBytes() {
        return vramGib == null ? OptionalLong.empty() : OptionalLong.of((long) (vramGib * (1L << 30)));
    }
}
