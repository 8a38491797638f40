-- The local customer catalog. A deleted customer stays as a tombstone (deleted_at set) so its
-- deletion can still reach external systems.
CREATE TABLE customers (
    id          uuid                     NOT NULL PRIMARY KEY,
    name        varchar(256)             NOT NULL,
    email       varchar(512),
    version     bigint                   NOT NULL CHECK (version >= 1),
    created_at  timestamp with time zone NOT NULL,
    updated_at  timestamp with time zone NOT NULL,
    deleted_at  timestamp with time zone
);

-- Email is unique among live customers, ignoring case; a deleted customer's email is free at once.
/* [jooq ignore start] */
CREATE UNIQUE INDEX customers_live_email_key ON customers (lower(email)) WHERE deleted_at IS NULL;
/* [jooq ignore stop] */

-- Keyset pagination order of the listing: (created_at, id) among live customers.
/* [jooq ignore start] */
CREATE INDEX customers_live_listing_idx ON customers (created_at, id) WHERE deleted_at IS NULL;
/* [jooq ignore stop] */

-- (local customer, external system) -> that system's id and where the sync stands.
-- Generalises the original design's id_map(local_id, service_name).
CREATE TABLE external_links (
    customer_id  uuid                     NOT NULL REFERENCES customers (id),
    system_name  varchar(32)              NOT NULL,
    external_id  varchar(255),
    status       varchar(16)              NOT NULL
        CHECK (status IN ('PENDING', 'SYNCED', 'FAILED', 'CONFLICT', 'DELETED')),
    synced_at    timestamp with time zone,
    last_error   varchar(2000),
    updated_at   timestamp with time zone NOT NULL,
    PRIMARY KEY (customer_id, system_name),
    CONSTRAINT external_links_external_id_key UNIQUE (system_name, external_id)
);
