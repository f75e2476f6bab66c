//! Serde helpers for the spec's presence marks: `O,N` fields are `Option<Option<T>>`
//! (absent = `None`, `null` = `Some(None)`), so re-serialising reproduces the wire.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]`
pub mod nullable {
    use super::*;

    /// Deserialises a present field: `null` becomes `Some(None)`.
    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }

    /// Serialises `Some(None)` as `null` (absent fields are skipped by the attribute).
    pub fn serialize<S, T>(value: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}

/// Unknown fields of an object, kept verbatim.
pub type Extra = serde_json::Map<String, serde_json::Value>;
