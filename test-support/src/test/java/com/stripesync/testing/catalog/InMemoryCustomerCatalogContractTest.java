package com.stripesync.testing.catalog;

import com.stripesync.domain.customer.CustomerCatalog;
import com.stripesync.domain.link.ExternalLinks;
import com.stripesync.testing.contract.CustomerCatalogContract;

class InMemoryCustomerCatalogContractTest extends CustomerCatalogContract {

    private final InMemoryCustomerCatalog catalog = new InMemoryCustomerCatalog();

    @Override
    protected CustomerCatalog catalog() {
        return catalog;
    }

    @Override
    protected ExternalLinks links() {
        return catalog;
    }
}
