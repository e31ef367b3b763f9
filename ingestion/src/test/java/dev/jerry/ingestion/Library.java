package dev.jerry.ingestion;

import dev.jerry.testing.TestPdfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test documents with known facts on known pages, among filler that looks like a real manual. */
final class Library {
    static final String COOLING =
            "The reactor core is cooled by heavy water pumped at 40 bar through the primary loop.";
    static final String SHUTDOWN =
            "To perform an emergency shutdown, turn the red key clockwise and hold it for five seconds.";
    static final String FUSES = "Spare fuses for the control panel are stored in cabinet B7 in the basement.";
    static final String TOMATOES = "Tomatoes need at least six hours of direct sun every day to ripen well.";

    private static final List<String> FILLER = List.of(
            "Operators must sign the logbook at the start and the end of every shift.",
            "The visitor center is open on weekdays from nine in the morning until five in the afternoon.",
            "All staff complete a refresher course on workplace safety once a year.",
            "The cafeteria serves lunch between noon and two o'clock.",
            "Parking permits are issued by the front office on the ground floor.",
            "Quarterly reports summarize output, incidents and maintenance work.",
            "The library keeps printed copies of every procedure for reference.",
            "New employees are assigned a mentor for their first three months.",
            "Fire drills take place twice a year without prior announcement.",
            "The internal newsletter is published on the first Monday of each month.");

    private Library() {}

    static String filler(long seed, int sentences) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            text.append(FILLER.get(random.nextInt(FILLER.size()))).append(' ');
        }
        return text.toString();
    }

    /** reactor-manual.pdf (4 pages), notes/garden.md, recipes.txt. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("notes"));
        TestPdfs.write(
                dir.resolve("reactor-manual.pdf"),
                "Reactor Operations Manual",
                List.of(
                        "Welcome to the plant. " + filler(1, 12),
                        filler(2, 6) + COOLING + " " + filler(3, 6),
                        filler(4, 5) + SHUTDOWN + " " + filler(5, 7),
                        filler(6, 8) + FUSES + " " + filler(7, 4)));
        Files.writeString(
                dir.resolve("notes/garden.md"),
                "# Garden notes\n\n" + TOMATOES + " "
                        + "Water the beds in the evening. Compost is turned every two weeks.\n");
        Files.writeString(
                dir.resolve("recipes.txt"),
                "Bread dough rises for two hours at room temperature. " + "Bake at 220 degrees for thirty minutes.\n");
        return dir;
    }

    /** {@code files} PDFs of {@code pages} filler pages each, for runs long enough to interrupt. */
    static Path bulk(Path dir, int files, int pages) throws IOException {
        Files.createDirectories(dir);
        for (int f = 0; f < files; f++) {
            List<String> content = new ArrayList<>();
            for (int p = 0; p < pages; p++) {
                content.add("Document " + f + " page " + p + ". " + filler(f * 100L + p, 30));
            }
            TestPdfs.write(dir.resolve("doc-" + f + ".pdf"), "Bulk " + f, content);
        }
        return dir;
    }
}
