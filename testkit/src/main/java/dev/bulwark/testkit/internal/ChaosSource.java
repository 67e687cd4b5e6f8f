package dev.bulwark.testkit.internal;

import dev.bulwark.testkit.Chaos;
import dev.bulwark.testkit.ChaosDataSource;
import dev.bulwark.testkit.ChaosError;
import dev.bulwark.testkit.ChaosPlan;
import dev.bulwark.testkit.ChaosRule;
import dev.bulwark.testkit.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;

/** Resolves {@code @Chaos} {@link ChaosDataSource} parameters over the test's declared database. Thread-safe. */
public final class ChaosSource implements ParameterSource {

    @Override
    public boolean supports(Parameter parameter) {
        return parameter.getType() == ChaosDataSource.class;
    }

    @Override
    public Object resolve(Parameter parameter, TestResources resources) throws Exception {
        Chaos chaos = parameter.getAnnotation(Chaos.class);
        if (chaos == null) {
            throw new IllegalArgumentException("has no @Chaos: declare its plan with @Chaos(plan = \"method\") "
                    + "or @Chaos({@Chaos.Fault(...)})");
        }
        TestDatabase db = resources.database(TestResources.requireEngine(parameter));
        ChaosPlan plan = chaos.plan().isEmpty() ? declared(chaos) : fromMethod(chaos, resources);
        return resources.remember(ChaosDataSource.wrap(db.dataSource(), plan));
    }

    private static ChaosPlan fromMethod(Chaos chaos, TestResources resources) throws Exception {
        if (chaos.seed() != Chaos.RANDOM_SEED || chaos.value().length > 0) {
            throw new IllegalArgumentException("@Chaos(plan = \"" + chaos.plan() + "\") excludes seed and faults: "
                    + "the method's plan has its own");
        }
        Method method = find(resources.testClass(), chaos.plan());
        Object target = null;
        if (!Modifier.isStatic(method.getModifiers())) {
            target = resources.testInstance().orElseThrow(() -> new IllegalArgumentException("@Chaos(plan = \""
                    + chaos.plan() + "\") names an instance method, but there is no test instance yet "
                    + "(constructor parameter): make the method static"));
        }
        method.setAccessible(true);
        try {
            Object plan = method.invoke(target);
            if (plan == null) {
                throw new IllegalArgumentException("@Chaos plan method " + chaos.plan() + "() returned null");
            }
            return (ChaosPlan) plan;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Method find(Class<?> testClass, String name) {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 0) {
                    if (m.getReturnType() != ChaosPlan.class) {
                        throw new IllegalArgumentException("@Chaos plan method " + name + "() must return ChaosPlan, "
                                + "returns " + m.getReturnType().getSimpleName());
                    }
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("@Chaos(plan = \"" + name + "\"): no method " + name
                + "() without parameters in " + testClass.getName() + " or its superclasses");
    }

    private static ChaosPlan declared(Chaos chaos) {
        ChaosPlan.Builder plan = ChaosPlan.builder();
        if (chaos.seed() != Chaos.RANDOM_SEED) {
            plan.withSeed(chaos.seed());
        }
        Chaos.Fault[] faults = chaos.value();
        for (int i = 0; i < faults.length; i++) {
            try {
                plan.on(rule(faults[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("@Chaos.Fault #" + i + ": " + e.getMessage(), e);
            }
        }
        return plan.build();
    }

    private static ChaosRule rule(Chaos.Fault fault) {
        ChaosRule.Builder rule = ChaosRule.at(fault.at());
        if (fault.call() != 0) {
            rule.withCall(fault.call());
        }
        if (fault.every() != 0) {
            rule.withEvery(fault.every());
        }
        if (fault.rate() != 1.0) {
            rule.withRate(fault.rate());
        }
        if (!fault.sql().isEmpty()) {
            rule.withSqlMatching(fault.sql());
        }
        if (fault.limit() != 0) {
            rule.withLimit(fault.limit());
        }
        return switch (fault.action()) {
            case FAIL -> {
                if (fault.sqlState().isEmpty()) {
                    throw new IllegalArgumentException("action FAIL needs sqlState");
                }
                yield rule.fail(ChaosError.of(fault.sqlState()).withVendorCode(fault.vendorCode())
                        .withType(fault.type()));
            }
            case DELAY -> rule.delay(Duration.ofMillis(fault.delayMillis()));
            case CLOSE_CONNECTION -> rule.closeConnection();
            case LOSE_ACKNOWLEDGEMENT -> rule.loseAcknowledgement();
        };
    }
}
