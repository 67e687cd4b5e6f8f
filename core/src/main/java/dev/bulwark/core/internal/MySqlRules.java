package dev.bulwark.core.internal;

import static dev.bulwark.core.FaultKind.CONNECTION;
import static dev.bulwark.core.FaultKind.CONSTRAINT;
import static dev.bulwark.core.FaultKind.CORRUPTION;
import static dev.bulwark.core.FaultKind.PERMISSION;
import static dev.bulwark.core.FaultKind.PROGRAMMING;
import static dev.bulwark.core.FaultKind.READ_ONLY;
import static dev.bulwark.core.FaultKind.RESOURCE;
import static dev.bulwark.core.FaultKind.STORAGE_FULL;
import static dev.bulwark.core.FaultKind.TIMEOUT;
import static dev.bulwark.core.FaultKind.TRANSIENT;
import static dev.bulwark.core.internal.Rule.sqlState;
import static dev.bulwark.core.internal.Rule.vendorCode;

import dev.bulwark.core.Dialect;
import java.util.List;

/**
 * MySQL and MariaDB server error codes (1xxx-4xxx), client error codes (2xxx) and storage-engine codes
 * (1xx). Many of these errors carry the catch-all SQLState {@code HY000}, so the vendor code decides
 * first; anything not listed falls back to the SQLState rules of {@link GenericRules}.
 */
final class MySqlRules {

    static final RuleTable TABLE = new RuleTable(Dialect.MYSQL, List.of(
            vendorCode(1213, TRANSIENT, "deadlock: InnoDB rolled the whole transaction back"),
            vendorCode(1205, TRANSIENT, "lock wait timeout: only the statement was rolled back; the holder will finish"),
            vendorCode(1020, TRANSIENT, "record changed since last read (MariaDB snapshot isolation): retry the unit"),
            vendorCode(3572, TRANSIENT, "lock not available with NOWAIT (MySQL 8)"),
            vendorCode(1615, TRANSIENT, "prepared statement needs to be re-prepared after a schema change"),
            vendorCode(1290, READ_ONLY, "--read-only or --super-read-only: a replica, or a demoted primary"),
            vendorCode(1792, READ_ONLY, "write in a READ ONLY transaction (SQLState 25006)"),
            vendorCode(1836, READ_ONLY, "the server runs in read-only mode"),
            vendorCode(1040, RESOURCE, "too many connections"),
            vendorCode(1203, RESOURCE, "the user has more than max_user_connections"),
            vendorCode(1226, RESOURCE, "a per-user resource limit was exceeded"),
            vendorCode(1041, RESOURCE, "the server is out of memory or file handles"),
            vendorCode(1037, RESOURCE, "the server is out of memory"),
            vendorCode(1038, RESOURCE, "the server is out of sort memory"),
            vendorCode(1135, RESOURCE, "the server cannot create a new thread"),
            vendorCode(1021, STORAGE_FULL, "disk full on the server"),
            vendorCode(1114, STORAGE_FULL, "the table is full"),
            vendorCode(3024, TIMEOUT, "max_execution_time exceeded (MySQL)"),
            vendorCode(1969, TIMEOUT, "max_statement_time exceeded (MariaDB; also setQueryTimeout)"),
            vendorCode(1317, TIMEOUT, "query interrupted by KILL QUERY or a cancel"),
            sqlState("70100", TIMEOUT, "query interrupted (SQLState 70100)"),
            vendorCode(1062, CONSTRAINT, "duplicate key"),
            vendorCode(1586, CONSTRAINT, "duplicate key"),
            vendorCode(1451, CONSTRAINT, "foreign key: a child row references this row"),
            vendorCode(1452, CONSTRAINT, "foreign key: the parent row does not exist"),
            vendorCode(1216, CONSTRAINT, "foreign key: the parent row does not exist"),
            vendorCode(1217, CONSTRAINT, "foreign key: a child row references this row"),
            vendorCode(1048, CONSTRAINT, "NOT NULL column set to NULL"),
            vendorCode(1364, CONSTRAINT, "NOT NULL column without default left out"),
            vendorCode(3819, CONSTRAINT, "CHECK constraint violated (MySQL)"),
            vendorCode(4025, CONSTRAINT, "CHECK constraint violated (MariaDB)"),
            vendorCode(1045, PERMISSION, "access denied: wrong user or password"),
            vendorCode(1698, PERMISSION, "access denied: this user may not log in without a password"),
            vendorCode(1044, PERMISSION, "access denied to the database"),
            vendorCode(1142, PERMISSION, "command denied on the table"),
            vendorCode(1143, PERMISSION, "command denied on the column"),
            vendorCode(1227, PERMISSION, "a privilege such as SUPER is needed"),
            vendorCode(1130, PERMISSION, "this host may not connect"),
            vendorCode(1129, PERMISSION, "this host is blocked after too many connection errors"),
            vendorCode(1064, PROGRAMMING, "syntax error"),
            vendorCode(1146, PROGRAMMING, "the table does not exist"),
            vendorCode(1054, PROGRAMMING, "unknown column"),
            vendorCode(1049, PROGRAMMING, "unknown database"),
            vendorCode(1153, PROGRAMMING, "packet larger than max_allowed_packet: the statement or value is too big"),
            vendorCode(2002, CONNECTION, "cannot connect through the socket (client error)"),
            vendorCode(2003, CONNECTION, "cannot connect to the server (client error)"),
            vendorCode(2006, CONNECTION, "server has gone away (client error)"),
            vendorCode(2013, CONNECTION, "lost connection during a query (client error)"),
            vendorCode(2055, CONNECTION, "lost connection with a system error (client error)"),
            vendorCode(1927, CONNECTION, "connection killed (MariaDB)"),
            vendorCode(1053, CONNECTION, "server shutdown in progress"),
            vendorCode(1152, CONNECTION, "connection aborted by the server"),
            vendorCode(1158, CONNECTION, "network read error"),
            vendorCode(1159, CONNECTION, "network read timeout"),
            vendorCode(1160, CONNECTION, "network write error"),
            vendorCode(1161, CONNECTION, "network write timeout"),
            vendorCode(1043, CONNECTION, "bad handshake"),
            vendorCode(1047, CONNECTION, "Galera node not ready (WSREP): not in the primary component (quorum lost) or"
                    + " still joining; another node can take the unit"),
            vendorCode(1180, CONNECTION, "error during COMMIT (Galera: not connected to the primary component); the"
                    + " transaction did not commit on this node"),
            sqlState("25S03", CONNECTION, "MariaDB Connector/J reconnected after a communications failure: the"
                    + " session and any transaction in progress were lost (its COMMIT may have landed)"),
            vendorCode(4031, CONNECTION, "disconnected after wait_timeout (MySQL 8)"),
            vendorCode(126, CORRUPTION, "index file is crashed"),
            vendorCode(127, CORRUPTION, "record file is crashed"),
            vendorCode(145, CORRUPTION, "table is marked as crashed"),
            vendorCode(1034, CORRUPTION, "incorrect key file: repair the table"),
            vendorCode(1194, CORRUPTION, "table is marked as crashed and should be repaired"),
            vendorCode(1195, CORRUPTION, "table is marked as crashed and the last repair failed")));

    private MySqlRules() {
    }
}
