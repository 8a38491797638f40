package com.stripesync.persistence.customer;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.EmailAlreadyInUse;
import com.stripesync.persistence.ConnectionFailures;
import com.stripesync.persistence.UniqueViolations;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.exception.DataAccessException;

/**
 * What a refusal by {@value #LIVE_EMAIL_KEY}, the partial unique index that keeps email unique among live
 * customers ignoring case, means: {@link EmailAlreadyInUse}.
 */
public final class EmailConflicts {

    public static final String LIVE_EMAIL_KEY = "customers_live_email_key";

    private EmailConflicts() {
    }

    /**
     * The failure of a write of {@code written} as {@link EmailAlreadyInUse} naming the email refused, when the
     * index refused one of theirs; otherwise the failure itself, or {@link
     * com.stripesync.domain.customer.CatalogUnavailable} when the database is out of reach.
     *
     * <p>With several customers written the server's detail tells which email it refused (in lower case, as
     * the index compares it); should it not, the failure comes out as it is.
     */
    public static RuntimeException emailConflictOr(DataAccessException failure, Collection<Customer> written) {
        if (!UniqueViolations.violates(failure, LIVE_EMAIL_KEY)) {
            return ConnectionFailures.translate(failure);
        }
        List<Email> emails = written.stream().flatMap(customer -> customer.email().stream()).toList();
        Optional<Email> refused = emails.size() == 1
                ? Optional.of(emails.getFirst())
                : UniqueViolations.refusedKey(failure).flatMap(key -> emails.stream()
                        .filter(email -> email.normalized().equals(key) || email.value().equalsIgnoreCase(key))
                        .findFirst());
        return refused.<RuntimeException>map(EmailAlreadyInUse::new).orElseGet(() -> ConnectionFailures.translate(failure));
    }
}
