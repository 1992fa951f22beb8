//! Expression evaluation: literals, names, string building, comparisons, calls.

use ruff_python_ast::{
    BoolOp, CmpOp, Expr, ExprCall, InterpolatedStringElement, Number, Operator, UnaryOp,
};
use ruff_text_size::Ranged;

use super::interp::{Args, Interp};
use super::strfmt;
use super::value::{Value, MAX_ITEMS, MAX_TEXT};

/// Most items `range()` may produce, so that loops stay small.
const MAX_RANGE: i64 = 10_000;

impl<'a> Interp<'a> {
    /// Evaluates an expression.
    pub fn eval(&mut self, e: &'a Expr) -> Value {
        if !self.enter() {
            return Value::unknown("cannot resolve an expression nested this deeply");
        }
        let v = self.eval_inner(e);
        self.leave();
        v
    }

    fn eval_inner(&mut self, e: &'a Expr) -> Value {
        match e {
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match i.as_i64() {
                    Some(i) => Value::Int(i),
                    None => Value::unknown("cannot resolve a very large integer"),
                },
                _ => Value::unknown("cannot resolve a non-integer number"),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::FString(f) => self.fstring(f),
            Expr::Name(n) => self.lookup(n.id.as_str()),
            Expr::Attribute(a) => {
                let recv = self.eval(&a.value);
                self.attribute(recv, a.attr.as_str())
            }
            Expr::Subscript(s) => {
                let recv = self.eval(&s.value);
                let index = self.eval(&s.slice);
                self.subscript(recv, index)
            }
            Expr::Call(c) => self.anchored(c.range(), |me| me.eval_call(c)),
            Expr::BinOp(b) => {
                let left = self.eval(&b.left);
                let right = self.eval(&b.right);
                self.binop(left, b.op, right)
            }
            Expr::BoolOp(b) => self.boolop(b.op, &b.values),
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand);
                match (u.op, v) {
                    (_, Value::Unknown(u)) => Value::Unknown(u),
                    (UnaryOp::Not, v) => match v.truthy() {
                        Some(b) => Value::Bool(!b),
                        None if v.is_run_time() => Value::unknown(super::value::FROM_ROW_DATA),
                        None => {
                            Value::unknown(format!("cannot resolve `not` of a {}", v.kind_name()))
                        }
                    },
                    (UnaryOp::USub, Value::Int(i)) => Value::Int(i.wrapping_neg()),
                    (UnaryOp::UAdd, Value::Int(i)) => Value::Int(i),
                    (op, v) => Value::unknown(format!(
                        "cannot resolve `{}` applied to a {}",
                        op.as_str(),
                        v.kind_name()
                    )),
                }
            }
            Expr::Compare(c) => {
                let mut left = self.eval(&c.left);
                let mut result = Value::Bool(true);
                for (op, right_expr) in c.ops.iter().zip(c.comparators.iter()) {
                    let right = self.eval(right_expr);
                    let step = compare(*op, &left, &right);
                    match step {
                        Value::Bool(true) => {}
                        Value::Bool(false) => return Value::Bool(false),
                        other => result = other,
                    }
                    left = right;
                }
                result
            }
            Expr::If(i) => {
                let test = self.eval(&i.test);
                match test.truthy() {
                    Some(true) => self.eval(&i.body),
                    Some(false) => self.eval(&i.orelse),
                    None => match test {
                        Value::Unknown(u) => Value::Unknown(u),
                        v => Value::unknown(format!(
                            "cannot resolve the truth of a {}",
                            v.kind_name()
                        )),
                    },
                }
            }
            Expr::List(l) => self.sequence(&l.elts),
            Expr::Tuple(t) => self.sequence(&t.elts),
            Expr::Set(s) => self.sequence(&s.elts),
            Expr::Dict(d) => {
                let mut items = Vec::with_capacity(d.items.len());
                for item in &d.items {
                    let value = self.eval(&item.value);
                    match &item.key {
                        Some(k) => {
                            let key = self.eval(k);
                            items.push((key, value));
                        }
                        None => match value {
                            Value::Dict(more) => items.extend(more),
                            other => {
                                return Value::unknown(format!(
                                    "cannot unpack a {} into a dict",
                                    other.kind_name()
                                ))
                            }
                        },
                    }
                }
                Value::Dict(items)
            }
            Expr::ListComp(c) => self.list_comp(&c.elt, &c.generators),
            Expr::Starred(s) => {
                let text = self.text_of(s.range());
                Value::unknown(format!("cannot resolve `{text}` here"))
            }
            other => {
                let text = self.text_of(other.range());
                let short: String = text.chars().take(60).collect();
                Value::unknown(format!("cannot resolve expression `{short}`"))
            }
        }
    }

    fn sequence(&mut self, elts: &'a [Expr]) -> Value {
        let mut out = Vec::with_capacity(elts.len());
        for e in elts {
            if let Expr::Starred(s) = e {
                match self.eval(&s.value) {
                    Value::List(items) => out.extend(items),
                    Value::Unknown(u) => out.push(Value::Unknown(u)),
                    v => out.push(Value::unknown(format!("cannot unpack a {}", v.kind_name()))),
                }
            } else {
                out.push(self.eval(e));
            }
        }
        Value::List(out)
    }

    fn list_comp(
        &mut self,
        elt: &'a Expr,
        generators: &'a [ruff_python_ast::Comprehension],
    ) -> Value {
        let [generator] = generators else {
            return Value::unknown("cannot resolve a comprehension with several `for` clauses");
        };
        let items = match self.eval(&generator.iter) {
            Value::List(items) => items,
            Value::Unknown(u) => return Value::Unknown(u),
            v => {
                return Value::unknown(format!(
                    "cannot resolve a comprehension over a {}",
                    v.kind_name()
                ))
            }
        };
        let mut out = Vec::new();
        for item in items {
            self.assign(&generator.target, item);
            let mut keep = true;
            for cond in &generator.ifs {
                let c = self.eval(cond);
                match c.truthy() {
                    Some(true) => {}
                    Some(false) => keep = false,
                    None => return Value::unknown("cannot resolve a comprehension condition"),
                }
            }
            if keep {
                out.push(self.eval(elt));
            }
        }
        Value::List(out)
    }

    fn fstring(&mut self, f: &'a ruff_python_ast::ExprFString) -> Value {
        let mut out = String::new();
        for part in f.value.iter() {
            match part {
                ruff_python_ast::FStringPart::Literal(lit) => out.push_str(lit.as_str()),
                ruff_python_ast::FStringPart::FString(fs) => {
                    for element in fs.elements.iter() {
                        match element {
                            InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                            InterpolatedStringElement::Interpolation(i) => {
                                if i.format_spec.is_some() || i.debug_text.is_some() {
                                    return Value::unknown(
                                        "cannot resolve an f-string format specification",
                                    );
                                }
                                let v = self.eval(&i.expression);
                                let text = match i.conversion {
                                    ruff_python_ast::ConversionFlag::Repr => v.to_repr(),
                                    _ => v.to_text(),
                                };
                                match (text, v) {
                                    (Some(t), _) if out.len() + t.len() > MAX_TEXT => {
                                        return Value::unknown("cannot resolve a string this long")
                                    }
                                    (Some(t), _) => out.push_str(&t),
                                    (None, Value::Unknown(u)) => return Value::Unknown(u),
                                    (None, v) => {
                                        return Value::unknown(format!(
                                            "cannot resolve a {} inside an f-string",
                                            v.kind_name()
                                        ))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Value::Str(out)
    }

    fn boolop(&mut self, op: BoolOp, values: &'a [Expr]) -> Value {
        let mut last = Value::None;
        for e in values {
            last = self.eval(e);
            match (op, last.truthy()) {
                (BoolOp::And, Some(false)) | (BoolOp::Or, Some(true)) => return last,
                (_, Some(_)) => {}
                (_, None) => {
                    return match last {
                        Value::Unknown(u) => Value::Unknown(u),
                        Value::Data(_) | Value::Rows(_) => {
                            Value::unknown(super::value::FROM_ROW_DATA)
                        }
                        v => Value::unknown(format!(
                            "cannot resolve the truth of a {}",
                            v.kind_name()
                        )),
                    }
                }
            }
        }
        last
    }

    /// `left op right` for the operators string building needs.
    pub fn binop(&mut self, left: Value, op: Operator, right: Value) -> Value {
        match (op, left, right) {
            (_, Value::Unknown(u), _) | (_, _, Value::Unknown(u)) => Value::Unknown(u),
            (Operator::Add, Value::Str(a), Value::Str(b)) if a.len() + b.len() > MAX_TEXT => {
                Value::unknown("cannot resolve a string this long")
            }
            (Operator::Add, Value::List(a), Value::List(b)) if a.len() + b.len() > MAX_ITEMS => {
                Value::unknown("cannot resolve a list this long")
            }
            (Operator::Add, Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
            (Operator::Add, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_add(b)),
            (Operator::Add, Value::List(mut a), Value::List(b)) => {
                a.extend(b);
                Value::List(a)
            }
            (Operator::Sub, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_sub(b)),
            (Operator::Mult, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_mul(b)),
            (Operator::Mod, Value::Str(template), args) => {
                match strfmt::percent(&template, &args) {
                    Ok(s) => Value::Str(s),
                    Err(e) => Value::unknown(format!("cannot resolve `%` formatting: {e}")),
                }
            }
            (op, l, r) => Value::unknown(format!(
                "cannot resolve `{}` between a {} and a {}",
                op.as_str(),
                l.kind_name(),
                r.kind_name()
            )),
        }
    }

    /// Evaluates the arguments of a call.
    pub fn eval_args(&mut self, call: &'a ExprCall) -> Args {
        let mut args = Args::default();
        for a in call.arguments.args.iter() {
            if let Expr::Starred(s) = a {
                match self.eval(&s.value) {
                    Value::List(items) => args.pos.extend(items),
                    Value::Unknown(u) => args.pos.push(Value::Unknown(u)),
                    v => args
                        .pos
                        .push(Value::unknown(format!("cannot unpack a {}", v.kind_name()))),
                }
            } else {
                let v = self.eval(a);
                args.pos.push(v);
            }
        }
        for k in call.arguments.keywords.iter() {
            let v = self.eval(&k.value);
            match &k.arg {
                Some(name) => args.kw.push((name.as_str().to_string(), v)),
                None => {
                    let text = self.text_of(k.range());
                    let u = Value::unknown(format!("cannot resolve `{text}`"));
                    self.consume(&u, "");
                }
            }
        }
        args
    }

    fn eval_call(&mut self, call: &'a ExprCall) -> Value {
        if let Expr::Attribute(a) = &*call.func {
            let recv = self.eval(&a.value);
            let args = self.eval_args(call);
            let method = a.attr.as_str();
            if let (Value::List(items), Expr::Name(n)) = (&recv, &*a.value) {
                if let Some(v) = self.list_mutation(n.id.as_str(), items.clone(), method, &args) {
                    return v;
                }
            }
            return self.call_method(recv, method, args);
        }
        let f = self.eval(&call.func);
        let args = self.eval_args(call);
        self.call_value(f, args)
    }

    fn list_mutation(
        &mut self,
        name: &str,
        mut items: Vec<Value>,
        method: &str,
        args: &Args,
    ) -> Option<Value> {
        if items.len() >= MAX_ITEMS {
            return None;
        }
        match (method, args.pos.as_slice()) {
            ("append", [v]) => items.push(v.clone()),
            ("extend", [Value::List(more)]) => items.extend(more.iter().cloned()),
            _ => return None,
        }
        self.rebind_existing(name, Value::List(items));
        Some(Value::None)
    }

    /// Calls a value that is not a method.
    pub fn call_value(&mut self, f: Value, args: Args) -> Value {
        match f {
            Value::Func(id) => self.call_func(id, args, false),
            Value::Builtin(name) => builtin(name, args),
            Value::Sym(path) => self.call_sym(&path, args),
            // `json.loads(row.x)`, `datetime.utcnow()`: values known only at run time.
            Value::Noise => Value::Data(None),
            Value::Type(t) => Value::Type(t),
            Value::Session => Value::Session,
            // Instantiating an ORM model: a new row object.
            Value::LightTable(table) => Value::Data(Some(table)),
            Value::Data(table) => Value::Data(table),
            Value::Unknown(u) => {
                if !u.reported {
                    self.report(format!("cannot resolve call: {}", u.reason));
                }
                Value::reported(u.reason)
            }
            other => {
                let msg = format!("cannot resolve call of a {}", other.kind_name());
                self.report(msg.clone());
                Value::reported(msg)
            }
        }
    }

    /// `recv.name` outside a call.
    pub fn attribute(&mut self, recv: Value, name: &str) -> Value {
        match recv {
            Value::Unknown(u) => Value::Unknown(u),
            Value::Sym(path) => Value::Sym(format!("{path}.{name}")),
            Value::Noise => Value::Noise,
            Value::Engine => match name {
                "name" => self.engine_name(),
                "dialect" => Value::EngineDialect,
                "engine" | "bind" | "connection" | "connect" => Value::Engine,
                "url" => self.engine_url(),
                "driver" | "info" => Value::Data(None),
                _ => Value::unknown(format!("cannot resolve `.{name}` of the engine")),
            },
            Value::EngineDialect => match name {
                "name" => self.engine_name(),
                // Facts about the server, known only when the migration runs.
                "server_version_info" | "driver" | "default_schema_name" => Value::Data(None),
                _ => Value::unknown(format!("cannot resolve `.dialect.{name}`")),
            },
            Value::EngineUrl(_) => match name {
                "drivername" => self.engine_name(),
                _ => Value::Data(None),
            },
            Value::Data(table) | Value::Rows(table) => Value::Data(table),
            Value::Session => Value::Session,
            Value::Table(id) => match name {
                "c" | "columns" => Value::TableColumns(id),
                "name" => self
                    .objs
                    .tables
                    .get(id)
                    .map_or(Value::None, |t| Value::Str(t.name.clone())),
                _ => Value::unknown(format!("cannot resolve `.{name}` of a Table")),
            },
            Value::TableColumns(id) => self.table_column(id, name),
            Value::Column(id) => match name {
                "name" => self
                    .objs
                    .columns
                    .get(id)
                    .map_or(Value::None, |c| Value::Str(c.def.name.clone())),
                "table" => self
                    .objs
                    .columns
                    .get(id)
                    .and_then(|c| c.table)
                    .map_or(Value::None, Value::Table),
                "type" => self
                    .objs
                    .columns
                    .get(id)
                    .map_or(Value::Type(None), |c| Value::Type(c.def.ty.clone())),
                _ => Value::unknown(format!("cannot resolve `.{name}` of a Column")),
            },
            Value::ColumnRef { column, .. } if name == "name" => Value::Str(column),
            // `t.c.x`, and an ORM model's attributes (`Model.id`) inside queries.
            Value::LightTable(_) => Value::SqlExpr,
            Value::SqlExpr => Value::SqlExpr,
            other => Value::unknown(format!(
                "cannot resolve `.{name}` of a {}",
                other.kind_name()
            )),
        }
    }

    fn subscript(&mut self, recv: Value, index: Value) -> Value {
        match (recv, index) {
            (Value::Unknown(u), _) | (_, Value::Unknown(u)) => Value::Unknown(u),
            (Value::List(items), Value::Int(i)) => {
                let idx = if i < 0 {
                    i64::try_from(items.len()).unwrap_or(0) + i
                } else {
                    i
                };
                usize::try_from(idx)
                    .ok()
                    .and_then(|i| items.get(i).cloned())
                    .unwrap_or_else(|| Value::unknown("cannot resolve an index out of range"))
            }
            (Value::TableColumns(id), Value::Str(name)) => self.table_column(id, &name),
            (Value::Dict(_) | Value::List(_), Value::Data(table)) => Value::Data(table),
            (Value::Dict(items), key) => items
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| Value::unknown("cannot resolve a key missing from the dict")),
            (Value::Data(table) | Value::Rows(table), _) => Value::Data(table),
            (Value::Sym(path), _) => Value::Sym(path),
            (Value::Noise, _) => Value::Noise,
            (r, i) => Value::unknown(format!(
                "cannot resolve indexing a {} with a {}",
                r.kind_name(),
                i.kind_name()
            )),
        }
    }

    /// `table.c.name`: the declared column, or a reference to an existing table's column.
    pub fn table_column(&self, table: usize, name: &str) -> Value {
        let Some(t) = self.objs.tables.get(table) else {
            return Value::unknown("cannot resolve table");
        };
        let declared = t
            .columns
            .iter()
            .copied()
            .find(|&c| self.objs.columns.get(c).is_some_and(|c| c.def.name == name));
        match declared {
            Some(c) => Value::Column(c),
            None => Value::ColumnRef {
                table: t.name.clone(),
                column: name.to_string(),
            },
        }
    }

    /// Methods on plain Python values; `None` when `recv` is not one.
    pub fn python_method(&mut self, recv: &Value, name: &str, args: &Args) -> Option<Value> {
        if let Value::Dict(items) = recv {
            return Some(dict_method(items, name, args));
        }
        let Value::Str(s) = recv else {
            return None;
        };
        let v = match (name, args.pos.as_slice()) {
            ("format", pos) => match strfmt::format(s, pos, &args.kw) {
                Ok(out) => Value::Str(out),
                Err(e) => Value::unknown(format!("cannot resolve `.format()`: {e}")),
            },
            ("join", [Value::List(items)]) => {
                let parts: Option<Vec<String>> = items
                    .iter()
                    .map(|v| match v {
                        Value::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                let total = parts.as_ref().map_or(0, |p| {
                    p.iter().map(String::len).sum::<usize>() + s.len() * p.len()
                });
                match parts {
                    Some(_) if total > MAX_TEXT => {
                        Value::unknown("cannot resolve a string this long")
                    }
                    Some(p) => Value::Str(p.join(s)),
                    None => Value::unknown("cannot resolve `.join()` over unknown items"),
                }
            }
            ("strip", []) => Value::Str(s.trim().to_string()),
            ("lstrip", []) => Value::Str(s.trim_start().to_string()),
            ("rstrip", []) => Value::Str(s.trim_end().to_string()),
            ("lower", []) => Value::Str(s.to_lowercase()),
            ("upper", []) => Value::Str(s.to_uppercase()),
            ("replace", [Value::Str(a), Value::Str(b)])
                if b.len() <= a.len() || b.len() * s.len() <= MAX_TEXT =>
            {
                Value::Str(s.replace(a.as_str(), b))
            }
            ("startswith", [Value::Str(p)]) => Value::Bool(s.starts_with(p.as_str())),
            ("endswith", [Value::Str(p)]) => Value::Bool(s.ends_with(p.as_str())),
            _ => Value::unknown(format!("cannot resolve `str.{name}()`")),
        };
        Some(v)
    }
}

/// Methods on a dict literal.
fn dict_method(items: &[(Value, Value)], name: &str, args: &Args) -> Value {
    match (name, args.pos.as_slice()) {
        ("items", []) => Value::List(
            items
                .iter()
                .map(|(k, v)| Value::List(vec![k.clone(), v.clone()]))
                .collect(),
        ),
        ("keys", []) => Value::List(items.iter().map(|(k, _)| k.clone()).collect()),
        ("values", []) => Value::List(items.iter().map(|(_, v)| v.clone()).collect()),
        ("get", [key, rest @ ..]) if rest.len() <= 1 => items
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| rest.first().cloned().unwrap_or(Value::None)),
        _ => Value::unknown(format!("cannot resolve `dict.{name}()`")),
    }
}

/// `left op right` for comparisons over known values.
fn compare(op: CmpOp, left: &Value, right: &Value) -> Value {
    // `Model.id == 3` inside a query builds SQL; a row value compared is only known when
    // the migration runs.
    if matches!(left, Value::SqlExpr) || matches!(right, Value::SqlExpr) {
        return Value::SqlExpr;
    }
    if matches!(left, Value::Data(_)) || matches!(right, Value::Data(_)) {
        return Value::unknown(super::value::FROM_ROW_DATA);
    }
    if let Value::Unknown(u) = left {
        return Value::Unknown(u.clone());
    }
    if let Value::Unknown(u) = right {
        return Value::Unknown(u.clone());
    }
    let literal = |v: &Value| {
        matches!(
            v,
            Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::None | Value::List(_)
        )
    };
    let result = match op {
        CmpOp::Eq | CmpOp::Is if literal(left) && literal(right) => Some(left == right),
        CmpOp::NotEq | CmpOp::IsNot if literal(left) && literal(right) => Some(left != right),
        CmpOp::In | CmpOp::NotIn => {
            let found = match right {
                Value::List(items) if literal(left) => Some(items.contains(left)),
                Value::Dict(items) if literal(left) => Some(items.iter().any(|(k, _)| k == left)),
                Value::Str(hay) => match left {
                    Value::Str(needle) => Some(hay.contains(needle.as_str())),
                    _ => None,
                },
                _ => None,
            };
            found.map(|f| if op == CmpOp::In { f } else { !f })
        }
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => match (left, right) {
            (Value::Int(a), Value::Int(b)) => Some(match op {
                CmpOp::Lt => a < b,
                CmpOp::LtE => a <= b,
                CmpOp::Gt => a > b,
                _ => a >= b,
            }),
            _ => None,
        },
        _ => None,
    };
    match result {
        Some(b) => Value::Bool(b),
        None => Value::unknown(format!(
            "cannot resolve `{}` between a {} and a {}",
            op.as_str(),
            left.kind_name(),
            right.kind_name()
        )),
    }
}

/// The builtins the reader follows.
fn builtin(name: &str, args: Args) -> Value {
    if name == "dict" {
        let mut items = match args.pos.first() {
            None => Vec::new(),
            Some(Value::Dict(items)) => items.clone(),
            Some(other) => {
                return Value::unknown(format!("cannot resolve dict() of a {}", other.kind_name()))
            }
        };
        items.extend(args.kw.into_iter().map(|(k, v)| (Value::Str(k), v)));
        return Value::Dict(items);
    }
    let first = args.pos.into_iter().next();
    match (name, first) {
        ("print", _) => Value::Noise,
        (_, Some(Value::Unknown(u))) => Value::Unknown(u),
        ("len", Some(Value::List(items))) => Value::Int(i64::try_from(items.len()).unwrap_or(0)),
        ("len", Some(Value::Dict(items))) => Value::Int(i64::try_from(items.len()).unwrap_or(0)),
        ("len" | "int" | "str" | "bool", Some(Value::Data(table))) => Value::Data(table),
        ("bool", Some(v)) => match v.truthy() {
            Some(b) => Value::Bool(b),
            None => Value::unknown(format!("cannot resolve bool() of a {}", v.kind_name())),
        },
        ("list" | "sorted" | "tuple", Some(Value::Dict(items))) => builtin(
            name,
            Args {
                pos: vec![Value::List(items.into_iter().map(|(k, _)| k).collect())],
                kw: Vec::new(),
            },
        ),
        ("list" | "sorted" | "tuple" | "enumerate" | "reversed", Some(Value::Rows(table))) => {
            Value::Rows(table)
        }
        ("list" | "sorted" | "tuple" | "set", Some(Value::Data(table))) => Value::Data(table),
        ("len", Some(Value::Str(s))) => Value::Int(i64::try_from(s.chars().count()).unwrap_or(0)),
        ("str", Some(v)) => v.to_text().map(Value::Str).unwrap_or_else(|| {
            Value::unknown(format!("cannot resolve str() of a {}", v.kind_name()))
        }),
        ("int", Some(Value::Int(i))) => Value::Int(i),
        ("int", Some(Value::Str(s))) => s
            .trim()
            .parse()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::unknown("cannot resolve int() of that string")),
        ("range", Some(Value::Int(n))) if (0..=MAX_RANGE).contains(&n) => {
            Value::List((0..n).map(Value::Int).collect())
        }
        ("set", None) => Value::List(Vec::new()),
        ("list" | "tuple" | "sorted" | "set", Some(Value::List(items))) => {
            let mut items = items;
            if name == "sorted" {
                if items.iter().all(|v| matches!(v, Value::Str(_))) {
                    items.sort_by_key(Value::to_text);
                } else {
                    return Value::unknown("cannot resolve sorted() of mixed values");
                }
            }
            Value::List(items)
        }
        ("reversed", Some(Value::List(mut items))) => {
            items.reverse();
            Value::List(items)
        }
        ("enumerate", Some(Value::List(items))) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| Value::List(vec![Value::Int(i64::try_from(i).unwrap_or(0)), v]))
                .collect(),
        ),
        (name, v) => Value::unknown(format!(
            "cannot resolve {name}() of a {}",
            v.map_or("nothing", |v| v.kind_name())
        )),
    }
}
