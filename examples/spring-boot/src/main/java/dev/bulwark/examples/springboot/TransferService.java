package dev.bulwark.examples.springboot;

import dev.bulwark.jdbc.annotations.Transactional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Moves money between accounts. {@link Transactional} here is Bulwark's: the starter runs the method as a unit
 * of work, so a deadlock, a killed session or a lost connection reruns the whole method on a fresh connection
 * and a fresh transaction, and a COMMIT whose acknowledgement was lost is resolved (committed: the method
 * returns; not committed: it reruns; unknown: SQLState 08007, never a silent duplicate). Thread-safe.
 */
@Service
public class TransferService {

    private final AccountRepository accounts;

    /** A service over {@code accounts}. */
    public TransferService(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /**
     * Moves {@code amount} from one account to another and records the transfer under {@code id}, all or
     * nothing.
     *
     * @throws org.springframework.dao.DataAccessException when the transfer could not be made (its SQLState in
     *         the cause; 08007 when the outcome of its commit could not be learned)
     */
    @Transactional
    public void transfer(UUID id, int from, int to, long amount) {
        accounts.recordTransfer(id, from, to, amount);
        accounts.addToBalance(from, -amount);
        accounts.addToBalance(to, amount);
    }
}
