package com.stripesync.testing.catalog;

import com.stripesync.domain.customer.Customer;
import com.stripesync.domain.customer.Version;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.testing.contract.ExternalLinksContract;

class InMemoryExternalLinksContractTest extends ExternalLinksContract {

    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();

    @Override
    protected ExternalLinks links() {
        return catalog;
    }

    @Override
    protected void store(Customer customer) {
        if (customer.version().equals(Version.FIRST)) {
            catalog.add(customer);
        } else {
            catalog.replace(customer);
        }
    }
}
