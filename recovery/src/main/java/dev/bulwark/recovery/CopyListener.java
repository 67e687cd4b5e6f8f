package dev.bulwark.recovery;

/**
 * Receives {@link CopyProgress} events of a {@link TableCopy}, on the copying thread; keep it quick.
 * An exception thrown by the listener is logged and does not stop the copy.
 */
@FunctionalInterface
public interface CopyListener {

    /** Called after each chunk and each finished table. */
    void onProgress(CopyProgress progress);
}
