package dev.bulwark.cli.internal.demo;

/** What the application was told about one transfer. */
enum Outcome {
    /** The transfer was acknowledged as committed. */
    COMMITTED,
    /** The application was told it failed. */
    FAILED,
    /** Bulwark refused it at once because the database was known to be down (breaker open). */
    REJECTED,
    /** The commit's outcome could not be decided (SQLState 08007); the application knows it does not know. */
    UNKNOWN
}
