package dev.bulwark.core.internal;

import static dev.bulwark.core.FaultKind.CONNECTION;
import static dev.bulwark.core.FaultKind.CONSTRAINT;
import static dev.bulwark.core.FaultKind.CORRUPTION;
import static dev.bulwark.core.FaultKind.PERMISSION;
import static dev.bulwark.core.FaultKind.PROGRAMMING;
import static dev.bulwark.core.FaultKind.RESOURCE;
import static dev.bulwark.core.FaultKind.STORAGE_FULL;
import static dev.bulwark.core.FaultKind.TIMEOUT;
import static dev.bulwark.core.FaultKind.TRANSIENT;
import static dev.bulwark.core.internal.Rule.vendorCode;

import dev.bulwark.core.Dialect;
import java.util.List;

/**
 * SQLite result codes as sqlite-jdbc reports them: SQLState {@code null}, and as vendor code the
 * primary result code ({@code SQLiteException} passes {@code resultCode.code & 0xff} to
 * {@code SQLException}, so an extended code such as SQLITE_BUSY_SNAPSHOT (517) arrives as SQLITE_BUSY
 * (5)). Rules are therefore on primary codes, which cover every extended code of their family.
 */
final class SqliteRules {

    static final RuleTable TABLE = new RuleTable(Dialect.SQLITE, List.of(
            vendorCode(5, TRANSIENT, "SQLITE_BUSY: another connection holds the lock; retry the unit"),
            vendorCode(6, TRANSIENT, "SQLITE_LOCKED: a conflicting lock in the same process (shared cache)"),
            vendorCode(15, TRANSIENT, "SQLITE_PROTOCOL: a race in the file locking protocol"),
            vendorCode(17, TRANSIENT, "SQLITE_SCHEMA: the schema changed; the statement is prepared again"),
            vendorCode(8, PERMISSION, "SQLITE_READONLY: the file or connection is read-only; a retry cannot help"),
            vendorCode(3, PERMISSION, "SQLITE_PERM: access permission denied by the file system or authorizer"),
            vendorCode(23, PERMISSION, "SQLITE_AUTH: the authorizer denied the statement"),
            vendorCode(11, CORRUPTION, "SQLITE_CORRUPT: the database file is malformed"),
            vendorCode(26, CORRUPTION, "SQLITE_NOTADB: the file is not a database (overwritten or encrypted)"),
            vendorCode(13, STORAGE_FULL, "SQLITE_FULL: the disk or max_page_count is full"),
            vendorCode(19, CONSTRAINT, "SQLITE_CONSTRAINT: unique, primary key, foreign key, not null or check"),
            vendorCode(10, CONNECTION, "SQLITE_IOERR: the file could not be read or written; reopen it"),
            vendorCode(14, CONNECTION, "SQLITE_CANTOPEN: the file cannot be opened"),
            vendorCode(7, RESOURCE, "SQLITE_NOMEM: out of memory"),
            vendorCode(9, TIMEOUT, "SQLITE_INTERRUPT: interrupted by setQueryTimeout or Statement.cancel"),
            vendorCode(1, PROGRAMMING, "SQLITE_ERROR: SQL error such as a syntax error or a missing table"),
            vendorCode(18, PROGRAMMING, "SQLITE_TOOBIG: a string or blob is too big"),
            vendorCode(20, PROGRAMMING, "SQLITE_MISMATCH: data type mismatch"),
            vendorCode(21, PROGRAMMING, "SQLITE_MISUSE: the library was used incorrectly"),
            vendorCode(25, PROGRAMMING, "SQLITE_RANGE: bind parameter index out of range")));

    private SqliteRules() {
    }
}
