package dev.bulwark.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small bank: accounts, transfers, a REST endpoint, on PostgreSQL through the Bulwark starter. Nothing in
 * the application mentions Bulwark except the {@code @Transactional} it imports from Bulwark's annotations:
 * the starter wraps the DataSource Spring Boot creates.
 *
 * <p>{@code BankApplicationIT} runs it on PostgreSQL behind a fault-injecting proxy: sessions killed, COMMITs
 * cut, an outage, with the bank's invariant checked and {@code /actuator/health} followed through it.
 */
@SpringBootApplication
public class BankApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(BankApplication.class, args);
    }
}
