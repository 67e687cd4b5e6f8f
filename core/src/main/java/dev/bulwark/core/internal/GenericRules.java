package dev.bulwark.core.internal;

import static dev.bulwark.core.FaultKind.AMBIGUOUS_COMMIT;
import static dev.bulwark.core.FaultKind.CONNECTION;
import static dev.bulwark.core.FaultKind.CONSTRAINT;
import static dev.bulwark.core.FaultKind.PERMISSION;
import static dev.bulwark.core.FaultKind.PROGRAMMING;
import static dev.bulwark.core.FaultKind.READ_ONLY;
import static dev.bulwark.core.FaultKind.RESOURCE;
import static dev.bulwark.core.FaultKind.TIMEOUT;
import static dev.bulwark.core.FaultKind.TRANSIENT;
import static dev.bulwark.core.internal.Rule.sqlState;
import static dev.bulwark.core.internal.Rule.sqlStateClass;

import dev.bulwark.core.Dialect;
import java.util.List;

/**
 * SQL-standard SQLState classes (ISO/IEC 9075 and the X/Open and ODBC {@code HY} states), the fallback
 * of every dialect. Vendor codes are not read here: they mean different things in each database.
 */
final class GenericRules {

    static final RuleTable TABLE = new RuleTable(Dialect.GENERIC, List.of(
            sqlState("08007", AMBIGUOUS_COMMIT, "transaction resolution unknown: the commit may or may not have landed"),
            sqlStateClass("08", CONNECTION, "connection exception: the session is gone or was never made"),
            sqlState("40002", CONSTRAINT, "integrity constraint violated at commit: a retry fails the same way"),
            sqlState("40003", AMBIGUOUS_COMMIT, "statement completion unknown: it may or may not have taken effect"),
            sqlStateClass("40", TRANSIENT, "transaction rollback (serialization failure, deadlock): retry the unit"),
            sqlStateClass("23", CONSTRAINT, "integrity constraint violation"),
            sqlStateClass("44", CONSTRAINT, "WITH CHECK OPTION violation"),
            sqlStateClass("28", PERMISSION, "invalid authorization: wrong user or password, or no access"),
            sqlState("25S03", CONNECTION, "transaction rolled back by a lost connection (ODBC 25S03; MariaDB Connector/J"
                    + " after it reconnected): the session's transaction is gone, its COMMIT may have landed"),
            sqlState("25006", READ_ONLY, "read-only transaction: a standby, or a primary demoted by failover"),
            sqlStateClass("25", PROGRAMMING, "invalid transaction state: the application misused the transaction"),
            sqlStateClass("42", PROGRAMMING, "syntax error or access rule violation: the statement is wrong"),
            sqlStateClass("22", PROGRAMMING, "data exception: a value does not fit"),
            sqlStateClass("21", PROGRAMMING, "cardinality violation"),
            sqlStateClass("0A", PROGRAMMING, "feature not supported"),
            sqlStateClass("07", PROGRAMMING, "dynamic SQL error, such as a wrong number of parameters"),
            sqlStateClass("24", PROGRAMMING, "invalid cursor state"),
            sqlStateClass("26", PROGRAMMING, "invalid SQL statement name"),
            sqlStateClass("2F", PROGRAMMING, "SQL routine exception"),
            sqlStateClass("3D", PROGRAMMING, "invalid catalog (database) name"),
            sqlStateClass("3F", PROGRAMMING, "invalid schema name"),
            sqlState("HYT00", TIMEOUT, "timeout expired"),
            sqlState("HYT01", TIMEOUT, "connection timeout expired"),
            sqlState("HY008", TIMEOUT, "operation canceled"),
            sqlState("HY001", RESOURCE, "memory allocation error")));

    private GenericRules() {
    }
}
