//! The plugin contract, as pure functions both hosts apply: the native host (`outrig host`,
//! wasmtime) and the edge runner (`outrig/plugin`, through the npm package's tool-answering
//! wasm module). What a plugin may declare (tool names, descriptions, schemas, how many),
//! and how its results become API content (block and byte caps, `json` blocks that are JSON
//! and match the tool's output schema).

use crate::content::ContentBlock;
use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::fmt;

/// The limits the contract defines, with the defaults both hosts use (`[plugin.limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractLimits {
    /// Wall-clock deadline of one call, in milliseconds.
    pub timeout_ms: u64,
    /// Largest total result size in bytes.
    pub output_bytes: usize,
    /// Most content blocks in one result.
    pub output_blocks: usize,
    /// Largest total log volume of one call, in bytes.
    pub log_bytes: usize,
    /// Most log lines kept of one call.
    pub log_lines: usize,
    /// Most tools one plugin may declare.
    pub max_tools: usize,
    /// Largest tool description, in bytes.
    pub max_description_bytes: usize,
    /// Largest input or output schema, in bytes of JSON text.
    pub max_schema_bytes: usize,
}

impl ContractLimits {
    /// The defaults.
    pub const DEFAULT: ContractLimits = ContractLimits {
        timeout_ms: 30_000,
        output_bytes: 1 << 20,
        output_blocks: 100,
        log_bytes: 64 << 10,
        log_lines: 1000,
        max_tools: 128,
        max_description_bytes: 8 << 10,
        max_schema_bytes: 64 << 10,
    };
}

impl Default for ContractLimits {
    fn default() -> Self {
        ContractLimits::DEFAULT
    }
}

/// Whether `name` is a valid tool name: 1–64 bytes of `[A-Za-z0-9_-]`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// One tool as a plugin's `describe()` declares it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declared {
    /// Its name inside the plugin.
    pub name: String,
    /// For the model.
    pub description: String,
    /// JSON Schema text of its input.
    pub input_schema: String,
    /// JSON Schema text of its JSON results, if documented.
    pub output_schema: Option<String>,
    /// Hint: it changes nothing.
    pub read_only: bool,
    /// Hint: it may destroy something.
    pub destructive: bool,
    /// Hint: running it twice has no further effect.
    pub idempotent: bool,
}

/// A declared tool, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedTool {
    /// Name on the agent (prefix + the plugin's name).
    pub name: String,
    /// Name inside the plugin.
    pub plugin_name: String,
    /// For the model.
    pub description: String,
    /// JSON Schema (an object schema).
    pub input_schema: Value,
    /// JSON Schema of JSON results, if documented.
    pub output_schema: Option<Value>,
    /// `read-only`, `destructive`, `idempotent` hints that are true.
    pub hints: Vec<&'static str>,
}

/// Which of a tool's schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The input schema.
    Input,
    /// The output schema.
    Output,
}

impl fmt::Display for Which {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Which::Input => "input",
            Which::Output => "output",
        })
    }
}

/// Why a plugin's declarations are refused (each message follows "describe()").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeclarationError {
    /// It declared no tool.
    #[error("returned no tools")]
    NoTools,
    /// It declared more than `max_tools`.
    #[error("returned {count} tools, over the limit of {limit} (`limits.max_tools`)")]
    TooManyTools {
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A name (with the prefix) is not 1–64 bytes of `[A-Za-z0-9_-]`.
    #[error("returned the tool name {0:?}; names must be 1-64 characters of letters, digits, `_` or `-`")]
    BadName(String),
    /// A name is declared twice.
    #[error("returned the tool name `{0}` twice")]
    Duplicate(String),
    /// A description is empty.
    #[error("returned no description for `{0}`")]
    NoDescription(String),
    /// A description is over `max_description_bytes`.
    #[error("returned a description of {bytes} bytes for `{tool}`, over the limit of {limit} (`limits.max_description_bytes`)")]
    DescriptionTooLong {
        /// The tool.
        tool: String,
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A schema is over `max_schema_bytes`.
    #[error("returned an {which} schema of {bytes} bytes for `{tool}`, over the limit of {limit} (`limits.max_schema_bytes`)")]
    SchemaTooLarge {
        /// The tool.
        tool: String,
        /// Which schema.
        which: Which,
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A schema is not JSON.
    #[error("returned an {which} schema for `{tool}` that is not JSON: {reason}")]
    SchemaNotJson {
        /// The tool.
        tool: String,
        /// Which schema.
        which: Which,
        /// The parser's message.
        reason: String,
    },
    /// The input schema is not `"type": "object"`.
    #[error(
        "returned an input schema for `{0}` that is not an object schema (`\"type\": \"object\"`)"
    )]
    InputNotObject(String),
    /// A schema does not compile as JSON Schema.
    #[error("returned an {which} schema for `{tool}` that {reason}")]
    InvalidSchema {
        /// The tool.
        tool: String,
        /// Which schema.
        which: Which,
        /// Why.
        reason: String,
    },
}

/// Checked tools and their compiled (input, output) schemas, by index.
pub type Checked<S> = (Vec<CheckedTool>, Vec<(S, Option<S>)>);

/// Checks what a plugin declares, names prefixed with `prefix`; `compile` turns each
/// schema into the host's checker (e.g. `Schema::compile`, feature `schema`), or says why
/// it cannot.
pub fn check_declarations<S>(
    declared: &[Declared],
    prefix: &str,
    limits: &ContractLimits,
    compile: impl Fn(&Value) -> Result<S, String>,
) -> Result<Checked<S>, DeclarationError> {
    if declared.is_empty() {
        return Err(DeclarationError::NoTools);
    }
    if declared.len() > limits.max_tools {
        return Err(DeclarationError::TooManyTools {
            count: declared.len(),
            limit: limits.max_tools,
        });
    }
    let mut seen = HashSet::new();
    let mut tools = Vec::new();
    let mut schemas = Vec::new();
    for spec in declared {
        let name = format!("{prefix}{}", spec.name);
        if !valid_name(&name) {
            return Err(DeclarationError::BadName(name));
        }
        if !seen.insert(name.clone()) {
            return Err(DeclarationError::Duplicate(name));
        }
        if spec.description.trim().is_empty() {
            return Err(DeclarationError::NoDescription(name));
        }
        if spec.description.len() > limits.max_description_bytes {
            return Err(DeclarationError::DescriptionTooLong {
                tool: name,
                bytes: spec.description.len(),
                limit: limits.max_description_bytes,
            });
        }
        let input_schema = parse_schema(&spec.input_schema, Which::Input, &name, limits)?;
        if input_schema.get("type").and_then(Value::as_str) != Some("object") {
            return Err(DeclarationError::InputNotObject(name));
        }
        let output_schema = match &spec.output_schema {
            Some(text) => Some(parse_schema(text, Which::Output, &name, limits)?),
            None => None,
        };
        let compiled = |schema: &Value, which: Which| {
            compile(schema).map_err(|reason| DeclarationError::InvalidSchema {
                tool: name.clone(),
                which,
                reason,
            })
        };
        schemas.push((
            compiled(&input_schema, Which::Input)?,
            output_schema
                .as_ref()
                .map(|s| compiled(s, Which::Output))
                .transpose()?,
        ));
        let hints = [
            ("read-only", spec.read_only),
            ("destructive", spec.destructive),
            ("idempotent", spec.idempotent),
        ]
        .into_iter()
        .filter_map(|(hint, on)| on.then_some(hint))
        .collect();
        tools.push(CheckedTool {
            name,
            plugin_name: spec.name.clone(),
            description: spec.description.clone(),
            input_schema,
            output_schema,
            hints,
        });
    }
    Ok((tools, schemas))
}

fn parse_schema(
    text: &str,
    which: Which,
    tool: &str,
    limits: &ContractLimits,
) -> Result<Value, DeclarationError> {
    if text.len() > limits.max_schema_bytes {
        return Err(DeclarationError::SchemaTooLarge {
            tool: tool.to_string(),
            which,
            bytes: text.len(),
            limit: limits.max_schema_bytes,
        });
    }
    serde_json::from_str(text).map_err(|e| DeclarationError::SchemaNotJson {
        tool: tool.to_string(),
        which,
        reason: e.to_string(),
    })
}

/// One content block a plugin returns.
#[derive(Debug, Clone, PartialEq)]
pub enum PluginContent {
    /// Text.
    Text(String),
    /// JSON text (checked against the tool's output schema).
    Json(String),
    /// An image.
    Image {
        /// Its media type.
        media_type: String,
        /// Its bytes.
        data: Vec<u8>,
    },
}

/// Why a result is refused (it becomes an `is_error` result with this message).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResultError {
    /// More blocks than `output_blocks`.
    #[error("the tool returned {count} content blocks, over the {limit}-block output limit")]
    TooManyBlocks {
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More bytes than `output_bytes` (images counted as base64).
    #[error("the tool returned {bytes} bytes, over the {limit}-byte output limit")]
    TooLarge {
        /// How many.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A `json` block is not JSON.
    #[error("the tool returned a `json` block that is not JSON: {0}")]
    NotJson(String),
    /// A `json` block does not match the output schema.
    #[error("the tool's result does not match its output schema: {0}")]
    OffSchema(String),
}

/// A plugin's result as API content blocks, within the limits; `check` tests each `json`
/// block against the tool's output schema (e.g. `Schema::check`, feature `schema`).
pub fn convert_result(
    content: Vec<PluginContent>,
    limits: &ContractLimits,
    check: impl Fn(&Value) -> Result<(), String>,
) -> Result<Vec<ContentBlock>, ResultError> {
    if content.len() > limits.output_blocks {
        return Err(ResultError::TooManyBlocks {
            count: content.len(),
            limit: limits.output_blocks,
        });
    }
    let bytes: usize = content
        .iter()
        .map(|c| match c {
            PluginContent::Text(t) | PluginContent::Json(t) => t.len(),
            PluginContent::Image { data, .. } => data.len().div_ceil(3) * 4,
        })
        .sum();
    if bytes > limits.output_bytes {
        return Err(ResultError::TooLarge {
            bytes,
            limit: limits.output_bytes,
        });
    }
    for block in &content {
        if let PluginContent::Json(text) = block {
            let document: Value =
                serde_json::from_str(text).map_err(|e| ResultError::NotJson(e.to_string()))?;
            check(&document).map_err(ResultError::OffSchema)?;
        }
    }
    Ok(content
        .into_iter()
        .map(|c| match c {
            PluginContent::Text(text) | PluginContent::Json(text) => ContentBlock::text(text),
            PluginContent::Image { media_type, data } => serde_json::from_value(json!({
                "type": "image",
                "source": {"type": "base64", "media_type": media_type, "data": base64::engine::general_purpose::STANDARD.encode(&data)}
            }))
            .expect("image blocks are valid"),
        })
        .collect())
}

#[cfg(feature = "schema")]
pub use crate::schema::Schema;
