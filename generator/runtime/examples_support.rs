/// Decodes the example `json` (its `result` when `enveloped`) as `T` and encodes it back;
/// returns what does not hold, naming the example's pointer in the spec.
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    pointer: &str,
    enveloped: bool,
    json: &str,
) -> Option<String> {
    let mut expected: serde_json::Value = serde_json::from_str(json).expect("examples are JSON");
    if enveloped {
        expected = expected.get("result").cloned().unwrap_or_default();
    }
    let decoded: T = match serde_json::from_value(expected.clone()) {
        Ok(decoded) => decoded,
        Err(e) => return Some(format!("{pointer}: does not decode: {e}")),
    };
    let encoded = match serde_json::to_value(&decoded) {
        Ok(encoded) => encoded,
        Err(e) => return Some(format!("{pointer}: does not encode: {e}")),
    };
    difference(&expected, &encoded, "").map(|at| format!("{pointer}: encodes back differently at `{at}`"))
}

/// Where `actual` differs from `expected`, up to key order, the spelling of numbers and
/// date-times, and fields left out when `null` (or added as `null`).
fn difference(expected: &serde_json::Value, actual: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let at = format!("{at}/{key}");
                let problem = match a.get(key) {
                    Some(other) => difference(value, other, &at),
                    None if value.is_null() => None,
                    None => Some(format!("{at} (left out)")),
                };
                if problem.is_some() {
                    return problem;
                }
            }
            a.iter()
                .find(|(key, value)| !e.contains_key(*key) && !value.is_null())
                .map(|(key, _)| format!("{at}/{key} (added)"))
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            e.iter().zip(a).enumerate().find_map(|(i, (e, a))| difference(e, a, &format!("{at}/{i}")))
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => None,
        (Value::String(e), Value::String(a)) if e == a || same_instant(e, a) => None,
        (e, a) if e == a => None,
        _ => Some(at.to_string()),
    }
}

/// Whether two strings are the same RFC 3339 date-time, spelled differently.
fn same_instant(a: &str, b: &str) -> bool {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a == b)
}
