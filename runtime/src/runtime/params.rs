// Parameters: path segments, and values in OpenAPI's styles for the query, headers and cookies.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use super::error::Error;

/// Percent-encodes the path parameter `name` as exactly one path segment.
///
/// Every byte outside the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded. Empty
/// values and the dot segments `.` and `..` are rejected with [`Error::InvalidRequest`]. A value
/// with nothing to encode is returned as it is, without a copy.
#[doc(hidden)]
pub fn path_param<'a>(name: &'static str, value: &'a str) -> Result<Cow<'a, str>, Error> {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    match value {
        "" => Err(Error::InvalidRequest(format!("path parameter `{name}` must not be empty"))),
        "." | ".." => Err(Error::InvalidRequest(format!("path parameter `{name}` must not be `{value}`"))),
        _ => Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).into()),
    }
}

/// How a parameter's value is written: OpenAPI's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=a,b` (or `name=a&name=b` exploded); an exploded object is `k=v&k2=v2`.
    Form,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[k]=v`, nested as `name[k][k2]=v` and `name[k][0]=v`.
    DeepObject,
    /// `a,b` (path and header values).
    Simple,
    /// `.a.b` or `.a,b` (path values).
    Label,
    /// `;name=a;name=b` or `;name=a,b` (path values).
    Matrix,
}

/// A scalar as parameter text (`None` for `null`); arrays and objects as JSON.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Appends the `name=value` pairs of `value` in `style` to `out`.
pub(crate) fn styled_pairs(
    name: Cow<'static, str>,
    value: &Value,
    style: Style,
    explode: bool,
    out: &mut Vec<(Cow<'static, str>, String)>,
) {
    let delimiter = match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Object(map), Style::DeepObject) => {
            for (key, item) in map {
                styled_pairs(Cow::Owned(format!("{name}[{key}]")), item, style, explode, out);
            }
        }
        (Value::Array(items), Style::DeepObject) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (i, item) in items.iter().enumerate() {
                styled_pairs(Cow::Owned(format!("{name}[{i}]")), item, style, explode, out);
            }
        }
        (Value::Array(items), Style::Form | Style::DeepObject) if explode => {
            out.extend(items.iter().filter_map(scalar_text).map(|text| (name.clone(), text)));
        }
        (Value::Object(map), Style::Form) if explode => {
            for (key, item) in map {
                if let Some(text) = scalar_text(item) {
                    out.push((Cow::Owned(key.clone()), text));
                }
            }
        }
        (Value::Array(items), _) => {
            let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            out.push((name, texts.join(delimiter)));
        }
        (Value::Object(map), _) => {
            let texts: Vec<String> =
                map.iter().filter_map(|(k, v)| Some(format!("{k}{delimiter}{}", scalar_text(v)?))).collect();
            out.push((name, texts.join(delimiter)));
        }
        (scalar, _) => out.extend(scalar_text(scalar).map(|text| (name, text))),
    }
}

/// A value in OpenAPI's `simple` style (`None` for `null`).
pub(crate) fn simple_text(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Array(items) => Some(items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            let (pair, sep) = if explode { ("=", ",") } else { (",", ",") };
            let texts: Vec<String> =
                map.iter().filter_map(|(k, v)| Some(format!("{k}{pair}{}", scalar_text(v)?))).collect();
            Some(texts.join(sep))
        }
        other => scalar_text(other),
    }
}

/// A path parameter of any value in `style` (`simple`, `label` or `matrix`),
/// each part percent-encoded as in [`path_param`]; empty values are refused.
#[doc(hidden)]
pub fn path_styled<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, Error> {
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let parts: Vec<(Option<String>, String)> = match &value {
        Value::Array(items) => items.iter().filter_map(scalar_text).map(|t| (None, t)).collect(),
        Value::Object(map) => map.iter().filter_map(|(k, v)| Some((Some(k.clone()), scalar_text(v)?))).collect(),
        other => scalar_text(other).into_iter().map(|t| (None, t)).collect(),
    };
    if parts.is_empty() || parts.iter().all(|(_, t)| t.is_empty()) {
        return Err(Error::InvalidRequest(format!("path parameter `{name}` must not be empty")));
    }
    let mut encoded = Vec::with_capacity(parts.len());
    for (key, text) in &parts {
        let text = path_param(name, text).map(Cow::into_owned).unwrap_or_default();
        let key = key.as_deref().map(|k| path_param(name, k).map(Cow::into_owned).unwrap_or_default());
        encoded.push((key, text));
    }
    let object = value.is_object();
    let join = |pair: &str, sep: &str| {
        encoded
            .iter()
            .map(|(k, v)| match k {
                Some(k) => format!("{k}{pair}{v}"),
                None => v.clone(),
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    Ok(match (style, explode) {
        (Style::Label, true) => format!(".{}", join("=", ".")),
        (Style::Label, false) => format!(".{}", join(",", ",")),
        (Style::Matrix, true) if object => format!(";{}", join("=", ";")),
        (Style::Matrix, true) => encoded.iter().map(|(_, v)| format!(";{name}={v}")).collect(),
        (Style::Matrix, false) => format!(";{name}={}", join(",", ",")),
        (_, true) => join("=", ","),
        (_, false) => join(",", ","),
    })
}

/// A parameter value as text: strings as they are, arrays joined with `,`
/// (OpenAPI's `simple` style), anything else as compact JSON.
#[doc(hidden)]
pub fn param_value<T: Serialize + ?Sized>(value: &T) -> String {
    fn text(value: Value) -> String {
        match value {
            Value::String(s) => s,
            Value::Array(items) => items.into_iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    serde_json::to_value(value).map(text).unwrap_or_default()
}
