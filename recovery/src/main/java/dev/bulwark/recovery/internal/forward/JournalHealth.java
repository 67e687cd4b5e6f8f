package dev.bulwark.recovery.internal.forward;

import dev.bulwark.jdbc.Health;
import dev.bulwark.recovery.Journal;
import dev.bulwark.recovery.JournalBacklog;
import dev.bulwark.recovery.JournalReader;
import dev.bulwark.recovery.JournalRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The {@code journal} health component: backlog, the oldest buffered write's age, replay running or not. */
public final class JournalHealth {

    private JournalHealth() {
    }

    /** The component; never throws (an unreadable journal is DOWN with the reason). */
    public static Health.Component of(Journal journal, boolean replaying, Clock clock) {
        Map<String, Object> details = new LinkedHashMap<>();
        JournalBacklog backlog;
        try {
            backlog = journal.backlog();
        } catch (RuntimeException e) {
            return new Health.Component(Health.Status.DOWN, Map.of("error", String.valueOf(e.getMessage())));
        }
        details.put("backlogRecords", backlog.records());
        details.put("backlogBytes", backlog.bytes());
        details.put("checkpointed", journal.checkpointed());
        details.put("lastSequence", journal.lastSequence());
        details.put("replaying", replaying);
        if (backlog.records() == 0) {
            return new Health.Component(Health.Status.UP, details);
        }
        try (JournalReader reader = journal.reader(journal.checkpointed() + 1)) {
            Optional<JournalRecord> oldest = reader.next();
            if (oldest.isPresent()) {
                BufferedWrite write = WriteFormat.decode(oldest.get().sequence(), oldest.get().payload());
                details.put("oldestAgeMs", Duration.between(write.bufferedAt(), clock.instant()).toMillis());
            }
        } catch (IOException | RuntimeException e) {
            // the record was checkpointed meanwhile, or cannot be read (replay reports that); the age stays out
            details.put("oldestAge", "unknown: " + e.getMessage());
        }
        return new Health.Component(Health.Status.DEGRADED, details);
    }
}
