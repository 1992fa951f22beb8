//! Python string building over known values: `%` formatting and `str.format`.
//!
//! Only the conversions migrations use are followed (`%s`, `%d`, `%i`, `%r`, `{}`, `{0}`,
//! `{name}`, `!s`, `!r`); anything else is an error, so that a SQL string is never guessed.

use super::value::{Value, MAX_TEXT};

/// `template % args`. A list stands for a tuple of arguments.
pub(crate) fn percent(template: &str, args: &Value) -> Result<String, String> {
    let items: Vec<&Value> = match args {
        Value::List(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut out = String::with_capacity(template.len());
    let mut next = items.into_iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut conversion = chars.next();
        let mut mapped = None;
        if conversion == Some('(') {
            // `%(name)s` takes its value from a mapping.
            let Value::Dict(entries) = args else {
                return Err("`%(name)` formatting needs a dict".to_string());
            };
            let name: String = chars.by_ref().take_while(|c| *c != ')').collect();
            mapped = entries
                .iter()
                .find(|(k, _)| *k == Value::Str(name.clone()))
                .map(|(_, v)| v);
            if mapped.is_none() {
                return Err(format!("the mapping has no key `{name}`"));
            }
            conversion = chars.next();
        }
        let mut take = || mapped.take().or_else(|| next.next());
        let text = match conversion {
            Some('%') => {
                out.push('%');
                continue;
            }
            Some('s') => take().and_then(Value::to_text),
            Some('r') => take().and_then(Value::to_repr),
            Some('d' | 'i') => match take() {
                Some(Value::Int(i)) => Some(i.to_string()),
                Some(v @ Value::Data(_)) => v.to_text(),
                Some(Value::Bool(b)) => Some(i64::from(*b).to_string()),
                _ => None,
            },
            Some(other) => return Err(format!("unsupported `%{other}` conversion")),
            None => return Err("incomplete `%` format".to_string()),
        };
        match text {
            Some(t) => out.push_str(&t),
            None => return Err("a `%` argument is not a known value".to_string()),
        }
        if out.len() > MAX_TEXT {
            return Err("the result is too long".to_string());
        }
    }
    if !matches!(args, Value::Dict(_)) && next.next().is_some() {
        return Err("more `%` arguments than conversions".to_string());
    }
    Ok(out)
}

/// `template.format(*positional, **named)`.
pub(crate) fn format(
    template: &str,
    positional: &[Value],
    named: &[(String, Value)],
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut auto = 0usize;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => return Err("single `}` in format string".to_string()),
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => field.push(ch),
                        None => return Err("unclosed `{` in format string".to_string()),
                    }
                }
                if field.contains(':') {
                    return Err(format!("format spec in `{{{field}}}` is not followed"));
                }
                let (key, conversion) = match field.split_once('!') {
                    Some((k, conv)) => (k.to_string(), Some(conv.to_string())),
                    None => (field, None),
                };
                let value = if key.is_empty() {
                    auto += 1;
                    positional.get(auto - 1)
                } else if let Ok(n) = key.parse::<usize>() {
                    positional.get(n)
                } else {
                    named.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
                };
                let text = match (value, conversion.as_deref()) {
                    (Some(v), None | Some("s")) => v.to_text(),
                    (Some(v), Some("r")) => v.to_repr(),
                    (Some(_), Some(other)) => {
                        return Err(format!("unsupported `!{other}` conversion"))
                    }
                    (None, _) => return Err(format!("no value for `{{{key}}}`")),
                };
                match text {
                    Some(t) => out.push_str(&t),
                    None => return Err(format!("the value for `{{{key}}}` is not known")),
                }
                if out.len() > MAX_TEXT {
                    return Err("the result is too long".to_string());
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.to_string())
    }

    #[test]
    fn percent_formats_strings_ints_and_tuples() {
        assert_eq!(
            percent("ALTER TABLE %s DROP %s", &Value::List(vec![s("t"), s("c")])),
            Ok("ALTER TABLE t DROP c".to_string())
        );
        assert_eq!(
            percent("x = %d%%", &Value::Int(5)),
            Ok("x = 5%".to_string())
        );
        assert_eq!(percent("%r", &s("a")), Ok("'a'".to_string()));
    }

    #[test]
    fn percent_rejects_what_it_cannot_follow() {
        assert!(percent("%s", &Value::unknown("x")).is_err());
        assert!(percent("%(name)s", &s("a")).is_err());
        assert!(percent("%s %s", &s("a")).is_err());
        assert!(percent("%s", &Value::List(vec![s("a"), s("b")])).is_err());
    }

    #[test]
    fn format_handles_auto_numbered_and_named_fields() {
        let named = vec![("col".to_string(), s("c"))];
        assert_eq!(
            format("{} {0} {col} {{x}}", &[s("t")], &named),
            Ok("t t c {x}".to_string())
        );
        assert_eq!(format("{!r}", &[s("t")], &[]), Ok("'t'".to_string()));
        assert!(format("{:>10}", &[s("t")], &[]).is_err());
        assert!(format("{missing}", &[], &[]).is_err());
    }
}
