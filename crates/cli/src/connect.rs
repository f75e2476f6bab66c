//! Which service the CLI talks to: the SDKs' environment variables, and a local emulator
//! when no API key is set.

use clap::Args;
use outrig_api::request::Secret;
use outrig_client::{Client, ClientOptions};

/// The local emulator's default address.
pub const LOCAL_EMULATOR: &str = "http://127.0.0.1:4010";

/// Connection flags shared by API commands.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// Base URL (default: ANTHROPIC_BASE_URL; else the real service when ANTHROPIC_API_KEY
    /// is set, else a local emulator at 127.0.0.1:4010).
    #[arg(long, global = true)]
    pub base_url: Option<String>,
}

impl Connection {
    /// A client for these flags and the environment.
    pub fn client(&self) -> Client {
        Client::with_transport(
            self.options(),
            outrig_host::trace::Traced::default_transport(),
        )
    }

    /// The client settings these flags and the environment give.
    pub fn options(&self) -> ClientOptions {
        let mut options = ClientOptions::from_env();
        let has_key = options.api_key.is_some();
        if let Some(url) = &self.base_url {
            options.base_url = url.clone();
        } else if std::env::var_os("ANTHROPIC_BASE_URL").is_none() && !has_key {
            options.base_url = LOCAL_EMULATOR.to_string();
        }
        if !has_key {
            // The emulator accepts any key unless started with --api-key.
            options.api_key = Some(Secret::new("outrig-local"));
        }
        options
    }
}
