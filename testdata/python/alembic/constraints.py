from alembic import op

revision = "c3"
down_revision = ("b2", "b2x")


def upgrade():
    op.create_unique_constraint("uq_gadget_owner", "gadgets", ["owner_id", "label"])
    op.create_foreign_key("fk_gadget_owner", "gadgets", "owners", ["owner_id"], ["owner_id"])
    op.create_check_constraint("ck_weight", "gadgets", "weight >= 0")
    op.drop_constraint("uq_gadgets_label", "gadgets", type_="unique")
