package dev.bulwark.cli.internal;

import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalBacklog;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark journal inspect <dir>}: sequence range, checkpoint, backlog, the oldest buffered write's
 * age, segment files and dead letters of a journal. Payload bytes (which hold bind values) are shown only
 * with {@code --show-payloads}.
 *
 * <p>Opening the journal takes its lock (so this fails while the application has it open) and, like any
 * open, cuts off a torn tail left by a crash. Exit codes: 0 shown, 1 the journal is corrupted or locked,
 * 2 bad arguments. Not thread-safe.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a journal's sequence range, checkpoint, backlog and segments (no payloads unless asked).")
final class JournalInspectCommand implements Callable<Integer> {

    private static final int STORE_AND_FORWARD_MAGIC = 0x42575346; // "BWSF"
    private static final int HEX_ROW = 16;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<journal-dir>", description = "The journal directory.")
    private Path directory;

    @Option(names = "--show-payloads", description = "Also dump the payload of each record not yet applied (may show bind values).")
    private boolean showPayloads;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "<n>",
            description = "With --show-payloads: at most this many records (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Override
    public Integer call() throws IOException {
        Path dir = JournalCommand.checkDirectory(spec.commandLine(), directory);
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Path> segments = segments(dir);
        try (Journal journal = Journal.open(JournalConfig.builder().withDirectory(dir).build())) {
            long first = firstSequence(segments.get(0));
            long last = journal.lastSequence();
            JournalBacklog backlog = journal.backlog();
            out.println("bulwark journal inspect: " + dir);
            line(out, "records", last == 0 || first > last ? "none kept (next sequence " + (last + 1) + ")"
                    : "sequence " + first + " to " + last + " kept");
            line(out, "checkpoint", journal.checkpointed() == 0 ? "0 (nothing applied yet)"
                    : journal.checkpointed() + " (applied up to here)");
            line(out, "backlog", String.format("%,d record(s), %,d bytes not yet applied", backlog.records(), backlog.bytes()));
            if (backlog.records() > 0) {
                line(out, "oldest", oldest(journal));
            }
            line(out, "segments", segments.size() + " file(s)");
            for (Path s : segments) {
                out.printf("    %s  %,d bytes%n", s.getFileName(), Files.size(s));
            }
            Path deadLetters = dir.resolveSibling(dir.getFileName() + "-dead-letter");
            line(out, "dead letters", deadLetterCount(deadLetters));
            if (showPayloads) {
                dumpPayloads(out, journal);
            }
            out.flush();
        }
        return 0;
    }

    private static String oldest(Journal journal) throws IOException {
        try (JournalReader reader = journal.reader(journal.checkpointed() + 1)) {
            Optional<JournalRecord> next = reader.next();
            if (next.isEmpty()) {
                return "(none readable)";
            }
            JournalRecord r = next.get();
            ByteBuffer b = ByteBuffer.wrap(r.payload());
            if (r.size() >= 14 && b.getInt(0) == STORE_AND_FORWARD_MAGIC) {
                Instant at = Instant.ofEpochMilli(b.getLong(6));
                Duration age = Duration.between(at, Instant.now());
                return "sequence " + r.sequence() + ", buffered at " + at + " (" + age.toSeconds() + " s ago)";
            }
            return "sequence " + r.sequence() + " (not a store-and-forward record: no timestamp)";
        }
    }

    private void dumpPayloads(PrintWriter out, Journal journal) throws IOException {
        out.println();
        out.println("payloads of records not yet applied (may contain bind values):");
        try (JournalReader reader = journal.reader(journal.checkpointed() + 1)) {
            int shown = 0;
            for (Optional<JournalRecord> next = reader.next(); next.isPresent(); next = reader.next()) {
                if (shown++ == limit) {
                    out.println("  ... (more; raise --limit)");
                    return;
                }
                JournalRecord r = next.get();
                out.printf("  #%d  %,d bytes%n", r.sequence(), r.size());
                hexDump(out, r.payload());
            }
        }
    }

    private static void hexDump(PrintWriter out, byte[] bytes) {
        for (int offset = 0; offset < bytes.length; offset += HEX_ROW) {
            StringBuilder hex = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = offset; i < Math.min(offset + HEX_ROW, bytes.length); i++) {
                hex.append(String.format("%02x ", bytes[i] & 0xff));
                char c = (char) (bytes[i] & 0xff);
                text.append(c >= 0x20 && c < 0x7f ? c : '.');
            }
            out.printf("    %06x  %-48s %s%n", offset, hex, text);
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("segment-\\d{20}\\.log")).sorted().toList();
        }
    }

    private static long firstSequence(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring("segment-".length(), name.length() - ".log".length()));
    }

    private static String deadLetterCount(Path deadLetters) throws IOException {
        if (!Files.isDirectory(deadLetters)) {
            return "0 (no " + deadLetters + ")";
        }
        try (Stream<Path> files = Files.list(deadLetters)) {
            long count = files.filter(f -> f.getFileName().toString().endsWith(".write")).count();
            return count + " in " + deadLetters + (count > 0 ? " (see each <sequence>.reason.txt)" : "");
        }
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-13s %s%n", label, value);
    }
}
