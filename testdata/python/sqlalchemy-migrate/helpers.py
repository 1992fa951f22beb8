from sqlalchemy import Column, MetaData, String, Table

TABLES = ["alpha", "beta"]


def _add_note(table_name, metadata, length):
    table = Table(table_name, metadata, autoload=True)
    Column("note", String(length)).create(table)


def _forever(n):
    return _forever(n)


def upgrade(migrate_engine):
    metadata = MetaData(bind=migrate_engine)

    def drop_note(table):
        table.c.note.drop()

    for name in TABLES:
        _add_note(name, metadata, 200)
    drop_note(Table("gamma", metadata, autoload=True))
    _forever(1)
