//! `outrig-wasm-plugin`: the plugin contract (`outrig_api::plugin`) for the npm package's
//! edge runner (`outrig/plugin`): the same declaration checks, compiled JSON Schemas and
//! result conversion as the native host. A wasm module of its own, loaded by `loadPlugin`
//! only (JSON Schema compilation is most of its size). Values cross as JSON text.
#![warn(missing_docs)]

mod network;
pub use network::NetworkRule;

use outrig_api::plugin::{
    check_declarations, convert_result, valid_name, ContractLimits, Declared, PluginContent, Schema,
};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// A plugin's checked declarations and compiled schemas.
#[wasm_bindgen]
pub struct PluginContract {
    tools: Vec<(String, Schema, Option<Schema>)>,
    definitions: String,
    limits: ContractLimits,
}

#[wasm_bindgen]
impl PluginContract {
    /// Checks `describe()`'s specs (JSON: `[{name, description, inputSchema, outputSchema?,
    /// hints: {readOnly, destructive, idempotent}}]`) under `limits` (JSON, the
    /// `DEFAULT_LIMITS` names); throws the reason they are refused.
    #[wasm_bindgen(constructor)]
    pub fn new(specs: &str, limits: &str) -> Result<PluginContract, JsError> {
        let limits = parse_limits(limits)?;
        let specs: Value = serde_json::from_str(specs)?;
        let text = |spec: &Value, key: &str| spec[key].as_str().map(str::to_string);
        let declared: Vec<Declared> = specs
            .as_array()
            .ok_or_else(|| JsError::new("describe() did not return a list"))?
            .iter()
            .map(|spec| Declared {
                name: text(spec, "name").unwrap_or_default(),
                description: text(spec, "description").unwrap_or_default(),
                input_schema: text(spec, "inputSchema").unwrap_or_default(),
                output_schema: text(spec, "outputSchema"),
                read_only: spec["hints"]["readOnly"].as_bool().unwrap_or(false),
                destructive: spec["hints"]["destructive"].as_bool().unwrap_or(false),
                idempotent: spec["hints"]["idempotent"].as_bool().unwrap_or(false),
            })
            .collect();
        let (checked, schemas) = check_declarations(&declared, "", &limits, Schema::compile)
            .map_err(|e| JsError::new(&format!("describe() {e}")))?;
        let definitions: Vec<Value> = checked
            .iter()
            .map(|tool| {
                json!({"type": "custom", "name": tool.name, "description": tool.description, "input_schema": tool.input_schema})
            })
            .collect();
        Ok(PluginContract {
            definitions: Value::Array(definitions).to_string(),
            tools: checked
                .into_iter()
                .zip(schemas)
                .map(|(tool, (input, output))| (tool.name, input, output))
                .collect(),
            limits,
        })
    }

    /// The custom tool definitions for `agents.create`, as JSON.
    pub fn definitions(&self) -> String {
        self.definitions.clone()
    }

    /// Why `input` (JSON) is not valid input for the tool `name`, or `undefined`.
    #[wasm_bindgen(js_name = checkInput)]
    pub fn check_input(&self, name: &str, input: &str) -> Option<String> {
        let (_, schema, _) = self.tools.iter().find(|(tool, ..)| tool == name)?;
        let document: Value = match serde_json::from_str(input) {
            Ok(document) => document,
            Err(e) => return Some(format!("the input is not JSON: {e}")),
        };
        schema.check(&document).err()
    }

    /// A result of the tool `name` as API content: `content` is JSON of the WIT blocks
    /// (`[{tag: "text"|"json", val}, {tag: "image", val: {mediaType, data: [bytes]}}]`);
    /// answers JSON `{content, isError}` (a refused result is an error with the reason).
    pub fn convert(&self, name: &str, content: &str) -> String {
        let output = self
            .tools
            .iter()
            .find(|(tool, ..)| tool == name)
            .and_then(|(_, _, output)| output.as_ref());
        let converted = plugin_content(content)
            .map_err(|e| e.to_string())
            .and_then(|content| {
                convert_result(content, &self.limits, |document| match output {
                    Some(schema) => schema.check(document),
                    None => Ok(()),
                })
                .map_err(|e| e.to_string())
            });
        match converted {
            Ok(blocks) => json!({"content": blocks, "isError": false}),
            Err(message) => {
                json!({"content": [{"type": "text", "text": message}], "isError": true})
            }
        }
        .to_string()
    }
}

/// Whether `name` is a valid tool name (1–64 bytes of `[A-Za-z0-9_-]`).
#[wasm_bindgen(js_name = validToolName)]
pub fn valid_tool_name(name: &str) -> bool {
    valid_name(name)
}

fn parse_limits(text: &str) -> Result<ContractLimits, JsError> {
    let given: Value = serde_json::from_str(text)?;
    let mut limits = ContractLimits::DEFAULT;
    let number = |key: &str| given.get(key).and_then(Value::as_u64);
    let size = |key: &str, default: usize| number(key).map_or(default, |n| n as usize);
    limits.timeout_ms = number("timeout_ms").unwrap_or(limits.timeout_ms);
    limits.output_bytes = size("output_bytes", limits.output_bytes);
    limits.output_blocks = size("output_blocks", limits.output_blocks);
    limits.log_bytes = size("log_bytes", limits.log_bytes);
    limits.log_lines = size("log_lines", limits.log_lines);
    limits.max_tools = size("max_tools", limits.max_tools);
    limits.max_description_bytes = size("max_description_bytes", limits.max_description_bytes);
    limits.max_schema_bytes = size("max_schema_bytes", limits.max_schema_bytes);
    Ok(limits)
}

/// The WIT content blocks, from JSON.
fn plugin_content(text: &str) -> Result<Vec<PluginContent>, serde_json::Error> {
    let blocks: Vec<Value> = serde_json::from_str(text)?;
    Ok(blocks
        .into_iter()
        .map(|block| {
            let value = &block["val"];
            match block["tag"].as_str() {
                Some("json") => PluginContent::Json(value.as_str().unwrap_or_default().into()),
                Some("image") => PluginContent::Image {
                    media_type: value["mediaType"].as_str().unwrap_or_default().into(),
                    data: value["data"]
                        .as_array()
                        .map(|bytes| {
                            bytes
                                .iter()
                                .filter_map(|b| b.as_u64())
                                .map(|b| b as u8)
                                .collect()
                        })
                        .unwrap_or_default(),
                },
                _ => PluginContent::Text(value.as_str().unwrap_or_default().into()),
            }
        })
        .collect())
}
