/**
 * Example: a Spring Boot application on the Bulwark starter. {@link dev.bulwark.examples.springboot.AccountRepository}
 * is plain {@code JdbcTemplate}; {@link dev.bulwark.examples.springboot.TransferService} runs each transfer as a
 * Bulwark unit of work (retried whole, lost commits resolved); Actuator shows Bulwark's health and meters.
 */
package dev.bulwark.examples.springboot;
