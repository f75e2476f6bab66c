//! The tool host: every loaded plugin, an index of tool names, and `call`, which runs one
//! call in a fresh instance under its plugin's limits and always returns a result the model
//! can read: plugin errors, traps, timeouts and limit hits become `is_error` results.

use crate::bindings::exports::outrig::tool::tool::{Content, ToolError};
use crate::engine::ToolEngine;
use crate::grants::HostConfig;
use crate::plugin::{linker, LoadedPlugin, ToolInfo};
use base64::Engine as _;
use outrig_api::content::ContentBlock;
use outrig_api::objects::{CustomTool, Tool};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::{Store, Trap};

/// What one call produced.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    /// Result content for `user.custom_tool_result`.
    pub content: Vec<ContentBlock>,
    /// Whether it reports a failure.
    pub is_error: bool,
    /// Time from start to result.
    pub elapsed: Duration,
    /// Log lines the plugin wrote (capped).
    pub logs: Vec<String>,
}

impl CallOutcome {
    fn error(message: String, started: Instant) -> Self {
        CallOutcome {
            content: vec![ContentBlock::text(message)],
            is_error: true,
            elapsed: started.elapsed(),
            logs: Vec::new(),
        }
    }
}

/// Loaded plugins and their tools.
pub struct ToolHost {
    engine: ToolEngine,
    plugins: Vec<LoadedPlugin>,
    index: HashMap<String, (usize, usize)>,
}

impl ToolHost {
    /// Loads every plugin of a grants file. Any invalid plugin or tool-name collision is an
    /// error here, at load time, never at call time.
    pub fn load(config: &HostConfig) -> anyhow::Result<Self> {
        let engine = ToolEngine::new(
            config
                .cache_dir
                .clone()
                .unwrap_or_else(ToolEngine::default_cache_dir),
        )?;
        let linker = linker(&engine)?;
        let mut plugins: Vec<LoadedPlugin> = Vec::new();
        let mut index = HashMap::new();
        for plugin_config in &config.plugins {
            let plugin = LoadedPlugin::load(&engine, &linker, plugin_config)?;
            for (t, tool) in plugin.tools.iter().enumerate() {
                if let Some((other, _)) = index.insert(tool.name.clone(), (plugins.len(), t)) {
                    anyhow::bail!(
                        "tool `{}` of {} collides with the one of {}; give one plugin a `prefix`",
                        tool.name,
                        plugin.path.display(),
                        plugins[other].path.display()
                    );
                }
            }
            plugins.push(plugin);
        }
        Ok(ToolHost {
            engine,
            plugins,
            index,
        })
    }

    /// The loaded plugins.
    pub fn plugins(&self) -> &[LoadedPlugin] {
        &self.plugins
    }

    /// Every tool, in load order.
    pub fn tools(&self) -> impl Iterator<Item = &ToolInfo> {
        self.plugins.iter().flat_map(|p| p.tools.iter())
    }

    /// Whether this host serves a tool of this name.
    pub fn serves(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The tools as Managed Agents custom tool definitions.
    pub fn custom_tools(&self) -> Vec<Tool> {
        self.tools()
            .map(|tool| {
                Tool::Custom(CustomTool {
                    name: tool.name.clone(),
                    description: tool.description.clone(),
                    input_schema: tool.input_schema.clone(),
                    extra: Default::default(),
                })
            })
            .collect()
    }

    /// Runs one call to completion on this thread (blocking).
    pub fn call(&self, name: &str, input: &Value) -> CallOutcome {
        self.call_cancellable(name, input, Arc::new(AtomicBool::new(false)))
    }

    /// Like [`ToolHost::call`]; setting `cancelled` makes the plugin's `cancelled()` true.
    pub fn call_cancellable(
        &self,
        name: &str,
        input: &Value,
        cancelled: Arc<AtomicBool>,
    ) -> CallOutcome {
        let started = Instant::now();
        let Some(&(p, t)) = self.index.get(name) else {
            return CallOutcome::error(
                format!("no tool named `{name}` is served by this host"),
                started,
            );
        };
        let plugin = &self.plugins[p];
        let limits = plugin.sandbox.limits;
        let state = match plugin.sandbox.call_state(cancelled) {
            Ok(state) => state,
            Err(error) => {
                return CallOutcome::error(
                    format!("cannot prepare the sandbox: {error:#}"),
                    started,
                )
            }
        };
        let mut store = Store::new(&self.engine.engine, state);
        store.limiter(|state| &mut state.limits);
        store.set_epoch_deadline(self.engine.deadline(limits.timeout_ms));
        let input_text = input.to_string();
        let result = plugin.pre.instantiate(&mut store).and_then(|instance| {
            instance.outrig_tool_tool().call_call(
                &mut store,
                &plugin.tools[t].plugin_name,
                &input_text,
            )
        });
        let state = store.into_data();
        let mut logs: Vec<String> = state
            .logs
            .iter()
            .map(|l| format!("[{}] {}", l.level, l.message))
            .collect();
        if state.logs_dropped > 0 {
            logs.push(format!(
                "[warn] {} bytes of logs dropped over the {}-byte limit",
                state.logs_dropped, limits.log_bytes
            ));
        }
        let (content, is_error) = match result {
            Ok(Ok(content)) => match convert(content, limits.output_bytes) {
                Ok(blocks) => (blocks, false),
                Err(message) => (vec![ContentBlock::text(message)], true),
            },
            Ok(Err(ToolError::InvalidInput(message))) => (
                vec![ContentBlock::text(format!("invalid input: {message}"))],
                true,
            ),
            Ok(Err(ToolError::Failed(message))) => (
                vec![ContentBlock::text(format!("tool failed: {message}"))],
                true,
            ),
            Err(error) => (
                vec![ContentBlock::text(describe_trap(
                    &error,
                    limits.timeout_ms,
                    limits.memory_mib,
                    &state.stderr.contents(),
                ))],
                true,
            ),
        };
        CallOutcome {
            content,
            is_error,
            elapsed: started.elapsed(),
            logs,
        }
    }
}

/// Plugin content as API content blocks, refusing results over `cap` bytes.
fn convert(content: Vec<Content>, cap: usize) -> Result<Vec<ContentBlock>, String> {
    let size: usize = content
        .iter()
        .map(|c| match c {
            Content::Text(t) | Content::Json(t) => t.len(),
            Content::Image(i) => i.data.len() * 4 / 3,
        })
        .sum();
    if size > cap {
        return Err(format!(
            "the tool returned {size} bytes, over the {cap}-byte output limit"
        ));
    }
    Ok(content
        .into_iter()
        .map(|c| match c {
            Content::Text(text) | Content::Json(text) => ContentBlock::text(text),
            Content::Image(image) => serde_json::from_value(json!({
                "type": "image",
                "source": {"type": "base64", "media_type": image.media_type, "data": base64::engine::general_purpose::STANDARD.encode(&image.data)}
            }))
            .expect("image blocks are valid"),
        })
        .collect())
}

/// A message for the model about why a call died.
fn describe_trap(
    error: &wasmtime::Error,
    timeout_ms: u64,
    memory_mib: u64,
    stderr: &[u8],
) -> String {
    let text = format!("{error:#}");
    let detail = match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => {
            return format!("the tool was stopped after its {timeout_ms} ms time limit")
        }
        Some(Trap::StackOverflow) => "the tool overflowed its stack".to_string(),
        _ if text.contains("forcing trap when growing memory") => {
            return format!("the tool exceeded its {memory_mib} MiB memory limit")
        }
        Some(trap) => format!("the tool crashed: {trap}"),
        None => format!("the tool crashed: {}", error.root_cause()),
    };
    let stderr = String::from_utf8_lossy(stderr);
    // The last line that is not a hint (a Rust panic ends with "note: run with RUST_BACKTRACE").
    match stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("note:"))
    {
        Some(last) => format!("{detail} ({last})"),
        None => detail,
    }
}
