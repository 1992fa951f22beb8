from sqlalchemy import text

COUNTERS = ("clicks", "views")
SUFFIX = "_daily"


def upgrade(migrate_engine):
    migrate_engine.execute("UPDATE gizmos SET code = '' WHERE code IS NULL")
    migrate_engine.execute(
        """
        DELETE FROM gizmo_log
        WHERE created < 1000
        """
    )
    conn = migrate_engine.connect()
    conn.execute(text("ALTER TABLE gizmos ADD COLUMN flag INTEGER"))
    for counter in COUNTERS:
        conn.execute("ALTER TABLE %s%s DROP COLUMN spare" % (counter, SUFFIX))
    conn.execute("CREATE INDEX {0}_idx ON {0} ({col})".format("gizmos", col="code"))
    table = "gadgets"
    conn.execute(f"DROP TABLE {table}_old")
    conn.execute("TRUNCATE " + table + SUFFIX)
    conn.close()


def downgrade(migrate_engine):
    migrate_engine.execute("DROP TABLE never_run")
