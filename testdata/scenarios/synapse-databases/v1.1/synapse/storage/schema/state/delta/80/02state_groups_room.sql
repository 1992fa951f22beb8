CREATE INDEX state_groups_room ON state_groups (room_id);
