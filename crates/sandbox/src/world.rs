//! One view of a plugin whatever `outrig:tool` version it was built against: it is
//! instantiated and called through its version's bindings, and its answers are converted
//! to the version-neutral types below.

use crate::bindings::{v1, v2};
use crate::sandbox::CallState;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::Store;

/// The WIT versions this host loads, oldest first.
pub const VERSIONS: [&str; 2] = ["0.1.0", "0.2.0"];

pub use v2::exports::outrig::tool::tool::{Content, ToolError};
pub use v2::outrig::tool::types::{Hints, Image, ToolSpec};

/// A plugin ready to instantiate per call.
pub enum PluginPre {
    /// Built against `outrig:tool@0.1.0`.
    V1(v1::PluginPre<CallState>),
    /// Built against `outrig:tool@0.2.0`.
    V2(v2::PluginPre<CallState>),
}

/// Adds the `host` interface of every version to a linker.
pub fn add_host_interfaces(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    v1::outrig::tool::host::add_to_linker::<_, HasSelf<_>>(linker, |state| state)?;
    v1::outrig::tool::types::add_to_linker::<_, HasSelf<_>>(linker, |state| state)?;
    v2::outrig::tool::host::add_to_linker::<_, HasSelf<_>>(linker, |state| state)?;
    v2::outrig::tool::types::add_to_linker::<_, HasSelf<_>>(linker, |state| state)?;
    Ok(())
}

impl PluginPre {
    /// Picks the version the component exports and pre-instantiates it.
    pub fn new(linker: &Linker<CallState>, component: &Component) -> anyhow::Result<Self> {
        let exports: Vec<String> = component
            .component_type()
            .exports(linker.engine())
            .map(|(name, _)| name.to_string())
            .collect();
        let version = VERSIONS
            .iter()
            .rev()
            .find(|v| exports.contains(&format!("outrig:tool/tool@{v}")))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "exports {exports:?}, not `outrig:tool/tool` of a version this host loads ({})",
                    VERSIONS.join(", ")
                )
            })?;
        let pre = linker
            .instantiate_pre(component)
            .map_err(|e| anyhow::anyhow!("needs imports this host does not provide: {e:#}"))?;
        Ok(match *version {
            "0.1.0" => PluginPre::V1(v1::PluginPre::new(pre)?),
            _ => PluginPre::V2(v2::PluginPre::new(pre)?),
        })
    }

    /// The `outrig:tool` version the plugin was built against.
    pub fn version(&self) -> &'static str {
        match self {
            PluginPre::V1(_) => VERSIONS[0],
            PluginPre::V2(_) => VERSIONS[1],
        }
    }

    /// Instantiates the plugin in `store` and asks for its tools (`describe()`) and the
    /// origins they call (`origins()`; 0.1.0 plugins cannot say: none).
    pub async fn describe(
        &self,
        store: &mut Store<CallState>,
    ) -> wasmtime::Result<(Vec<ToolSpec>, Vec<String>)> {
        Ok(match self {
            PluginPre::V1(pre) => {
                let plugin = pre.instantiate_async(&mut *store).await?;
                let specs = plugin.outrig_tool_tool().call_describe(&mut *store).await?;
                (specs.into_iter().map(spec_from_v1).collect(), Vec::new())
            }
            PluginPre::V2(pre) => {
                let plugin = pre.instantiate_async(&mut *store).await?;
                let tool = plugin.outrig_tool_tool();
                let specs = tool.call_describe(&mut *store).await?;
                (specs, tool.call_origins(&mut *store).await?)
            }
        })
    }

    /// Instantiates the plugin in `store` and calls tool `name` with `input`.
    pub async fn call(
        &self,
        store: &mut Store<CallState>,
        name: &str,
        input: &str,
    ) -> wasmtime::Result<Result<Vec<Content>, ToolError>> {
        Ok(match self {
            PluginPre::V1(pre) => {
                let plugin = pre.instantiate_async(&mut *store).await?;
                let result = plugin
                    .outrig_tool_tool()
                    .call_call(&mut *store, name, input)
                    .await?;
                result
                    .map(|content| content.into_iter().map(content_from_v1).collect())
                    .map_err(error_from_v1)
            }
            PluginPre::V2(pre) => {
                let plugin = pre.instantiate_async(&mut *store).await?;
                plugin
                    .outrig_tool_tool()
                    .call_call(&mut *store, name, input)
                    .await?
            }
        })
    }
}

fn spec_from_v1(spec: v1::outrig::tool::types::ToolSpec) -> ToolSpec {
    ToolSpec {
        name: spec.name,
        description: spec.description,
        input_schema: spec.input_schema,
        output_schema: spec.output_schema,
        hints: Hints {
            read_only: spec.hints.read_only,
            destructive: spec.hints.destructive,
            idempotent: spec.hints.idempotent,
        },
    }
}

fn content_from_v1(content: v1::exports::outrig::tool::tool::Content) -> Content {
    use v1::exports::outrig::tool::tool::Content as V1;
    match content {
        V1::Text(text) => Content::Text(text),
        V1::Json(text) => Content::Json(text),
        V1::Image(image) => Content::Image(Image {
            media_type: image.media_type,
            data: image.data,
        }),
    }
}

fn error_from_v1(error: v1::exports::outrig::tool::tool::ToolError) -> ToolError {
    use v1::exports::outrig::tool::tool::ToolError as V1;
    match error {
        V1::InvalidInput(message) => ToolError::InvalidInput(message),
        V1::Failed(message) => ToolError::Failed(message),
    }
}
