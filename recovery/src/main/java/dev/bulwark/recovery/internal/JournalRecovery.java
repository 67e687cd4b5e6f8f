package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalCorruptedException;
import dev.bulwark.recovery.JournalException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a journal directory to a consistent state on open: reads the checkpoint, checks every segment, then
 * (only when everything else is sound) cuts the torn tail off the last segment.
 *
 * <p>Not thread-safe: runs once, under the directory lock, before the journal is shared.
 *
 * @param checkpoint   the checkpointed sequence number
 * @param segments     the segments, oldest first, with their indexes filled
 * @param nextSequence the sequence number the next append gets
 * @param totalBytes   the record bytes of all segments (the first starts at 0)
 * @param activeEnd    the length of the last segment after the cut
 * @param tornTails    the torn tail cut off, if any
 */
record JournalRecovery(long checkpoint, List<Segment> segments, long nextSequence, long totalBytes, long activeEnd,
        List<TornTail> tornTails) {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    static JournalRecovery run(JournalDirectory directory, CheckpointFile checkpointFile) throws IOException {
        long checkpoint = checkpointFile.read();
        List<Path> files = directory.segmentFiles();
        if (files.isEmpty() && checkpoint > 0) {
            throw new JournalCorruptedException(checkpointFile.path(), 0, "there is a checkpoint at " + checkpoint
                    + " but no segment file; the journal never deletes its last segment, so records may be missing");
        }
        if (files.isEmpty()) {
            files = List.of(createSegment(directory, 1));
        }
        long expected = SegmentFormat.firstSequenceOf(files.get(0)).getAsLong();
        if (expected > checkpoint + 1) {
            throw new JournalCorruptedException(files.get(0), 0, "the oldest segment starts at sequence " + expected
                    + " but the checkpoint is at " + checkpoint + ": records " + (checkpoint + 1) + " to "
                    + (expected - 1) + " are missing");
        }
        List<SegmentScan> scans = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long first = SegmentFormat.firstSequenceOf(file).getAsLong();
            if (first != expected) {
                SegmentScan previous = scans.get(scans.size() - 1);
                throw new JournalCorruptedException(previous.segment().path(), previous.validEnd(), "segment ends"
                        + " with sequence " + (expected - 1) + " but the next segment " + file + " starts at sequence "
                        + first + " (records " + expected + " to " + (first - 1) + " are missing)");
            }
            SegmentScan scan = SegmentScan.of(new Segment(file, first, bytes), i == files.size() - 1);
            scans.add(scan);
            expected = scan.nextSequence();
            bytes += scan.recordBytes();
        }
        if (checkpoint > expected - 1) {
            throw new JournalCorruptedException(checkpointFile.path(), 8, "checkpoint " + checkpoint
                    + " is beyond the last record " + (expected - 1));
        }
        SegmentScan last = scans.get(scans.size() - 1);
        List<TornTail> torn = new ArrayList<>();
        long activeEnd = last.validEnd();
        if (last.tornTail() != null) {
            torn.add(last.tornTail());
            activeEnd = cut(last.tornTail(), last.segment().firstSequence());
        }
        return new JournalRecovery(checkpoint, scans.stream().map(SegmentScan::segment).toList(), expected, bytes,
                activeEnd, List.copyOf(torn));
    }

    /** Creates a segment file holding only its header, durably. */
    static Path createSegment(JournalDirectory directory, long firstSequence) throws IOException {
        Path path = directory.path().resolve(SegmentFormat.fileName(firstSequence));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(SegmentFormat.header(firstSequence));
            channel.force(true);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(path); // so that a later roll-over can create it again
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new JournalException("cannot create journal segment " + path + ": " + e, e);
        }
        directory.force();
        return path;
    }

    private static long cut(TornTail tail, long firstSequence) throws IOException {
        try (FileChannel channel = FileChannel.open(tail.segment(), StandardOpenOption.WRITE)) {
            channel.truncate(tail.offset());
            if (tail.offset() == 0) {
                channel.write(SegmentFormat.header(firstSequence), 0);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new JournalException("cannot cut the torn tail off journal segment " + tail.segment() + ": " + e, e);
        }
        LOG.warn("journal segment {}: cut off a torn tail of {} bytes at offset {} ({}), the unfinished write of a"
                + " crash", tail.segment(), tail.bytes(), tail.offset(), tail.reason());
        return Math.max(tail.offset(), SegmentFormat.HEADER_SIZE);
    }
}
