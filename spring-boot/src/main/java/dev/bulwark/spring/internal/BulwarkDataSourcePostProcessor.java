package dev.bulwark.spring.internal;

import dev.bulwark.core.BulwarkConfig;
import dev.bulwark.core.BulwarkListener;
import dev.bulwark.core.BulwarkProperties;
import dev.bulwark.core.FaultClassifier;
import dev.bulwark.jdbc.Bulwark;
import dev.bulwark.jdbc.BulwarkDataSource;
import dev.bulwark.spring.BulwarkSpringProperties;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * Wraps each {@link DataSource} bean in a {@link BulwarkDataSource} once it is initialised (so a pool's own
 * set-up has run), with the {@code BulwarkConfig} bean, every {@link BulwarkListener} bean and the
 * {@link FaultClassifier} bean if there is one.
 *
 * <p>Left as they are: a bean that already is (or wraps) a BulwarkDataSource, a scoped-proxy target, an
 * {@link AbstractRoutingDataSource} unless {@code bulwark.spring.wrap-routing-data-sources} (its targets are
 * wrapped instead when they are beans), and the beans named in {@code bulwark.spring.exclude-beans}.
 *
 * <p>Each wrapped data source is named after its bean, or {@code bulwark.name} when that is set (then only
 * one DataSource may be wrapped: names tag meters and health, and must differ). The collaborators are looked
 * up on first use, not injected, so that registering this post-processor initialises nothing early.
 *
 * <p>Thread-safe.
 */
public final class BulwarkDataSourcePostProcessor implements BeanPostProcessor, BeanFactoryAware, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(BulwarkDataSourcePostProcessor.class);

    private final Map<String, String> wrapped = new ConcurrentHashMap<>(); // Bulwark name -> bean name
    private BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (!(bean instanceof DataSource dataSource) || !eligible(dataSource, beanName)) {
            return bean;
        }
        BulwarkConfig config = beanFactory.getBean(BulwarkConfig.class);
        String name = nameFor(config, beanName);
        Bulwark.Builder builder = Bulwark.builder(dataSource).withConfig(config.toBuilder().withName(name).build());
        beanFactory.getBeanProvider(BulwarkListener.class).orderedStream().forEach(builder::withListener);
        beanFactory.getBeanProvider(FaultClassifier.class).ifAvailable(builder::withClassifier);
        LOG.info("{}: DataSource bean '{}' wrapped by Bulwark", name, beanName);
        return builder.build();
    }

    private boolean eligible(DataSource dataSource, String beanName) {
        if (dataSource instanceof BulwarkDataSource || isWrapperForBulwark(dataSource)
                || ScopedProxyUtils.isScopedTarget(beanName)) {
            return false;
        }
        BulwarkSpringProperties.Spring settings = beanFactory.getBean(BulwarkSpringProperties.class).getSpring();
        if (settings.getExcludeBeans().contains(beanName)) {
            return false;
        }
        // A routing DataSource hands out its targets' connections: wrapping both would nest two Bulwarks
        // (retries multiplied, two breakers), so only one level is wrapped, the targets by default.
        return !(dataSource instanceof AbstractRoutingDataSource) || settings.isWrapRoutingDataSources();
    }

    private static boolean isWrapperForBulwark(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(BulwarkDataSource.class);
        } catch (SQLException | RuntimeException e) {
            return false; // a DataSource that cannot answer is not one of ours
        }
    }

    private String nameFor(BulwarkConfig config, String beanName) {
        boolean named = !config.name().equals(BulwarkProperties.NAME.defaultValue());
        // bean names may hold characters bulwark.name does not accept ('$', '#', blanks)
        String name = named ? config.name() : beanName.replaceAll("[^A-Za-z0-9._-]", "-");
        name = name.substring(0, Math.min(64, name.length()));
        String earlier = wrapped.putIfAbsent(name, beanName);
        if (earlier != null && !earlier.equals(beanName)) {
            throw new IllegalStateException("Two DataSource beans would both be named '" + name + "' in Bulwark's "
                    + "logs, meters and health: '" + earlier + "' and '" + beanName + "'. "
                    + (named ? "Unset bulwark.name (each data source then takes its bean name)"
                            : "Rename one of the beans")
                    + " or leave one unwrapped with bulwark.spring.exclude-beans.");
        }
        return name;
    }

    /** After Spring's own post-processors (so an AOP proxy of a DataSource is what gets wrapped). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 20;
    }
}
