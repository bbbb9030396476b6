//! YAML or JSON text to a JSON tree.

use crate::error::{Error, ErrorKind, Result};
use serde_json::Value;

/// The document as a JSON tree, YAML or JSON, numbers of any size kept (the
/// first step of [`super::parse_located`]).
pub(crate) fn to_tree(text: &str) -> Result<Value> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "", format!("invalid JSON: {e}"));
            err.location = Some((e.line(), e.column()));
            err
        });
    }
    serde_yaml::Deserializer::from_str(text)
        .next()
        .map_or(Ok(Value::Null), |doc| serde::de::DeserializeSeed::deserialize(YamlToJson, doc))
        .map_err(|e| {
            let mut err = Error::new(ErrorKind::Syntax, "", format!("invalid YAML: {e}"));
            err.location = e.location().map(|l| (l.line(), l.column()));
            err
        })
}

/// Reads YAML straight into a JSON tree, as OpenAPI means it: mapping keys
/// are strings (`200:` is `"200"`), merge keys (`<<`) are applied, tags are
/// dropped, and integers beyond 64 bits are read as floats (the normalizing
/// pass warns where that matters).
pub(crate) struct YamlToJson;

impl<'de> serde::de::DeserializeSeed<'de> for YamlToJson {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for YamlToJson {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(YamlToJson)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merges = Vec::new();
        while let Some(key) = map.next_key_seed(YamlToJson)? {
            let value = map.next_value_seed(YamlToJson)?;
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_string(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                _ => return Err(serde::de::Error::custom("mapping keys must be scalars")),
            };
            if key == "<<" {
                merges.push(value);
            } else {
                out.insert(key, value);
            }
        }
        // Merged mappings fill in the keys the mapping does not set itself.
        for merged in merges {
            let list = match merged {
                Value::Array(list) => list,
                other => vec![other],
            };
            for source in list {
                let Value::Object(source) = source else {
                    return Err(serde::de::Error::custom("a merge key (<<) must name a mapping"));
                };
                for (k, v) in source {
                    out.entry(k).or_insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> std::result::Result<Value, A::Error> {
        // A tagged value (`!tag value`): the value.
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<String>()?;
        variant.newtype_variant_seed(YamlToJson)
    }
}

/// A float as JSON; a non-finite one (`.inf`) has no JSON form and is `null`.
pub(crate) fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}
