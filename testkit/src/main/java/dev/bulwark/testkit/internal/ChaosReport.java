package dev.bulwark.testkit.internal;

/**
 * Attached as a suppressed exception to a failed test that used a ChaosDataSource: its message is
 * the seed and the injected faults, so the run can be repeated. Carries no stack trace of its own.
 */
public final class ChaosReport extends Exception {

    public ChaosReport(String report) {
        super(report, null, false, false);
    }
}
