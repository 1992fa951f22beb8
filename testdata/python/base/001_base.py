"""The schema the sqlalchemy-migrate fixtures change: every table they name."""
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

Table(
    "gizmos",
    metadata,
    Column("gizmo_id", Integer, primary_key=True),
    Column("obsolete", String(10)),
    Column("retired", String(10)),
    Column("summary", String(200)),
    Column("code", String(32)),
    Column("maybe", Integer, nullable=False),
    Column("status", String(10)),
    Column("legacy", Integer),
    Column("first", Integer),
    Column("second", Integer),
)
Table("sprockets", metadata, Column("sprocket_id", Integer, primary_key=True), Column("name", String(50)))
Table("sprocket_history", metadata, Column("change_id", Integer, primary_key=True), Column("data", Text))
Table("gizmo_log", metadata, Column("log_id", Integer, primary_key=True), Column("created", BigInteger))
Table("gamma", metadata, Column("gamma_id", Integer, primary_key=True), Column("note", String(20)))
for name in ("alpha", "beta"):
    Table(name, metadata, Column("id", Integer, primary_key=True))
for name in ("clicks_daily", "views_daily"):
    Table(name, metadata, Column("day", Integer, primary_key=True), Column("spare", Integer))
Table("gadgets_old", metadata, Column("id", Integer, primary_key=True))
Table("gadgets_daily", metadata, Column("id", Integer, primary_key=True))
Table("legacy", metadata, Column("id", Integer, primary_key=True))


def upgrade(migrate_engine):
    metadata.bind = migrate_engine
    metadata.create_all()


def downgrade(migrate_engine):
    metadata.bind = migrate_engine
    metadata.drop_all()
