"""Names shared by the application and its migrations."""
AUDIT_COLUMN = "audited_at"
