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


def audit(db):
    # Another table's column of the same name: the query does not name rules.
    return db.execute("SELECT legacy_flag FROM audit_log WHERE id = 1")


def from_request(request):
    # A key of a request's form, nowhere near a query of rules.
    return request.form["legacy_flag"]
