//! Which service the CLI talks to: the SDKs' environment variables, and a local emulator
//! when no API key is set; or Amazon Bedrock (`--platform bedrock`), signed with the
//! standard AWS variables.

use anyhow::Context;
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
    /// Where Managed Agents is served: `first-party` (default), or Amazon `bedrock`
    /// (requests signed with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the keys of
    /// the AWS profile AWS_PROFILE in ~/.aws/credentials or ~/.aws/config; or a Bedrock
    /// API key in AWS_BEARER_TOKEN_BEDROCK).
    #[arg(long, global = true, value_enum, default_value = "first-party")]
    pub platform: Platform,
    /// With `--platform bedrock`: the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION,
    /// the profile's `region`).
    #[arg(long, global = true)]
    pub region: Option<String>,
}

/// Where Managed Agents is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// The first-party API.
    FirstParty,
    /// Amazon Bedrock's.
    Bedrock,
}

impl Connection {
    /// A client for these flags and the environment.
    pub fn client(&self) -> anyhow::Result<Client> {
        Ok(Client::with_transport(
            self.options()?,
            outrig_host::trace::Traced::default_transport(),
        ))
    }

    /// The client settings these flags and the environment give.
    pub fn options(&self) -> anyhow::Result<ClientOptions> {
        if self.platform == Platform::Bedrock {
            return self.bedrock();
        }
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
        Ok(options)
    }

    /// Amazon Bedrock in `--region`, at `--base-url` if given.
    fn bedrock(&self) -> anyhow::Result<ClientOptions> {
        let region = self
            .region
            .clone()
            .or_else(outrig_client::aws_config::region)
            .context(
                "--platform bedrock needs --region, AWS_REGION or a region in the AWS profile",
            )?;
        // A Bedrock API key (the SDKs' variable) replaces signing.
        let api_key = std::env::var("AWS_BEARER_TOKEN_BEDROCK")
            .ok()
            .filter(|k| !k.is_empty());
        let mut options = match api_key {
            Some(key) => ClientOptions::bedrock_api_key(&region, Secret::new(key)),
            None => ClientOptions::bedrock(&region, outrig_client::aws_config::credentials()?),
        };
        if let Some(url) = &self.base_url {
            options.base_url = url.clone();
        }
        Ok(options)
    }
}
