import sqlalchemy as sa
from alembic import op

revision = "d4"
down_revision = "c3"

STATUSES = ["new", "done"]


def upgrade():
    with op.batch_alter_table("gadgets") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(10)))
        batch_op.alter_column("status", nullable=False)
        batch_op.drop_column("color")
        batch_op.create_index("ix_gadgets_status", ["status"])

    op.execute("UPDATE gadgets SET status = 'new'")
    op.execute(sa.text("DELETE FROM gadget_events WHERE kind = 'spam'"))
    for status in STATUSES:
        op.execute(f"INSERT INTO statuses (name) VALUES ('{status}')")
    if op.get_bind().dialect.name == "mysql":
        op.execute("OPTIMIZE TABLE gadgets")
    op.create_table_comment("gadgets", "things")
    op.invent_something("gadgets")
