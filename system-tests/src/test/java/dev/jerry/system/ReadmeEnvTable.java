package dev.jerry.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's table of environment variables (section "Configuration"): name to its row. */
final class ReadmeEnvTable {
    private static final Pattern NAME = Pattern.compile("JERRY_[A-Z0-9_]*[A-Z0-9]");

    /** @param secret marked "(secret)" in the table: it may come from {@code <NAME>_FILE} */
    record Row(String name, boolean secret, String defaultValue, String usedBy, String meaning) {}

    private ReadmeEnvTable() {}

    static Map<String, Row> load() {
        return parse(Repo.read("README.md"));
    }

    static Map<String, Row> parse(String readme) {
        int start = readme.indexOf("\n## Configuration");
        if (start < 0) {
            throw new AssertionError("README.md has no '## Configuration' section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = end < 0 ? readme.substring(start) : readme.substring(start, end);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `JERRY_")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 6) {
                throw new AssertionError("README env table row without four cells: " + line);
            }
            // a row may name several variables: `JERRY_DATABASE_USER` / `JERRY_DATABASE_PASSWORD` (secret)
            Matcher names = NAME.matcher(cells[1]);
            while (names.find()) {
                // "(secret)" belongs to the name it follows, before the next name
                int next = cells[1].indexOf("JERRY_", names.end());
                String after = cells[1].substring(names.end(), next < 0 ? cells[1].length() : next);
                rows.put(
                        names.group(),
                        new Row(
                                names.group(),
                                after.contains("(secret)"),
                                cells[2].trim(),
                                cells[3].trim(),
                                cells[4].trim()));
            }
        }
        return rows;
    }
}
