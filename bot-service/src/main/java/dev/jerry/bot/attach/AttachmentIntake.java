package dev.jerry.bot.attach;

import dev.jerry.bot.AgentClient;
import dev.jerry.bot.AnswerStream;
import dev.jerry.bot.BotMetrics;
import dev.jerry.bot.ErrorText;
import dev.jerry.bot.channels.Place;
import dev.jerry.bot.channels.PlaceSettings;
import dev.jerry.kit.api.AgentChatRequest;
import dev.jerry.kit.api.AttachmentRequest;
import dev.jerry.kit.api.AttachmentResponse;
import dev.jerry.kit.client.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the files of a question before it is answered: each is downloaded from Discord's CDN and handed to
 * agent-service for the conversation, which reads it (or refuses it in words the user can act on). A refusal ends the
 * question with that message; otherwise the answer goes on, and can cite the files.
 */
public final class AttachmentIntake {
    private static final Logger log = LoggerFactory.getLogger(AttachmentIntake.class);
    /** The most the bot downloads: Discord's own upload limit; agent-service applies its (smaller) limit after. */
    public static final long MAX_DOWNLOAD_BYTES = 25L * 1024 * 1024;

    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);

    /** What came of a question's files. */
    public sealed interface Result {
        /** Every file was read; {@code notes} say so in a line each. */
        record Taken(List<String> notes) implements Result {}

        /** A file could not be taken; {@code message} tells the user why and what would work. */
        record Refused(String message) implements Result {}
    }

    private final AgentClient agent;
    private final PlaceSettings settings;
    private final HttpClient http;
    private final ExecutorService workers;
    private final BotMetrics metrics;

    /** {@code settings}: where the model of a place comes from, which an image is checked against. */
    public AttachmentIntake(
            AgentClient agent, PlaceSettings settings, HttpClient http, ExecutorService workers, BotMetrics metrics) {
        this.agent = agent;
        this.settings = settings;
        this.http = http;
        this.workers = workers;
        this.metrics = metrics;
    }

    /**
     * Takes {@code files} on a worker, then runs {@code answer} (or, without one, shows what was read); a refused
     * file ends {@code stream} with the reason instead. No files: {@code answer} runs at once. An image is checked
     * against the model {@code user}'s turns go to in {@code place} (none: a DM, agent-service's own model).
     */
    public void thenAnswer(
            String conversationId,
            Optional<Place> place,
            AgentChatRequest.UserRef user,
            List<Incoming> files,
            AnswerStream stream,
            Optional<Runnable> answer) {
        if (files.isEmpty()) {
            answer.ifPresent(Runnable::run);
            return;
        }
        workers.submit(() -> {
            stream.status("📎 reading "
                    + String.join(", ", files.stream().map(Incoming::filename).toList()) + "…");
            Optional<String> model;
            try {
                model = settings.model(place, Long.parseLong(user.id()));
            } catch (UpstreamException e) {
                // the turn could not read the place's settings either: say so rather than check another model
                metrics.error(e.errorType());
                stream.fail(ErrorText.of(e));
                return;
            }
            switch (take(conversationId, model, files)) {
                case Result.Refused refused -> stream.fail(refused.message());
                case Result.Taken taken -> {
                    if (answer.isPresent()) {
                        answer.get().run();
                    } else {
                        stream.finish(String.join("\n", taken.notes()), List.of());
                    }
                }
            }
        });
    }

    /**
     * Hands each file to agent-service in turn, for the turns of {@code model} (empty: agent-service's own); the
     * first refusal stops there. Blocking.
     */
    public Result take(String conversationId, Optional<String> model, List<Incoming> files) {
        List<String> notes = new ArrayList<>();
        for (Incoming file : files) {
            if (file.size() > MAX_DOWNLOAD_BYTES) {
                metrics.error("attachment_too_large");
                return new Result.Refused("⚠️ " + file.filename() + " is over " + MAX_DOWNLOAD_BYTES / 1048576
                        + " MB, more than I download.");
            }
            byte[] bytes;
            try {
                bytes = download(file);
            } catch (IOException e) {
                metrics.error("attachment_download");
                return new Result.Refused("⚠️ I could not download " + file.filename() + " from Discord ("
                        + e.getMessage() + "). Please try again.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result.Refused("⚠️ I stopped before reading " + file.filename() + ".");
            }
            try {
                AttachmentResponse response = agent.attach(
                        conversationId,
                        AttachmentRequest.of(file.filename(), file.contentType(), bytes)
                                .forModel(model));
                if (!response.stored()) {
                    metrics.error("attachment_refused");
                    return new Result.Refused(response.message());
                }
                notes.add(response.message());
            } catch (UpstreamException.BadResponse e) {
                if (e.upstreamStatus() == 413 || e.upstreamStatus() == 400) {
                    // agent-service's own words name the limit or the kinds of file it reads
                    metrics.error("attachment_refused");
                    return new Result.Refused("⚠️ " + AgentClient.detail(e));
                }
                metrics.error(e.errorType());
                return new Result.Refused(ErrorText.of(e));
            } catch (UpstreamException e) {
                metrics.error(e.errorType());
                return new Result.Refused(ErrorText.of(e));
            }
        }
        return new Result.Taken(notes);
    }

    private byte[] download(Incoming file) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(file.url())
                        .timeout(DOWNLOAD_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the CDN answered " + response.statusCode());
            }
            byte[] bytes = body.readNBytes((int) MAX_DOWNLOAD_BYTES + 1);
            if (bytes.length > MAX_DOWNLOAD_BYTES) {
                throw new IOException("it is larger than Discord said");
            }
            log.debug("downloaded {} ({} bytes)", file.filename(), bytes.length);
            return bytes;
        }
    }
}
