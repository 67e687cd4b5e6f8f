package dev.bulwark.recovery.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's COPY text format, which Bulwark also writes for MariaDB: one row per line ending in
 * {@code \n}, fields separated by a tab, {@code \N} for NULL, and a backslash escaping backslash,
 * tab, newline and carriage return ({@code \\ \t \n \r}); {@code \b \f \v} are read as well.
 */
public final class CopyText {

    private CopyText() {
    }

    /** Writes one row; a {@code null} field is NULL. */
    public static void writeRow(Writer out, String[] fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write('\t');
            }
            String field = fields[i];
            if (field == null) {
                out.write("\\N");
                continue;
            }
            for (int j = 0; j < field.length(); j++) {
                char c = field.charAt(j);
                switch (c) {
                    case '\\' -> out.write("\\\\");
                    case '\t' -> out.write("\\t");
                    case '\n' -> out.write("\\n");
                    case '\r' -> out.write("\\r");
                    default -> out.write(c);
                }
            }
        }
        out.write('\n');
    }

    /**
     * Reads the next row, or {@code null} at the end of input.
     *
     * @throws IOException if the last line is not terminated or an escape is unknown
     */
    public static String[] readRow(Reader in) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean isNull = false;
        int c = in.read();
        if (c < 0) {
            return null;
        }
        while (true) {
            if (c < 0) {
                throw new IOException("COPY text: the last row is not terminated by a newline (truncated file?)");
            }
            if (c == '\n' || c == '\t') {
                fields.add(isNull ? null : field.toString());
                field.setLength(0);
                isNull = false;
                if (c == '\n') {
                    return fields.toArray(String[]::new);
                }
            } else if (c == '\\') {
                int e = in.read();
                switch (e) {
                    case '\\' -> field.append('\\');
                    case 't' -> field.append('\t');
                    case 'n' -> field.append('\n');
                    case 'r' -> field.append('\r');
                    case 'b' -> field.append('\b');
                    case 'f' -> field.append('\f');
                    case 'v' -> field.append('\u000b');
                    case 'N' -> isNull = true;
                    default -> throw new IOException("COPY text: unsupported escape \\" + (e < 0 ? "<end>" : (char) e));
                }
            } else {
                field.append((char) c);
            }
            c = in.read();
        }
    }
}
