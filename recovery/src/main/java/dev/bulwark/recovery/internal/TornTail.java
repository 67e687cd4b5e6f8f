package dev.bulwark.recovery.internal;

import java.nio.file.Path;

/**
 * A torn tail cut off the last segment when a journal was opened: bytes of a write a crash interrupted.
 *
 * @param segment the last segment file
 * @param offset  where the cut was made (the new file length)
 * @param bytes   how many bytes were cut off
 * @param reason  what was found at {@code offset}
 */
public record TornTail(Path segment, long offset, long bytes, String reason) {
}
