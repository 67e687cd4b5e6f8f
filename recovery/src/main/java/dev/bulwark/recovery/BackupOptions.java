package dev.bulwark.recovery;

import dev.bulwark.recovery.internal.SqlDialect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Backups#create} backs up. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <pre>{@code
 * BackupOptions options = BackupOptions.builder().withTables("account", "transfer").build();
 * }</pre>
 */
public final class BackupOptions {

    private static final BackupOptions DEFAULTS = builder().build();

    private final List<String> tables;
    private final ManifestKey manifestKey;

    private BackupOptions(Builder builder) {
        this.tables = List.copyOf(builder.tables);
        this.manifestKey = builder.manifestKey;
    }

    /** All base tables of the current schema (PostgreSQL), database (MariaDB) or main database (SQLite). */
    public static BackupOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The tables to back up, exact names; empty means all base tables. */
    public List<String> tables() {
        return tables;
    }

    /** The key that authenticates the manifest ({@code manifest.hmac}), or null for none. */
    public ManifestKey manifestKey() {
        return manifestKey;
    }

    @Override
    public String toString() {
        return "BackupOptions[tables=" + (tables.isEmpty() ? "all" : tables) + ", manifestKey="
                + (manifestKey == null ? "none" : manifestKey) + "]";
    }

    /** Builds {@link BackupOptions}; each method checks its input at once. Not thread-safe. */
    public static final class Builder {

        private final List<String> tables = new ArrayList<>();
        private ManifestKey manifestKey;

        private Builder() {
        }

        /**
         * Authenticates the manifest with this key: the backup gets a {@code manifest.hmac}, which
         * {@link Backups#verify(java.nio.file.Path, ManifestKey)} and a restore with the same key check.
         */
        public Builder withManifestKey(ManifestKey key) {
            this.manifestKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Backs up only these tables (exact, case-sensitive names of the current schema).
         *
         * @throws IllegalArgumentException for an empty, overlong or control-character name, or a duplicate
         */
        public Builder withTables(String... names) {
            Objects.requireNonNull(names, "names");
            List<String> checked = new ArrayList<>();
            for (String name : names) {
                try {
                    checked.add(SqlDialect.validate("BackupOptions.tables", name));
                } catch (RecoveryException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
            if (new LinkedHashSet<>(checked).size() != checked.size()) {
                throw new IllegalArgumentException("BackupOptions.tables: a table is named twice");
            }
            tables.clear();
            tables.addAll(checked);
            return this;
        }

        /** The options. */
        public BackupOptions build() {
            return new BackupOptions(this);
        }
    }
}
