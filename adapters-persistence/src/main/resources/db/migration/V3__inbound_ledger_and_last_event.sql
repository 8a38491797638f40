-- The inbound-event ledger: one row per external event applied, written in the same transaction as the
-- event's effect, so a redelivered or duplicated event is applied once. Keyed per system: two systems'
-- event ids may collide.
CREATE TABLE processed_events (
    system_name   varchar(32)              NOT NULL,
    event_id      varchar(255)             NOT NULL,
    processed_at  timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT processed_events_pkey PRIMARY KEY (system_name, event_id)
);

-- When the latest event from the system about this customer happened: an older event is stale.
ALTER TABLE external_links ADD COLUMN last_event_at timestamp with time zone;
