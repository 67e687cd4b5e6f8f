package dev.bulwark.core.internal;

import static dev.bulwark.core.FaultKind.AMBIGUOUS_COMMIT;
import static dev.bulwark.core.FaultKind.CONNECTION;
import static dev.bulwark.core.FaultKind.CORRUPTION;
import static dev.bulwark.core.FaultKind.PERMISSION;
import static dev.bulwark.core.FaultKind.PROGRAMMING;
import static dev.bulwark.core.FaultKind.READ_ONLY;
import static dev.bulwark.core.FaultKind.RESOURCE;
import static dev.bulwark.core.FaultKind.STORAGE_FULL;
import static dev.bulwark.core.FaultKind.TIMEOUT;
import static dev.bulwark.core.FaultKind.TRANSIENT;
import static dev.bulwark.core.internal.Rule.sqlState;
import static dev.bulwark.core.internal.Rule.sqlStateClass;

import dev.bulwark.core.Dialect;
import java.util.List;

/**
 * PostgreSQL's SQLStates (errcodes.txt), also spoken by CockroachDB and YugabyteDB. pgjdbc reports no
 * vendor codes, so every rule is on SQLState; anything not listed falls back to {@link GenericRules}.
 */
final class PostgresRules {

    static final RuleTable TABLE = new RuleTable(Dialect.POSTGRESQL, List.of(
            sqlState("40001", TRANSIENT, "serialization failure: the server rolled the transaction back"),
            sqlState("40P01", TRANSIENT, "deadlock detected: the server rolled this transaction back to break it"),
            sqlState("55P03", TRANSIENT, "lock not available (lock_timeout or NOWAIT): the lock holder will finish"),
            sqlState("55006", TRANSIENT, "object in use by another session, which will release it"),
            sqlState("72000", TRANSIENT, "snapshot too old: a new transaction gets a new snapshot"),
            sqlState("57014", TIMEOUT, "query canceled: statement_timeout, setQueryTimeout or Statement.cancel"),
            sqlState("57P01", CONNECTION, "admin shutdown: the server is stopping or the session was terminated"),
            sqlState("57P02", CONNECTION, "crash shutdown: the server is restarting after a crash"),
            sqlState("57P03", CONNECTION, "cannot connect now: the server is starting up or in recovery"),
            sqlState("57P05", CONNECTION, "idle session timeout: the server closed the session"),
            sqlState("25P03", CONNECTION, "idle-in-transaction timeout: the server closed the session"),
            sqlState("08007", AMBIGUOUS_COMMIT, "transaction resolution unknown: the commit may or may not have landed"),
            sqlState("40003", AMBIGUOUS_COMMIT, "statement completion unknown (CockroachDB ambiguous result)"),
            sqlStateClass("08", CONNECTION, "connection exception: the session is gone or was never made"),
            sqlState("25006", READ_ONLY, "read-only transaction: a standby, or a primary demoted by failover"),
            sqlState("25P02", PROGRAMMING, "in failed transaction: an earlier error was ignored; that one matters"),
            sqlState("53100", STORAGE_FULL, "disk full on the server"),
            sqlState("53200", RESOURCE, "out of memory on the server"),
            sqlState("53300", RESOURCE, "too many connections (server or role limit)"),
            sqlState("53400", RESOURCE, "configuration limit exceeded"),
            sqlStateClass("53", RESOURCE, "insufficient resources on the server"),
            sqlStateClass("54", PROGRAMMING, "program limit exceeded: the statement is too complex or too large"),
            sqlState("42501", PERMISSION, "insufficient privilege"),
            sqlStateClass("0L", PERMISSION, "invalid grantor"),
            sqlState("0LP01", PERMISSION, "invalid grant operation"),
            sqlState("XX001", CORRUPTION, "data corrupted: a damaged page or tuple"),
            sqlState("XX002", CORRUPTION, "index corrupted"),
            sqlState("58030", CONNECTION, "I/O error on the server: the session may be unusable")));

    private PostgresRules() {
    }
}
