//! `run-python-without-reverse`: a Django `RunPython` that cannot be unapplied.

use super::{finding, Category, Rule};
use crate::analysis::Analysis;
use crate::model::finding::{Finding, Severity};
use crate::model::ops::OpKind;
use crate::read::python::django::RUN_PYTHON_WITHOUT_REVERSE;

pub(super) static RULE: Rule = Rule {
    name: "run-python-without-reverse",
    category: Category::Operational,
    default_severity: Severity::Warning,
    summary: "A Django RunPython has no reverse_code, so its migration cannot be unapplied",
    doc: "## What it does
Reports a Django `migrations.RunPython(code)` given no `reverse_code`.

## Why is this bad
Rolling a release back with `manage.py migrate app <earlier>` stops at this migration with
`IrreversibleError`: the schema cannot follow the code back, and the operations after it in
the same migration stay applied.

## Example
```python
operations = [
    migrations.RunPython(fill_slugs),
]
```

## Use instead
Give a reverse, even one that does nothing when the data change needs no undoing:
```python
operations = [
    migrations.RunPython(fill_slugs, migrations.RunPython.noop),
]
```

## Deploy ordering
None by itself: the data change is neutral. It decides whether a rollback is possible.
",
    enabled_by_default: true,
    standalone_example: false,
};

pub(super) fn check(analysis: &Analysis, out: &mut Vec<Finding>) {
    for (migration, aop) in analysis.operations() {
        if matches!(&aop.op.kind, OpKind::NoEffect { what } if what == RUN_PYTHON_WITHOUT_REVERSE) {
            out.push(finding(
                &RULE,
                Some(migration),
                Some(aop.op.line),
                "this RunPython has no reverse_code: rolling the release back with `migrate` stops here (IrreversibleError).".into(),
                "Pass a reverse function, or `migrations.RunPython.noop` when nothing needs undoing.".into(),
            ));
        }
    }
}
