package dev.bulwark.spring.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a rejected {@code bulwark.*} property into Spring Boot's "APPLICATION FAILED TO START" report: the core's
 * message (key, value, accepted values, where Spring found it) instead of a stack of bean-creation errors.
 */
public final class BulwarkPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidBulwarkPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidBulwarkPropertyException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct the property: docs/configuration.md lists every "
                + "bulwark.* key with its accepted values (bulwark.enabled=false turns the starter off).", cause);
    }
}
