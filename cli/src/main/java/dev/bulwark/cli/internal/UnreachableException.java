package dev.bulwark.cli.internal;

/**
 * The database a command needs cannot be reached; the command line exits with
 * {@link CliDatabase#UNREACHABLE}. The message names the (masked) URL and the driver's reason.
 *
 * <p>Immutable.
 */
final class UnreachableException extends Exception {

    private static final long serialVersionUID = 1L;

    UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
