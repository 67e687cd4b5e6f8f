package dev.bulwark.spring;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.jdbc.annotations.Idempotent;
import dev.bulwark.jdbc.annotations.Retry;
import dev.bulwark.jdbc.annotations.Timeout;
import dev.bulwark.jdbc.annotations.Transactional;
import dev.bulwark.spring.internal.BulwarkAnnotationInterceptor;
import dev.bulwark.spring.internal.BulwarkDataSourcePostProcessor;
import dev.bulwark.spring.internal.BulwarkHealthIndicator;
import dev.bulwark.spring.internal.BulwarkMeterBinder;
import dev.bulwark.spring.internal.SpringConfigBinder;
import java.lang.annotation.Annotation;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Bulwark for Spring Boot: wraps every DataSource bean in a {@link BulwarkDataSource} configured from
 * {@code bulwark.*}, and adds its health indicator, meters and {@link BulwarkTransactions}. Off with
 * {@code bulwark.enabled=false}. Listed in {@code AutoConfiguration.imports}; runs after
 * {@link DataSourceAutoConfiguration}. See {@code docs/spring-boot.md}.
 *
 * <p>Beans (each can be replaced by one of the application's own):
 * <ul>
 *   <li>{@link BulwarkConfig}: every core property from Spring's property sources, validated at start-up;</li>
 *   <li>the post-processor that wraps DataSource beans (with every {@code BulwarkListener} bean and the
 *       {@code FaultClassifier} bean, if any);</li>
 *   <li>{@link BulwarkTransactions} on the single (or primary) DataSource, and the advice that applies
 *       Bulwark's {@code @Transactional}, {@code @Retry}, {@code @Timeout}, {@code @Idempotent} to Spring
 *       beans, ordered outside Spring's own transaction advice ({@link #ANNOTATION_ADVICE_ORDER});</li>
 *   <li>with Actuator, the {@code bulwark} health indicator; with Micrometer, Bulwark's meters.</li>
 * </ul>
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(DataSource.class)
@ConditionalOnProperty(prefix = "bulwark", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(BulwarkSpringProperties.class)
public class BulwarkAutoConfiguration {

    /**
     * Order of the advice for Bulwark's annotations: before (outside) Spring's transaction advice, which has
     * {@link Ordered#LOWEST_PRECEDENCE} unless the application changes it, so that each retry begins a new
     * Spring transaction instead of running inside a failed one.
     */
    public static final int ANNOTATION_ADVICE_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    private static final List<Class<? extends Annotation>> ANNOTATIONS =
            List.of(Transactional.class, Retry.class, Timeout.class, Idempotent.class);

    /** The configuration of every wrapped DataSource, from the {@code bulwark.*} keys the core declares. */
    @Bean
    @ConditionalOnMissingBean
    public BulwarkConfig bulwarkConfig(Environment environment) {
        return SpringConfigBinder.bind(environment);
    }

    /** Wraps DataSource beans; static, so that registering it creates nothing early. */
    @Bean
    public static BulwarkDataSourcePostProcessor bulwarkDataSourcePostProcessor() {
        return new BulwarkDataSourcePostProcessor();
    }

    /** Units of work on the application's DataSource. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    public BulwarkTransactions bulwarkTransactions(DataSource dataSource) {
        if (!(dataSource instanceof BulwarkDataSource bulwark)) {
            throw new IllegalStateException("The application's DataSource is not wrapped by Bulwark (excluded by "
                    + "bulwark.spring.exclude-beans, or a routing DataSource): define a BulwarkTransactions bean "
                    + "of your own on a wrapped one");
        }
        return new BulwarkTransactions(bulwark);
    }

    /** Applies Bulwark's annotations on Spring beans through {@link BulwarkTransactions}. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static Advisor bulwarkAnnotationAdvisor(ObjectProvider<BulwarkTransactions> transactions) {
        ComposablePointcut pointcut = null;
        for (Class<? extends Annotation> type : ANNOTATIONS) {
            Pointcut onClass = new AnnotationMatchingPointcut(type, true);
            Pointcut onMethod = AnnotationMatchingPointcut.forMethodAnnotation(type);
            pointcut = pointcut == null ? new ComposablePointcut(onClass) : pointcut.union(onClass);
            pointcut.union(onMethod);
        }
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, new BulwarkAnnotationInterceptor(transactions));
        advisor.setOrder(ANNOTATION_ADVICE_ORDER);
        return advisor;
    }

    /** The {@code bulwark} health indicator, with Actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("bulwark")
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "bulwarkHealthIndicator")
        HealthIndicator bulwarkHealthIndicator(ObjectProvider<DataSource> dataSources) {
            return new BulwarkHealthIndicator(dataSources);
        }
    }

    /** Bulwark's meters, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        BulwarkMeterBinder bulwarkMeterBinder() {
            return new BulwarkMeterBinder();
        }
    }
}
