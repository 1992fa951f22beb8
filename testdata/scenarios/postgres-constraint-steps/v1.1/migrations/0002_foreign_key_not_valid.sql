-- Step one of the safe pattern: the key is added for new rows only, without a scan.
-- balrog-schema-lint: allow add-foreign-key -- orphaned rules were removed before v1.0
ALTER TABLE rules ADD CONSTRAINT rules_product_fk FOREIGN KEY (product) REFERENCES products (name) NOT VALID;
