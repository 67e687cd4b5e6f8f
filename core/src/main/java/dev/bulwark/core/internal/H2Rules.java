package dev.bulwark.core.internal;

import static dev.bulwark.core.FaultKind.CONNECTION;
import static dev.bulwark.core.FaultKind.CORRUPTION;
import static dev.bulwark.core.FaultKind.PERMISSION;
import static dev.bulwark.core.FaultKind.RESOURCE;
import static dev.bulwark.core.FaultKind.TIMEOUT;
import static dev.bulwark.core.FaultKind.TRANSIENT;
import static dev.bulwark.core.internal.Rule.vendorCode;

import dev.bulwark.core.Dialect;
import java.util.List;

/**
 * H2's error codes ({@code org.h2.api.ErrorCode}); its SQLStates are mostly the standard ones, which
 * {@link GenericRules} covers, so only H2's own codes are listed.
 */
final class H2Rules {

    static final RuleTable TABLE = new RuleTable(Dialect.H2, List.of(
            vendorCode(50200, TRANSIENT, "LOCK_TIMEOUT_1: a row or table lock was not granted in time"),
            vendorCode(40001, TRANSIENT, "DEADLOCK_1: H2 rolled the transaction back to break a deadlock"),
            vendorCode(90131, TRANSIENT, "CONCURRENT_UPDATE_1: another transaction changed the row"),
            vendorCode(90143, TRANSIENT, "ROW_NOT_FOUND_IN_PRIMARY_INDEX: a concurrent change removed the row"),
            vendorCode(90020, TRANSIENT, "DATABASE_ALREADY_OPEN_1: another process holds the file; it may close it"),
            vendorCode(57014, TIMEOUT, "STATEMENT_WAS_CANCELED: setQueryTimeout or Statement.cancel"),
            vendorCode(90067, CONNECTION, "CONNECTION_BROKEN_1: the connection to the server is broken"),
            vendorCode(90098, CONNECTION, "DATABASE_IS_CLOSED: the database was closed"),
            vendorCode(90121, CONNECTION, "DATABASE_CALLED_AT_SHUTDOWN: the database is shutting down"),
            vendorCode(90028, CONNECTION, "IO_EXCEPTION_1: the database file could not be read or written"),
            vendorCode(90031, CONNECTION, "IO_EXCEPTION_2: the database file could not be read or written"),
            vendorCode(90097, PERMISSION, "DATABASE_IS_READ_ONLY: the file was opened read-only; a retry cannot help"),
            vendorCode(90096, PERMISSION, "NOT_ENOUGH_RIGHTS_FOR_1"),
            vendorCode(90040, PERMISSION, "ADMIN_RIGHTS_REQUIRED"),
            vendorCode(90108, RESOURCE, "OUT_OF_MEMORY"),
            vendorCode(90030, CORRUPTION, "FILE_CORRUPTED_1: the database file is corrupted")));

    private H2Rules() {
    }
}
