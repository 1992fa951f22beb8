-- Speeds up the product listing.
create index releases_product_idx
    on releases (product);
