package dev.bulwark.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a sample test class in-process and keeps each test's result by method name. */
final class SampleRun implements TestExecutionListener {

    private final Map<String, TestExecutionResult> results = new LinkedHashMap<>();

    static Map<String, TestExecutionResult> of(Class<?> testClass) {
        SampleRun run = new SampleRun();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), run);
        return run.results;
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            String name = id.getDisplayName();
            results.put(name.contains("(") ? name.substring(0, name.indexOf('(')) : name, result);
        }
    }
}
