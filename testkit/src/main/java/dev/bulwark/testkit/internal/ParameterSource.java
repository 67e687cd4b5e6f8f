package dev.bulwark.testkit.internal;

import java.lang.reflect.Parameter;

/**
 * One kind of parameter that {@link dev.bulwark.testkit.BulwarkTestExtension} can resolve.
 *
 * <p>This is the extension point for further test resources, such as a TCP fault proxy in front of
 * a declared database: {@code resources.database(TestResources.engineOf(parameter))} gives the
 * test's database (created on first use, shared by the test's parameters), and
 * {@code resources.closeAfterTest(x)} closes {@code x} after the test, before its database is dropped.
 *
 * <p>Implementations must be stateless and thread-safe.
 */
public interface ParameterSource {

    /** Whether this source resolves {@code parameter}; decided on its type alone. */
    boolean supports(Parameter parameter);

    /**
     * The value for {@code parameter}.
     *
     * @throws IllegalArgumentException when the parameter's annotations are wrong, naming what is wrong
     * @throws Exception when creating the resource fails
     */
    Object resolve(Parameter parameter, TestResources resources) throws Exception;
}
