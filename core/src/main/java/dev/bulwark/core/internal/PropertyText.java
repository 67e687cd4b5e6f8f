package dev.bulwark.core.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats property values as text: strict integers, decimals, booleans and durations.
 *
 * <p>Stateless and thread-safe. Every parse failure is an {@link IllegalArgumentException} whose
 * message says what was expected; the caller adds the property key and value.
 */
public final class PropertyText {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private PropertyText() {
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /** An integer in ASCII decimal digits, optionally signed (other scripts' digits are refused). */
    public static int parseInt(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("expected an integer in digits 0-9");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer");
        }
    }

    /** A finite decimal number such as {@code 0.2}. */
    public static double parseDouble(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a decimal number");
        }
        if (!Double.isFinite(value) || !text.matches("[+-]?[0-9.eE+-]+")) {
            throw new IllegalArgumentException("expected a finite decimal number");
        }
        return value;
    }

    /** Exactly {@code true} or {@code false}; anything else (yes, 1, TRUE) is refused. */
    public static boolean parseBoolean(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, {@code 0}, or ISO-8601 such as {@code PT2S}. */
    public static Duration parseDuration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 1m or PT2S");
            }
        }
        throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 1m or PT2S");
    }

    /** The shortest exact text among {@code h}, {@code m}, {@code s}, {@code ms}; ISO-8601 otherwise. */
    public static String formatDuration(Duration duration) {
        if (duration.isZero()) {
            return "0ms";
        }
        if (duration.getNano() % 1_000_000 != 0 || duration.isNegative()) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }

    /** A decimal without a needless trailing {@code .0}. */
    public static String formatDouble(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** The Levenshtein distance between two strings, ignoring case. */
    public static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
