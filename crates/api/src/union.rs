//! Open, `type`-tagged unions: every known variant is a typed struct, every unknown
//! variant is kept verbatim as JSON, so nothing the server sends is ever dropped.

use serde::{Serialize, Serializer};

/// Serialises `inner` as a JSON object with `"type": tag` added in front.
pub(crate) fn serialize_tagged<S: Serializer, T: Serialize>(
    tag: &str,
    inner: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Tagged<'a, T> {
        #[serde(rename = "type")]
        tag: &'a str,
        #[serde(flatten)]
        inner: &'a T,
    }
    Tagged { tag, inner }.serialize(serializer)
}

/// Splits the `type` tag off a JSON object. `None` when the value is not an object or has
/// no string `type`.
pub(crate) fn take_tag(value: &mut serde_json::Value) -> Option<String> {
    let object = value.as_object_mut()?;
    match object.get("type") {
        Some(serde_json::Value::String(_)) => match object.remove("type") {
            Some(serde_json::Value::String(tag)) => Some(tag),
            _ => None,
        },
        _ => None,
    }
}

/// The TypeScript declaration of an open union: the known variants only, so a `switch` on
/// `type` narrows. `variants` holds each variant's name, tag, doc and inlined fields. With a
/// `suffix`, every variant is also declared as `export interface {Variant}{suffix}`.
pub(crate) fn ts_union(
    name: &str,
    suffix: Option<&str>,
    variants: &[(&str, &str, &str, String)],
) -> String {
    let with_tag = |tag: &str, fields: &str| match fields.trim().strip_prefix('{') {
        Some(rest) if rest.trim() != "}" => format!("{{ type: \"{tag}\", {}", rest.trim_start()),
        _ => format!("{{ type: \"{tag}\" }}"),
    };
    let Some(suffix) = suffix else {
        let arms: Vec<String> = variants
            .iter()
            .map(|(_, tag, _, fields)| with_tag(tag, fields))
            .collect();
        return format!("type {name} = {};", arms.join(" | "));
    };
    let names: Vec<String> = variants
        .iter()
        .map(|(variant, ..)| format!("{variant}{suffix}"))
        .collect();
    let mut out = format!("type {name} = {};", names.join(" | "));
    for ((_, tag, doc, fields), interface) in variants.iter().zip(&names) {
        out.push_str(&format!(
            "\n/** {} */\nexport interface {interface} {}",
            doc.trim(),
            with_tag(tag, fields)
        ));
    }
    out
}

/// Declares an open union tagged by the JSON `type` field.
///
/// Each `Variant(Type) = "tag"` maps a tag to a struct that holds every field but `type`;
/// any other tag deserialises to `Unknown(raw json)` and serialises back unchanged.
/// `#[typescript("Name")]` names its TypeScript union (variants inlined);
/// `#[typescript("Name", "Suffix")]` also declares each variant as `{Variant}{Suffix}`.
macro_rules! open_union {
    (
        #[typescript($ts_name:literal $(, $suffix:literal)?)]
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident($ty:ty) = $tag:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis enum $name {
            $( $(#[doc = $vdoc])* $variant($ty), )*
            /// A variant this version does not know, kept verbatim (including `type`).
            Unknown(serde_json::Value),
        }

        impl $name {
            /// Every `type` tag this version models.
            pub const KNOWN_TYPES: &'static [&'static str] = &[$($tag),*];

            /// The `type` tag on the wire.
            pub fn type_name(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $tag, )*
                    Self::Unknown(raw) => raw.get("type").and_then(|t| t.as_str()).unwrap_or(""),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => $crate::union::serialize_tagged($tag, inner, s), )*
                    Self::Unknown(raw) => serde::Serialize::serialize(raw, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                let raw = value.clone();
                let tag = $crate::union::take_tag(&mut value).ok_or_else(|| {
                    serde::de::Error::custom(concat!(
                        stringify!($name),
                        ": expected an object with a string `type`"
                    ))
                })?;
                match tag.as_str() {
                    $( $tag => serde_json::from_value(value).map(Self::$variant).map_err(|e| {
                        serde::de::Error::custom(format_args!("`{}`: {}", $tag, e))
                    }), )*
                    _ => Ok(Self::Unknown(raw)),
                }
            }
        }

        impl ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;

            fn name(_: &ts_rs::Config) -> String {
                $ts_name.to_owned()
            }

            fn inline(cfg: &ts_rs::Config) -> String {
                <Self as ts_rs::TS>::name(cfg)
            }

            fn decl(cfg: &ts_rs::Config) -> String {
                let suffix: Option<&str> = None $(.or(Some($suffix)))?;
                $crate::union::ts_union($ts_name, suffix, &[
                    $( (stringify!($variant), $tag, concat!($($vdoc),*), <$ty as ts_rs::TS>::inline(cfg)), )*
                ])
            }

            fn visit_dependencies(v: &mut impl ts_rs::TypeVisitor) {
                $( <$ty as ts_rs::TS>::visit_dependencies(v); )*
            }

            fn output_path() -> Option<std::path::PathBuf> {
                Some(std::path::PathBuf::from(concat!($ts_name, ".ts")))
            }
        }
    };
}
pub(crate) use open_union;
