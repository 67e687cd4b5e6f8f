package dev.bulwark.examples.springboot;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

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

    /** Accounts in the bank: ten, 1000 each, opened at the first start. */
    public static final int ACCOUNTS = 10;
    /** Each account's opening balance. */
    public static final long OPENING_BALANCE = 1_000;

    /** Opens the accounts on an empty database. */
    @Bean
    ApplicationRunner openAccounts(AccountRepository accounts) {
        return args -> accounts.openAccounts(ACCOUNTS, OPENING_BALANCE);
    }

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(BankApplication.class, args);
    }
}
