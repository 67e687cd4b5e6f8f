package dev.bulwark.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logging of the command line, set up in code (logback's XML configuration costs a quarter of a second of
 * start-up): the libraries' logs go to standard error at level ERROR, or at {@code -Dbulwark.cli.logLevel}, so
 * they do not break the command's output. A {@code logback.xml} or {@code logback-test.xml} on the class path, or
 * {@code -Dlogback.configurationFile}, is left to logback's own configurator. Registered in
 * {@code META-INF/services}; logback calls it once.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    /** Called by logback through the service loader. */
    public LogConfiguration() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogConfiguration.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("bulwark.cli.logLevel", "ERROR"), Level.ERROR));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
