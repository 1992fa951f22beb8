"""Queries of the rules table."""


def flagged(db):
    # Selects the column the next release drops: this line breaks after the drop.
    return db.execute("SELECT rule_id, mapping FROM rules WHERE legacy_flag = 1")


def reset(db):
    # db.execute("UPDATE rules SET legacy_flag = 0")
    return None


def summary(rules):
    legacy_flag = len(rules)  # a local variable that only shares the name
    return legacy_flag
