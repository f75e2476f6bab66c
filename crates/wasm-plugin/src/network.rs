//! The network grant of a plugin at the edge: the native host's rule
//! (`outrig_api::network`), asked before every `fetch` the plugin's `wasi:http` makes.

use outrig_api::network::NetworkGrant;
use wasm_bindgen::prelude::*;

/// The origins a plugin may reach, and whether they may be private addresses.
#[wasm_bindgen]
pub struct NetworkRule(NetworkGrant);

#[wasm_bindgen]
impl NetworkRule {
    /// Parses `grants.network` (JSON: a list of `scheme://host:port`) and
    /// `grants.allow_private`; throws the reason an entry is malformed.
    #[wasm_bindgen(constructor)]
    pub fn new(network: &str, allow_private: bool) -> Result<NetworkRule, JsError> {
        let entries: Vec<String> = serde_json::from_str(network)?;
        NetworkGrant::parse(&entries, allow_private)
            .map(NetworkRule)
            .map_err(|e| JsError::new(&e))
    }

    /// Why a request to `scheme://host:port` is refused (a host that is an address, or
    /// `localhost`, must also be public unless `allow_private`), or `undefined`.
    pub fn refuses(&self, scheme: &str, host: &str, port: u16) -> Option<String> {
        self.0
            .check_request(scheme, host, port)
            .err()
            .map(str::to_string)
    }

    /// Whether any origin is granted.
    pub fn any(&self) -> bool {
        self.0.any()
    }
}
