package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.Durability;
import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalBacklog;
import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalException;
import dev.bulwark.recovery.JournalFullException;
import dev.bulwark.recovery.JournalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The file-based {@link Journal}: segment files in one locked directory, written under a lock, forced by group
 * commit outside it.
 *
 * <p>Thread-safe. Lock order: {@code checkpointLock} before {@code lock}; the {@link SegmentWriter}'s force runs
 * outside {@code lock}, so appends go on while the group-commit leader forces.
 */
public final class FileJournal implements Journal {

    private final JournalConfig config;
    private final JournalDirectory directory;
    private final CheckpointFile checkpointFile;
    private final List<TornTail> tornTails;
    private final GroupCommit groupCommit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object checkpointLock = new Object();
    private final CRC32C crc = new CRC32C();

    private final List<Segment> segments;
    private volatile List<Segment> published;
    private Segment active;
    private SegmentWriter writer;
    private long written;
    private long totalBytes;
    private long appends;
    private volatile long checkpointed;
    private long checkpointBytes;
    private volatile boolean closed;

    private FileJournal(JournalConfig config, JournalDirectory directory, CheckpointFile checkpointFile,
            JournalRecovery recovered) throws IOException {
        this.config = config;
        this.directory = directory;
        this.checkpointFile = checkpointFile;
        this.tornTails = recovered.tornTails();
        this.segments = new ArrayList<>(recovered.segments());
        this.published = List.copyOf(segments);
        this.active = segments.get(segments.size() - 1);
        this.written = recovered.nextSequence() - 1;
        this.totalBytes = recovered.totalBytes();
        this.groupCommit = new GroupCommit(written);
        this.checkpointed = recovered.checkpoint();
        this.checkpointBytes = positionOf(checkpointed + 1);
        this.writer = SegmentWriter.open(active.path(), recovered.activeEnd());
    }

    /**
     * Opens the journal described by {@code config}; see {@link Journal#open}.
     *
     * @throws IOException as described by {@link Journal#open}
     */
    public static FileJournal open(JournalConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        JournalDirectory directory = JournalDirectory.open(config.directory());
        FileJournal journal;
        try {
            CheckpointFile checkpointFile = new CheckpointFile(directory);
            JournalRecovery recovered = JournalRecovery.run(directory, checkpointFile);
            journal = new FileJournal(config, directory, checkpointFile, recovered);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        try {
            journal.deleteSegmentsThrough(journal.checkpointed); // a crash may have interrupted the last deletion
            return journal;
        } catch (IOException | RuntimeException e) {
            try {
                journal.close();
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    @Override
    public long append(byte[] payload) throws IOException {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > config.maxPayloadSize()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the largest the journal"
                    + " accepts, " + config.maxPayloadSize() + " bytes (bounded by segmentSize and maxSize)");
        }
        ByteBuffer frame = ByteBuffer.allocate(SegmentFormat.FRAME_HEADER_SIZE + payload.length);
        long sequence;
        lock.lock();
        try {
            checkOpen();
            groupCommit.checkHealthy();
            long backlogBytes = totalBytes - checkpointBytes;
            if (backlogBytes + frame.capacity() > config.maxSize()) {
                throw new JournalFullException(config.maxSize(), backlogBytes, frame.capacity());
            }
            if (writer.end() + frame.capacity() > config.segmentSize() && writer.end() > SegmentFormat.HEADER_SIZE) {
                roll();
            }
            sequence = written + 1;
            long offset;
            try {
                offset = writer.append(SegmentFormat.frame(frame, sequence, payload, crc));
            } catch (SegmentWriter.JournalWriteException e) {
                if (e.damaged()) {
                    groupCommit.fail(e); // a partial record stays in the file: no later record may follow it
                }
                throw e;
            }
            active.index().noteRecord(sequence, offset);
            totalBytes += frame.capacity();
            written = sequence;
            appends++;
        } finally {
            lock.unlock();
        }
        if (config.durability() == Durability.SYNC) {
            groupCommit.await(sequence, this::forceWritten);
        } else {
            groupCommit.markDurable(sequence);
        }
        return sequence;
    }

    @Override
    public JournalReader reader(long fromSequence) {
        checkOpen();
        long oldest = published.get(0).firstSequence();
        long last = lastSequence();
        if (fromSequence < Math.max(1, oldest) || fromSequence > last + 1) {
            throw new IllegalArgumentException("cannot read from sequence " + fromSequence + ": journal "
                    + directory.path() + " holds records " + oldest + " to " + last);
        }
        return new FileJournalReader(this, fromSequence);
    }

    @Override
    public void checkpoint(long appliedSequence) throws IOException {
        synchronized (checkpointLock) {
            checkOpen();
            long last = lastSequence();
            if (appliedSequence < checkpointed || appliedSequence > last) {
                throw new IllegalArgumentException("cannot checkpoint sequence " + appliedSequence + ": it must lie"
                        + " between the current checkpoint " + checkpointed + " and the last record " + last);
            }
            if (appliedSequence == checkpointed) {
                return;
            }
            long position = positionOf(appliedSequence + 1);
            checkpointFile.write(appliedSequence);
            lock.lock();
            try {
                checkpointed = appliedSequence;
                checkpointBytes = position;
            } finally {
                lock.unlock();
            }
            deleteSegmentsThrough(appliedSequence);
        }
    }

    @Override
    public long checkpointed() {
        return checkpointed;
    }

    @Override
    public long lastSequence() {
        return groupCommit.durable();
    }

    @Override
    public JournalBacklog backlog() {
        lock.lock();
        try {
            return new JournalBacklog(written - checkpointed, totalBytes - checkpointBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Returns counters since open (tests and diagnostics). */
    public JournalStats stats() {
        lock.lock();
        try {
            return new JournalStats(appends, groupCommit.forces());
        } finally {
            lock.unlock();
        }
    }

    /** Returns the torn tail cut off when this journal was opened, if any. */
    public List<TornTail> tornTails() {
        return tornTails;
    }

    @Override
    public void close() throws IOException {
        synchronized (checkpointLock) { // a checkpoint under way finishes before the directory lock is released
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    writer.close(config.durability() == Durability.SYNC);
                    groupCommit.markDurable(written);
                } catch (JournalException e) {
                    groupCommit.fail(e);
                    throw e;
                } finally {
                    directory.close();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "Journal[" + directory.path() + "]";
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + directory.path() + " is closed");
        }
    }

    /** Returns the segment holding {@code sequence}, or throws if a checkpoint deleted it. */
    Segment segmentFor(long sequence) throws JournalException {
        List<Segment> current = published;
        for (int i = current.size() - 1; i >= 0; i--) {
            if (current.get(i).firstSequence() <= sequence) {
                return current.get(i);
            }
        }
        throw new JournalException("record " + sequence + " is no longer in journal " + directory.path()
                + ": a checkpoint deleted it (the oldest record kept is " + current.get(0).firstSequence() + ")");
    }

    /** The group-commit leader's force: everything written so far, through the writer it was written with. */
    private long forceWritten() throws IOException {
        long target;
        SegmentWriter current;
        lock.lock();
        try {
            target = written;
            current = writer;
        } finally {
            lock.unlock();
        }
        current.force(); // a writer closed by a roll-over was forced before it was closed
        return target;
    }

    /** Starts a new segment; the old one is forced first, so that only the last segment can have a torn tail. */
    private void roll() throws IOException {
        try {
            writer.close(config.durability() == Durability.SYNC);
        } catch (JournalException e) {
            groupCommit.fail(e);
            throw e;
        }
        groupCommit.markDurable(written);
        Path path;
        try {
            path = JournalRecovery.createSegment(directory, written + 1);
        } catch (JournalException e) {
            writer = SegmentWriter.open(active.path(), writer.end()); // go on in the old segment
            throw e;
        }
        active = new Segment(path, written + 1, totalBytes);
        segments.add(active);
        published = List.copyOf(segments);
        writer = SegmentWriter.open(path, SegmentFormat.HEADER_SIZE);
    }

    /** Returns the record byte position where record {@code sequence} starts (or would start). */
    private long positionOf(long sequence) throws IOException {
        lock.lock();
        try {
            if (sequence > written) {
                return totalBytes;
            }
        } finally {
            lock.unlock();
        }
        Segment segment = segmentFor(sequence);
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            long offset = segment.offsetOf(sequence, new FrameReader(channel));
            return segment.bytesBefore() + offset - SegmentFormat.HEADER_SIZE;
        }
    }

    /** Deletes the segments, oldest first, that hold only records up to {@code sequence}; never the active one. */
    private void deleteSegmentsThrough(long sequence) throws IOException {
        List<Segment> doomed = new ArrayList<>();
        lock.lock();
        try {
            while (segments.size() > 1 && segments.get(1).firstSequence() - 1 <= sequence) {
                doomed.add(segments.remove(0));
            }
            published = List.copyOf(segments);
        } finally {
            lock.unlock();
        }
        for (Segment segment : doomed) {
            try {
                Files.deleteIfExists(segment.path());
            } catch (IOException e) {
                throw new JournalException("cannot delete checkpointed journal segment " + segment.path() + ": " + e,
                        e);
            }
        }
        if (!doomed.isEmpty()) {
            directory.force();
        }
    }
}
