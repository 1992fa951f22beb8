"""Creates the widget tables.

Module-level Table objects are created by metadata.create_all() in upgrade().
"""
from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects import mysql

metadata = MetaData()

widgets = Table(
    "widgets",
    metadata,
    Column("widget_id", Integer, primary_key=True),
    Column("label", String(40), nullable=False, unique=True),
    Column("enabled", Boolean, default=True),
    Column("colour", String(12), server_default="blue"),
    Column("notes", Text),
)

widget_parts = Table(
    "widget_parts",
    metadata,
    Column("widget_id", Integer, primary_key=True, autoincrement=False),
    Column("part", String(30), primary_key=True),
    Column("weight", BigInteger, index=True),
)

Index("parts_by_weight", widget_parts.c.weight, widget_parts.c.part)


def upgrade(migrate_engine):
    metadata.bind = migrate_engine
    widgets.append_column(Column("blob", mysql.LONGTEXT))
    metadata.create_all()

    # Declared inside upgrade() and created on its own.
    gadgets = Table("gadgets", metadata, Column("gadget_id", Integer, primary_key=True, autoincrement=True))
    gadgets.create()

    # A handle to an existing table does nothing by itself.
    Table("legacy", metadata, autoload=True)
    # metadata.create_all()
    # Table("legacy", metadata, autoload=True).drop()


def downgrade(migrate_engine):
    metadata.bind = migrate_engine
    widgets.drop()
    widget_parts.drop()
