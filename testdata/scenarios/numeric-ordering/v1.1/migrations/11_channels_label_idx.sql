CREATE INDEX channels_label_idx ON channels (label);
