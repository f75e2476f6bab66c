//! Host-side bindings of every `outrig:tool` WIT version (`wit/<version>/tool.wit`). Each
//! version is frozen; a plugin built against any of them loads.

/// `outrig:tool@0.1.0`: the `tool` export and the `host` import.
#[allow(missing_docs)]
pub mod v1 {
    wasmtime::component::bindgen!({
        path: "../../wit/0.1.0",
        world: "plugin",
        exports: { default: async },
    });
}

/// `outrig:tool@0.2.0`: 0.1.0 plus `wasi:http/outgoing-handler` (linked from
/// `wasmtime-wasi-http`, not generated here).
#[allow(missing_docs)]
pub mod v2 {
    wasmtime::component::bindgen!({
        path: "../../wit/0.2.0",
        world: "plugin",
        exports: { default: async },
        with: {
            "wasi:http": wasmtime_wasi_http::p2::bindings::http,
            "wasi:io": wasmtime_wasi::p2::bindings::io,
            "wasi:clocks": wasmtime_wasi::p2::bindings::clocks,
            "wasi:cli": wasmtime_wasi::p2::bindings::cli,
        },
    });
}
