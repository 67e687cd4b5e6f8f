package dev.bulwark.spring.internal;

/** A {@code bulwark.*} property Spring found that the core rejects (unknown key or invalid value); the message says which. */
public final class InvalidBulwarkPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidBulwarkPropertyException(String message) {
        super(message);
    }
}
