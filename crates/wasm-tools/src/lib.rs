//! `outrig-wasm-tools`: what the npm package needs to answer tool calls, in a wasm module of
//! its own that programs which only stream never load: Standard Webhooks verification for
//! `createToolWebhook`, the session machine (`outrig_api::state::SessionState`) that
//! `runTools`, `createToolWebhook` and the page are loops over.
#![warn(missing_docs)]

mod session;
mod webhook;

pub use session::SessionMachine;
pub use webhook::verify_webhook;
