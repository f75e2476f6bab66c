//! Host-side bindings of the `outrig:tool` WIT package (`wit/tool.wit`).

wasmtime::component::bindgen!({
    path: "../../wit",
    world: "plugin",
});
