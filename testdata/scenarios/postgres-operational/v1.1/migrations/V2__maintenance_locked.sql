-- Each statement blocks the table it names while it runs.
REINDEX INDEX rules_product;
CLUSTER releases_history USING releases_history_name;
VACUUM FULL releases_history;
ALTER TABLE events DETACH PARTITION events_2019;
-- balrog-schema-lint: allow drop-index -- v1.1 no longer filters by channel alone
DROP INDEX rules_channel;
