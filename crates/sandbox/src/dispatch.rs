//! The tool host: every loaded plugin, an index of tool names, and `call`, which checks the
//! input against the tool's schema, runs the call in a fresh instance under its plugin's
//! limits and always returns a result the model can read: bad input, plugin errors, traps,
//! deadlines (whatever the plugin was doing: wasm code, a WASI sleep or read, an HTTP
//! request), interrupts and limit hits become `is_error` results.

use crate::engine::ToolEngine;
use crate::grants::{Limits, PluginConfig};
use crate::plugin::{linker, LoadedPlugin, ToolInfo};
use crate::sandbox::Progress;
use crate::world::{Content, ToolError};
use outrig_api::content::ContentBlock;
use outrig_api::objects::{CustomTool, Tool};
use outrig_api::plugin::{convert_result, PluginContent};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use wasmtime::Trap;

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
    /// The first `json` block's document, when the call succeeded and returned one (it has
    /// passed the tool's output schema): what MCP calls structured content.
    pub structured: Option<Value>,
}

impl CallOutcome {
    fn error(message: String, started: Instant) -> Self {
        CallOutcome {
            content: vec![ContentBlock::text(message)],
            is_error: true,
            elapsed: started.elapsed(),
            logs: Vec::new(),
            structured: None,
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
    /// Loads `plugins`, compiled once into `cache_dir` (default
    /// [`ToolEngine::default_cache_dir`]). Any invalid plugin or tool-name collision is an
    /// error here, at load time, never at call time.
    pub async fn load(
        plugins: &[PluginConfig],
        cache_dir: Option<PathBuf>,
    ) -> anyhow::Result<Self> {
        let engine = ToolEngine::new(cache_dir.unwrap_or_else(ToolEngine::default_cache_dir))?;
        let linker = linker(&engine)?;
        let configs = plugins;
        let mut plugins: Vec<LoadedPlugin> = Vec::new();
        let mut index = HashMap::new();
        for plugin_config in configs {
            let plugin = LoadedPlugin::load(&engine, &linker, plugin_config).await?;
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

    /// Whether the tool says running it twice with the same input has no further effect.
    pub fn is_idempotent(&self, name: &str) -> bool {
        self.index
            .get(name)
            .is_some_and(|&(p, t)| self.plugins[p].tools[t].hints.contains(&"idempotent"))
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

    /// Runs one call to completion.
    pub async fn call(&self, name: &str, input: &Value) -> CallOutcome {
        self.call_cancellable(name, input, CancellationToken::new())
            .await
    }

    /// Like [`ToolHost::call`]; cancelling `cancel` makes the plugin's `cancelled()` true,
    /// and stops the call once its plugin's `cancel_grace_ms` has passed.
    pub async fn call_cancellable(
        &self,
        name: &str,
        input: &Value,
        cancel: CancellationToken,
    ) -> CallOutcome {
        self.call_reporting(name, input, cancel, watch::channel(None).0)
            .await
    }

    /// Like [`ToolHost::call_cancellable`]; the plugin's `progress` reports go to `progress`
    /// (only the newest is kept). The call is a `run` span (tool, plugin, outcome, duration;
    /// never the input or the result), the parent of its plugin's HTTP requests.
    pub async fn call_reporting(
        &self,
        name: &str,
        input: &Value,
        cancel: CancellationToken,
        progress: watch::Sender<Option<Progress>>,
    ) -> CallOutcome {
        let span = tracing::info_span!(
            "run",
            outrig.tool = name,
            outrig.plugin = tracing::field::Empty,
            outrig.plugin.sha256 = tracing::field::Empty,
            outrig.outcome = tracing::field::Empty,
            outrig.is_error = tracing::field::Empty,
            outrig.duration_ms = tracing::field::Empty,
        );
        let outcome = self
            .run(name, input, cancel, progress, &span)
            .instrument(span.clone())
            .await;
        span.record("outrig.is_error", outcome.is_error);
        span.record("outrig.duration_ms", outcome.elapsed.as_secs_f64() * 1e3);
        outcome
    }

    /// [`ToolHost::call_reporting`] within its span.
    async fn run(
        &self,
        name: &str,
        input: &Value,
        cancel: CancellationToken,
        progress: watch::Sender<Option<Progress>>,
        span: &tracing::Span,
    ) -> CallOutcome {
        let started = Instant::now();
        let Some(&(p, t)) = self.index.get(name) else {
            span.record("outrig.outcome", "unknown_tool");
            return CallOutcome::error(
                format!("no tool named `{name}` is served by this host"),
                started,
            );
        };
        let plugin = &self.plugins[p];
        let file = plugin
            .path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        span.record("outrig.plugin", &*file);
        span.record("outrig.plugin.sha256", plugin.sha256.as_str());
        let limits = plugin.sandbox.limits;
        let (input_schema, output_schema) = &plugin.schemas[t];
        if let Err(reason) = input_schema.check(input) {
            span.record("outrig.outcome", "invalid_input");
            return CallOutcome::error(format!("invalid input: {reason}"), started);
        }
        let (state, witness) = match plugin.sandbox.call_state(cancel.clone(), progress) {
            Ok(prepared) => prepared,
            Err(error) => {
                span.record("outrig.outcome", "sandbox_failed");
                return CallOutcome::error(
                    format!("cannot prepare the sandbox: {error:#}"),
                    started,
                );
            }
        };
        let deadline = started + Duration::from_millis(limits.timeout_ms);
        let mut store = self.engine.store(state, deadline);
        let input_text = input.to_string();
        let grace = Duration::from_millis(limits.cancel_grace_ms);
        // Dropping the call's future (at the deadline, or after an interrupt's grace period)
        // stops the plugin wherever it is, in wasm code or parked in a host call.
        let ended = tokio::select! {
            result = plugin.pre.call(&mut store, &plugin.tools[t].plugin_name, &input_text) => {
                Ended::Returned(result)
            }
            _ = tokio::time::sleep_until(deadline.into()) => Ended::Deadline,
            _ = async { cancel.cancelled().await; tokio::time::sleep(grace).await } => {
                Ended::Interrupted
            }
        };
        drop(store);
        span.record("outrig.outcome", ended.label());
        let mut structured = None;
        let (content, is_error) = match ended {
            Ended::Returned(Ok(Ok(content))) => {
                let content: Vec<PluginContent> = content.into_iter().map(plugin_content).collect();
                structured = content.iter().find_map(|block| match block {
                    PluginContent::Json(text) => serde_json::from_str(text).ok(),
                    _ => None,
                });
                let check = |document: &Value| match &output_schema {
                    Some(schema) => schema.check(document),
                    None => Ok(()),
                };
                match convert_result(content, &limits.contract(), check) {
                    Ok(blocks) => (blocks, false),
                    Err(refused) => {
                        span.record("outrig.outcome", "output_refused");
                        structured = None;
                        (vec![ContentBlock::text(refused.to_string())], true)
                    }
                }
            }
            Ended::Returned(Ok(Err(ToolError::InvalidInput(message)))) => (
                vec![ContentBlock::text(format!("invalid input: {message}"))],
                true,
            ),
            Ended::Returned(Ok(Err(ToolError::Failed(message)))) => (
                vec![ContentBlock::text(format!("tool failed: {message}"))],
                true,
            ),
            Ended::Returned(Err(error)) => (
                vec![ContentBlock::text(describe_trap(
                    &error,
                    &limits,
                    &witness.stderr.contents(),
                ))],
                true,
            ),
            Ended::Deadline => (vec![ContentBlock::text(over_time(&limits))], true),
            Ended::Interrupted => (
                vec![ContentBlock::text(format!(
                    "the call was interrupted and stopped {} ms after `cancelled()` became true",
                    limits.cancel_grace_ms
                ))],
                true,
            ),
        };
        CallOutcome {
            content,
            is_error,
            elapsed: started.elapsed(),
            logs: witness.log.lines(),
            structured,
        }
    }
}

/// How a call's future ended.
enum Ended {
    Returned(wasmtime::Result<Result<Vec<Content>, ToolError>>),
    Deadline,
    Interrupted,
}

impl Ended {
    /// The `outrig.outcome` of a `run` span.
    fn label(&self) -> &'static str {
        match self {
            Ended::Returned(Ok(Ok(_))) => "ok",
            Ended::Returned(Ok(Err(ToolError::InvalidInput(_)))) => "invalid_input",
            Ended::Returned(Ok(Err(ToolError::Failed(_)))) => "tool_failed",
            Ended::Returned(Err(error))
                if matches!(error.downcast_ref(), Some(Trap::Interrupt)) =>
            {
                "timeout"
            }
            Ended::Returned(Err(_)) => "trap",
            Ended::Deadline => "timeout",
            Ended::Interrupted => "interrupted",
        }
    }
}

fn over_time(limits: &Limits) -> String {
    format!(
        "the tool was stopped after its {} ms time limit",
        limits.timeout_ms
    )
}

/// A WIT content block as the contract's.
fn plugin_content(content: Content) -> PluginContent {
    match content {
        Content::Text(text) => PluginContent::Text(text),
        Content::Json(text) => PluginContent::Json(text),
        Content::Image(image) => PluginContent::Image {
            media_type: image.media_type,
            data: image.data,
        },
    }
}

/// A message for the model about why a call died.
fn describe_trap(error: &wasmtime::Error, limits: &Limits, stderr: &[u8]) -> String {
    let text = format!("{error:#}");
    let detail = match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => return over_time(limits),
        Some(Trap::StackOverflow) => "the tool overflowed its stack".to_string(),
        _ if text.contains("forcing trap when growing memory") => {
            return format!(
                "the tool exceeded its {} MiB memory limit",
                limits.memory_mib
            )
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
