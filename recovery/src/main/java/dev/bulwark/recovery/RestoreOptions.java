package dev.bulwark.recovery;

/**
 * How {@link Backups#restore} treats the target database. Immutable and thread-safe.
 *
 * <pre>{@code
 * RestoreOptions.defaults().withReplaceNonEmptyTables(true)
 * }</pre>
 */
public final class RestoreOptions {

    private static final RestoreOptions DEFAULTS = new RestoreOptions(false);

    private final boolean replaceNonEmptyTables;

    private RestoreOptions(boolean replaceNonEmptyTables) {
        this.replaceNonEmptyTables = replaceNonEmptyTables;
    }

    /** Refuse to write into tables that already hold rows. */
    public static RestoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy that, when {@code replace} is true, deletes the rows of non-empty target tables (inside the
     * restore's transaction) instead of refusing.
     */
    public RestoreOptions withReplaceNonEmptyTables(boolean replace) {
        return new RestoreOptions(replace);
    }

    /** Whether non-empty target tables are emptied and restored rather than refused. */
    public boolean replaceNonEmptyTables() {
        return replaceNonEmptyTables;
    }

    @Override
    public String toString() {
        return "RestoreOptions[replaceNonEmptyTables=" + replaceNonEmptyTables + "]";
    }
}
