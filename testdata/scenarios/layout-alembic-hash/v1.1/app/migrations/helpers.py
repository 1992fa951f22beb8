def column_names(table):
    return [c.name for c in table.columns]
