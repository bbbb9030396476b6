// How JSON becomes a value: through a `serde_json::Value`, so that each type's `Deserialize`
// is compiled for one deserializer only, and the generated unions' decoding on that `Value`.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// JSON text as `T`, read through a [`Value`]. Every body, event and example the SDK decodes
/// goes this way, and a generated union tries its variants on the same `Value`, so each type's
/// `Deserialize` is compiled for one deserializer only (reading text straight into `T` would
/// compile it for serde_json's text reader as well, and serde's untagged enums for its private
/// buffer): a fraction of the code a large SDK otherwise builds. The cost is the `Value`'s
/// allocations, small beside a network round trip.
pub fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    T::deserialize(serde_json::from_slice::<Value>(json)?)
}

/// One way a generated union's value may decode: a variant of union `T`.
pub type UnionVariant<T> = fn(Value) -> Result<T, serde_json::Error>;

/// The first of `variants` that decodes `value`, for a generated union (what serde's
/// `#[serde(untagged)]` does, on a [`Value`]); the error names the union.
pub fn untagged<T>(value: Value, variants: &[UnionVariant<T>], name: &str) -> Result<T, String> {
    if let Some((last, rest)) = variants.split_last() {
        for variant in rest {
            if let Ok(decoded) = variant(value.clone()) {
                return Ok(decoded);
            }
        }
        if let Ok(decoded) = last(value) {
            return Ok(decoded);
        }
    }
    Err(format!("data did not match any variant of untagged enum {name}"))
}

/// A JSON object as a generated struct reads it: each described field taken out by its name,
/// the rest kept (the struct's map of fields the spec does not describe). A generated
/// `Deserialize` is a call of [`Object::decode`] and a line per field, where serde's derive
/// would write a visitor and an enum of field names; the field types decode from the object's
/// [`Value`]s, as every body does ([`from_json`]).
pub struct Object(serde_json::Map<String, Value>);

impl Object {
    /// Reads an object from `deserializer` and builds `T` from it with `build`; an error
    /// becomes the deserializer's.
    pub fn decode<'de, D, T>(
        deserializer: D,
        build: impl FnOnce(&mut Object) -> Result<T, serde_json::Error>,
    ) -> Result<T, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        let map = <serde_json::Map<String, Value> as serde::Deserialize>::deserialize(deserializer)?;
        build(&mut Object(map)).map_err(serde::de::Error::custom)
    }

    /// The field `key`, which must be there (`null` is a value, for a type that takes it).
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, serde_json::Error> {
        match self.0.remove(key) {
            Some(value) => field(key, value),
            None => Err(serde::de::Error::missing_field(key)),
        }
    }

    /// The field `key`: `None` when it is absent or `null`.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<Option<T>, serde_json::Error> {
        match self.0.remove(key) {
            Some(value) => field(key, value),
            None => Ok(None),
        }
    }

    /// The field `key`, telling absent (`None`) from `null` (`Some(None)`).
    pub fn optional_nullable<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<Option<T>>, serde_json::Error> {
        match self.0.remove(key) {
            Some(value) => field(key, value).map(Some),
            None => Ok(None),
        }
    }

    /// The fields not taken.
    pub fn rest(&mut self) -> serde_json::Map<String, Value> {
        std::mem::take(&mut self.0)
    }
}

/// `value` as `T`; an error names the field, so that a nested one reads as a path
/// (`meta: owner: invalid type: …`).
fn field<T: DeserializeOwned>(key: &str, value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(value).map_err(|e| serde::de::Error::custom(format_args!("{key}: {e}")))
}

/// Writes `key: value` into `map` when `value` is set: a generated struct's optional field,
/// left out when it is `None` (one of `Option<Option<T>>` is `null` when `Some(None)`).
pub fn entry_opt<M: serde::ser::SerializeMap, T: serde::Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, value),
        None => Ok(()),
    }
}
