package dev.bulwark.recovery;

/**
 * How {@link Backups#restore} treats the target database. Immutable and thread-safe.
 *
 * <pre>{@code
 * RestoreOptions.defaults().withReplaceNonEmptyTables(true)
 * }</pre>
 */
public final class RestoreOptions {

    private static final RestoreOptions DEFAULTS = new RestoreOptions(false, false, null);

    private final boolean replaceNonEmptyTables;
    private final boolean cascadeOutsideBackup;
    private final ManifestKey manifestKey;

    private RestoreOptions(boolean replaceNonEmptyTables, boolean cascadeOutsideBackup, ManifestKey manifestKey) {
        this.replaceNonEmptyTables = replaceNonEmptyTables;
        this.cascadeOutsideBackup = cascadeOutsideBackup;
        this.manifestKey = manifestKey;
    }

    /** Refuse to write into tables that already hold rows. */
    public static RestoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy that, when {@code replace} is true, deletes the rows of non-empty target tables (inside the
     * restore's transaction) instead of refusing. A table outside the backup that references one of them
     * makes the restore refuse, naming it, unless {@link #withCascadeOutsideBackup(boolean)} allows it.
     */
    public RestoreOptions withReplaceNonEmptyTables(boolean replace) {
        return new RestoreOptions(replace, cascadeOutsideBackup, manifestKey);
    }

    /**
     * A copy that, when {@code cascade} is true, lets a replacing restore delete rows although the delete
     * reaches tables outside the backup: through their foreign keys' ON DELETE rules (CASCADE deletes their
     * rows, SET NULL clears them, NO ACTION fails the restore; also from other schemas or databases), through
     * PostgreSQL tables inheriting from a replaced table (their rows are deleted), or through delete triggers
     * on a replaced table (they run, and may change any table). Without it such a restore is refused, naming
     * the tables and triggers. CLI: {@code --cascade-outside-backup}.
     */
    public RestoreOptions withCascadeOutsideBackup(boolean cascade) {
        return new RestoreOptions(replaceNonEmptyTables, cascade, manifestKey);
    }

    /**
     * A copy that requires the backup's manifest to be authenticated by {@code key} ({@code manifest.hmac},
     * written by a backup made with {@link BackupOptions.Builder#withManifestKey}); a missing or wrong HMAC
     * is refused before anything is written.
     */
    public RestoreOptions withManifestKey(ManifestKey key) {
        return new RestoreOptions(replaceNonEmptyTables, cascadeOutsideBackup, java.util.Objects.requireNonNull(key, "key"));
    }

    /** The key the manifest must be authenticated with, or null when only its SHA-256 is checked. */
    public ManifestKey manifestKey() {
        return manifestKey;
    }

    /** Whether non-empty target tables are emptied and restored rather than refused. */
    public boolean replaceNonEmptyTables() {
        return replaceNonEmptyTables;
    }

    /** Whether replacing may reach tables outside the backup (ON DELETE rules, inheriting tables, delete triggers). */
    public boolean cascadeOutsideBackup() {
        return cascadeOutsideBackup;
    }

    @Override
    public String toString() {
        return "RestoreOptions[replaceNonEmptyTables=" + replaceNonEmptyTables + ", cascadeOutsideBackup="
                + cascadeOutsideBackup + ", manifestKey=" + (manifestKey == null ? "none" : manifestKey) + "]";
    }
}
