package dev.bulwark.examples.springboot;

import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /transfers?from=1&to=2&amount=5} and {@code GET /total}. Thread-safe. */
@RestController
public class BankController {

    private final TransferService transfers;
    private final AccountRepository accounts;

    /** A controller over the service and the repository. */
    public BankController(TransferService transfers, AccountRepository accounts) {
        this.transfers = transfers;
        this.accounts = accounts;
    }

    /** Makes a transfer and returns its id. */
    @PostMapping("/transfers")
    public Map<String, Object> transfer(@RequestParam int from, @RequestParam int to, @RequestParam long amount) {
        UUID id = UUID.randomUUID();
        transfers.transfer(id, from, to, amount);
        return Map.of("id", id.toString());
    }

    /** The sum of all balances: constant, whatever faults the database went through. */
    @GetMapping("/total")
    public Map<String, Object> total() {
        return Map.of("total", accounts.totalBalance());
    }
}
