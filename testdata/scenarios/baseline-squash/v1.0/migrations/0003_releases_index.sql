CREATE INDEX releases_product_idx ON releases (product);
