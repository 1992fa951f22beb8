"""Data changes mixed into a revision: Core expressions, loops over literals, rows, the ORM.

Revision ID: w2
Revises: w1
"""
import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy import orm
from sqlalchemy.sql import column, table

revision = "w2"
down_revision = "w1"

Base = orm.declarative_base()


class Gadget(Base):
    __tablename__ = "gadgets"
    id = sa.Column(sa.Integer, primary_key=True)
    label = sa.Column(sa.String(50))


settings = table("settings", column("key", sa.String), column("value", sa.Text))
RENAMED = {"old-theme": "theme", "old-colour": "colour"}


def upgrade():
    op.add_column("settings", sa.Column("updated", sa.DateTime(), nullable=True))
    conn = op.get_bind()
    for old, new in RENAMED.items():
        conn.execute(settings.update().where(settings.c.key == old).values(key=new))
    conn.execute(sa.insert(settings).values(key="theme", value="dark"))
    conn.execute(sa.delete(settings).where(settings.c.key == "obsolete"))
    op.bulk_insert(settings, [{"key": "colour", "value": "red"}])
    op.execute(
        sa.text("UPDATE settings SET value = :v WHERE key = :k").bindparams(v="1", k="beta")
    )

    rows = conn.execute(sa.select(settings.c.key, settings.c.value)).fetchall()
    for key, value in rows:
        parsed = json.loads(value)
        if parsed and key in RENAMED:
            conn.execute("UPDATE settings SET value = '%s' WHERE key = '%s'" % (parsed, key))
    now = datetime.utcnow()
    op.execute("UPDATE settings SET updated = '%s'" % now)

    session = orm.Session(bind=conn)
    for gadget in session.query(Gadget).filter(Gadget.label.is_(None)):
        gadget.label = "unnamed"
    session.add(Gadget(label="spare"))
    session.commit()

    for (name,) in conn.execute(sa.text("SELECT name FROM retired_tables")):
        op.drop_table(name)

    Gadget.owner = orm.relationship("Owner")
    for gadget in session.query(Gadget):
        gadget.tags = sorted(set(json.loads(gadget.label)))
