from wtforms import BooleanField, Form


class RuleForm(Form):
    legacy_flag = BooleanField("Legacy flag")
