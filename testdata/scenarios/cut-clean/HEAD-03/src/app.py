def rules_for(db, product):
    return db.execute("SELECT rule_id, priority, mapping FROM rules WHERE product = %s", product)


def shutoffs(db, product):
    return db.execute("SELECT channel FROM emergency_shutoffs WHERE product = %s", product)
