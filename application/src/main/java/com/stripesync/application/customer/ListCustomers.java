package com.stripesync.application.customer;

import com.stripesync.domain.customer.CustomerPage;
import com.stripesync.domain.customer.Email;
import com.stripesync.domain.customer.PageRequest;
import com.stripesync.domain.link.LinkedCustomer;
import java.util.Optional;

/** Lists live customers page by page, or finds one by email. */
public interface ListCustomers {

    CustomerPage list(PageRequest request);

    Optional<LinkedCustomer> findByEmail(Email email);
}
