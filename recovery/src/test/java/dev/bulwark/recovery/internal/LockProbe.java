package dev.bulwark.recovery.internal;

import dev.bulwark.recovery.JournalConfig;
import dev.bulwark.recovery.JournalException;
import java.nio.file.Path;

/** The child process of {@link JournalLockTest}: tries to open the journal and prints what happened. */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        JournalConfig config = JournalConfig.builder().withDirectory(Path.of(args[0])).build();
        try (FileJournal journal = FileJournal.open(config)) {
            System.out.println("OPENED " + journal.lastSequence());
        } catch (JournalException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
