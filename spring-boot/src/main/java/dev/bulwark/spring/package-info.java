/**
 * Spring Boot 3 auto-configuration for Bulwark: every {@code DataSource} bean wrapped in a
 * {@code BulwarkDataSource}, {@code bulwark.*} bound from Spring's property sources, an Actuator health
 * indicator, Micrometer meters, and {@link dev.bulwark.spring.BulwarkTransactions} (plus Bulwark's
 * annotations on Spring beans) for service methods retried whole on a fresh transaction. See
 * {@code docs/spring-boot.md}.
 */
package dev.bulwark.spring;
