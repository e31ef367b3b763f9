package dev.jerry.ingestion;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Text from outside (file names, exception messages) made safe to print on one line: a newline, a carriage return or a
 * bidirectional mark in a file name must not forge or reorder the lines the job prints.
 */
final class Printable {
    private Printable() {}

    /** Control, format (bidi, zero-width) and separator characters as {@code \\uXXXX}; backslashes doubled. */
    static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (type == Character.CONTROL
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE
                    || type == Character.UNASSIGNED && c > 0xFFFF) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * Why a file or folder could not be read, in words: the JDK's exceptions often carry only the path as message.
     */
    static String reason(IOException e) {
        String detail = e.getMessage() == null ? "" : e.getMessage();
        String what = switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "it disappeared while being read";
            case NotDirectoryException n -> "not a folder";
            case FileSystemLoopException l -> "symbolic link loop";
            default -> null;
        };
        if (what != null) {
            return what;
        }
        // a plain IOException's message is the operating system's reason ("Input/output error", "Is a directory")
        return detail.isBlank() ? "input/output error" : escape(detail);
    }
}
