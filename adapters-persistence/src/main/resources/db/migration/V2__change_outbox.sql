-- The transactional outbox: one row per customer change, written in the same transaction as the catalog
-- write, then handed to the log by a relay. The row carries the snapshot of the fields we own, which is
-- what every worker sends. No foreign key to customers: the outbox stays independent of the catalog's
-- tables (customers are kept as tombstones anyway).
CREATE TABLE customer_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    customer_id   uuid                     NOT NULL,
    version       bigint                   NOT NULL,
    kind          varchar(16)              NOT NULL,
    -- NULL: our own API; otherwise the name of the external system the change came from.
    origin        varchar(32),
    name          varchar(256)             NOT NULL,
    email         varchar(512),
    -- The customer's updated_at at this version.
    occurred_at   timestamp with time zone NOT NULL,
    recorded_at   timestamp with time zone NOT NULL DEFAULT now(),
    published_at  timestamp with time zone,
    CONSTRAINT customer_changes_pkey PRIMARY KEY (id),
    CONSTRAINT customer_changes_version_check CHECK (version >= 1),
    CONSTRAINT customer_changes_kind_check CHECK (kind IN ('CREATED', 'UPDATED', 'DELETED'))
);

-- The relays' "next unpublished changes in id order": small however long the published history grows.
/* [jooq ignore start] */
CREATE INDEX customer_changes_unpublished_idx ON customer_changes (id) WHERE published_at IS NULL;
/* [jooq ignore stop] */

-- The latest local version whose sync outcome the link records: an outcome for an older version never
-- overwrites it, and a redelivered change at or below it is already handled.
ALTER TABLE external_links ADD COLUMN handled_version bigint;
ALTER TABLE external_links ADD CONSTRAINT external_links_handled_version_check CHECK (handled_version >= 1);
