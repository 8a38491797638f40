-- The local customer catalog. A deleted customer stays as a tombstone (deleted_at set) so its
-- deletion can still reach external systems.
CREATE TABLE customers (
    id          uuid                     NOT NULL,
    name        varchar(256)             NOT NULL,
    email       varchar(512),
    version     bigint                   NOT NULL,
    created_at  timestamp with time zone NOT NULL,
    updated_at  timestamp with time zone NOT NULL,
    deleted_at  timestamp with time zone,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_version_check CHECK (version >= 1)
);

-- Email is unique among live customers, ignoring case; a deleted customer's email is free at once.
-- The catalog recognises a duplicate by this index's name.
/* [jooq ignore start] */
CREATE UNIQUE INDEX customers_live_email_key ON customers (lower(email)) WHERE deleted_at IS NULL;
/* [jooq ignore stop] */

-- Keyset pagination order of the listing: (created_at, id) among live customers.
/* [jooq ignore start] */
CREATE INDEX customers_live_listing_idx ON customers (created_at, id) WHERE deleted_at IS NULL;
/* [jooq ignore stop] */

-- (local customer, external system) -> that system's id and where the sync stands.
-- Generalises the original design's id_map(local_id, service_name).
-- The primary key's leading customer_id serves the catalog's "links of these customers" lookups.
CREATE TABLE external_links (
    customer_id  uuid                     NOT NULL,
    system_name  varchar(32)              NOT NULL,
    external_id  varchar(255),
    status       varchar(16)              NOT NULL,
    synced_at    timestamp with time zone,
    last_error   varchar(2000),
    updated_at   timestamp with time zone NOT NULL,
    CONSTRAINT external_links_pkey PRIMARY KEY (customer_id, system_name),
    CONSTRAINT external_links_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT external_links_external_id_key UNIQUE (system_name, external_id),
    CONSTRAINT external_links_status_check
        CHECK (status IN ('PENDING', 'SYNCED', 'FAILED', 'CONFLICT', 'DELETED'))
);

-- Later migrations (V2, V3, ...) add, next to these tables and in the same transactions as the
-- catalog's writes: the change outbox (one row per customer change to propagate to external systems)
-- and the inbound-event ledger (one row per external event id, so a redelivered webhook applies once).
