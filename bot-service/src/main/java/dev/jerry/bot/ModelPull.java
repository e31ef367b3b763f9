package dev.jerry.bot;

import dev.jerry.kit.client.ServiceClient;
import dev.jerry.kit.client.UpstreamException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code /jerry-admin pull}: asks model-service for a model until it is there, showing each new state of the download
 * (⏳ progress, then ✅ ready or ❌ unknown) and giving up before the interaction's token expires. Plain Java: what is
 * shown goes to a {@code Consumer}, so it runs without Discord.
 */
public final class ModelPull {
    /** An interaction token lives 15 minutes. */
    public static final Duration LONGEST = Duration.ofMinutes(14);

    public static final Duration POLL = Duration.ofSeconds(2);

    private final ServiceClient model;
    private final Duration poll;
    private final Duration longest;

    public ModelPull(ServiceClient model, Duration poll, Duration longest) {
        this.model = model;
        this.poll = poll;
        this.longest = longest;
    }

    /**
     * Blocks until the model is ready, unknown, failed or {@code longest} has passed; shows each text that differs
     * from the last one shown. {@code again} is how the user asks again (said when giving up).
     */
    public void run(String name, String again, Consumer<String> show) {
        long deadline = System.nanoTime() + longest.toNanos();
        String last = "";
        while (true) {
            String text;
            boolean over = true;
            try {
                model.post("/api/pull", Map.of("model", name, "stream", false), Map.class);
                text = "✅ Model `" + name + "` is ready.";
            } catch (UpstreamException.Busy | UpstreamException.Unavailable e) {
                text = "⏳ " + ErrorText.clip(e.getMessage());
                over = false;
            } catch (UpstreamException e) {
                text = e instanceof UpstreamException.BadResponse bad && bad.upstreamStatus() == 404
                        ? "❌ " + ErrorText.clip(e.getMessage())
                        : ErrorText.of(e);
            }
            if (!text.equals(last)) {
                show.accept(text);
                last = text;
            }
            if (over) {
                return;
            }
            if (System.nanoTime() > deadline) {
                show.accept(last + "\nStill downloading; check again with `" + again + "` later.");
                return;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
