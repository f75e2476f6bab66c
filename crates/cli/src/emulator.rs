//! `outrig emulator`: serve the local Managed Agents API.

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Options of `outrig emulator`.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:4010")]
    addr: SocketAddr,
    /// SQLite database file (`:memory:` for a throwaway one). Default: under the user's
    /// data directory.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Directory of scenario files (NAME.json), chosen by agent `metadata.scenario`.
    #[arg(long)]
    scenarios: Option<PathBuf>,
    /// Accepted API key (repeatable). None = any key, with a warning.
    #[arg(long = "api-key")]
    api_keys: Vec<String>,
    /// Requests per second before answering 429.
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Largest accepted request body in bytes (larger ones get 413).
    #[arg(long, default_value_t = 32 << 20)]
    max_body: usize,
    /// Start from a snapshot (`GET /_outrig/snapshot`), copied to `--db` (which must not
    /// exist) or to a fresh file.
    #[arg(long)]
    snapshot: Option<PathBuf>,
    /// Derive ids from this seed: two runs that do the same things get the same ids.
    #[arg(long)]
    seed: Option<u64>,
    /// Read timestamps from this clock: `2026-01-01T00:00:00Z` (fixed) or
    /// `2026-01-01T00:00:00Z+1ms` (advanced by a step at each reading).
    #[arg(long)]
    clock: Option<outrig_emulator::determinism::Clock>,
    /// Serve the API as `first-party` (default) or as Amazon `bedrock` does: under
    /// `/anthropic`, every request signed with AWS SigV4 (or a Bedrock API key as Bearer).
    #[arg(long, value_enum, default_value = "first-party")]
    platform: Platform,
    /// With `--platform bedrock`: the region requests must be signed for.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// With `--platform bedrock`: an accepted key pair, `ACCESS_KEY_ID:SECRET`, or
    /// `ACCESS_KEY_ID:SECRET:ROLE_ARN` for a key whose requests that IAM role makes
    /// (`created_by`, `sent_by`, `created_by_me`) (repeatable).
    #[arg(
        long = "aws-key",
        env = "OUTRIG_AWS_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    aws_keys: Vec<String>,
    /// With `--platform bedrock`: the MCP server that stands for an AgentCore gateway its
    /// agents name, `GATEWAY_ARN=MCP_URL` (repeatable).
    #[arg(long = "agentcore-gateway")]
    gateways: Vec<String>,
    /// Serve a recorded transcript (JSON lines of events) as a session, or the sessions of
    /// a `--record` directory (streams replay them at their recorded pace).
    #[arg(long)]
    replay: Option<PathBuf>,
    /// Forward every API request to this API (e.g. https://api.anthropic.com; the key each
    /// request carries is passed through, never written) and record its sessions into
    /// `--record`.
    #[arg(long, requires = "record")]
    record_from: Option<String>,
    /// The directory a recording is written to (new or empty).
    #[arg(long, requires = "record_from")]
    record: Option<PathBuf>,
    /// Serve the static page in this directory at `/`.
    #[arg(long)]
    www: Option<PathBuf>,
    /// Send webhooks (session status changes, signed) to this URL (repeatable: every URL
    /// receives every event).
    #[arg(long = "webhook", requires = "webhook_secret")]
    webhooks: Vec<String>,
    /// The `whsec_…` secret webhooks are signed with.
    #[arg(long, env = "OUTRIG_WEBHOOK_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// Duplicate, delay and reorder webhook deliveries (to test a receiver).
    #[arg(long)]
    webhook_chaos: bool,
    /// Serve the admin surface: the request journal at `/_outrig/requests` (every request
    /// received, credentials redacted). Beyond loopback it needs `--admin-token`.
    #[arg(long)]
    admin: bool,
    /// Chaos rules to start with (a JSON array of the rules `/_outrig/chaos` takes).
    #[arg(long, requires = "admin")]
    chaos: Option<PathBuf>,
    /// Serve the admin surface on this address instead of the API's.
    #[arg(long, requires = "admin")]
    admin_addr: Option<SocketAddr>,
    /// The token admin requests must carry in `x-outrig-admin-token`.
    #[arg(
        long,
        env = "OUTRIG_ADMIN_TOKEN",
        hide_env_values = true,
        requires = "admin"
    )]
    admin_token: Option<String>,
    #[command(flatten)]
    listen_limits: crate::listen_args::ListenArgs,
}

/// Which API the emulator serves.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Platform {
    /// The first-party API.
    FirstParty,
    /// Amazon Bedrock's.
    Bedrock,
}

/// The Bedrock settings of `--platform bedrock`, its key pairs read from `ID:SECRET`.
fn bedrock(args: &EmulatorArgs) -> anyhow::Result<Option<outrig_emulator::bedrock::Bedrock>> {
    if !matches!(args.platform, Platform::Bedrock) {
        anyhow::ensure!(
            args.aws_keys.is_empty() && args.gateways.is_empty(),
            "--aws-key and --agentcore-gateway need --platform bedrock"
        );
        return Ok(None);
    }
    let (mut keys, mut roles) = (Vec::new(), Vec::new());
    for given in &args.aws_keys {
        // ID:SECRET, or ID:SECRET:ROLE_ARN (the ARN holds colons; a secret does not).
        let mut parts = given.splitn(3, ':');
        let (id, secret, role) = (parts.next(), parts.next(), parts.next());
        let (Some(id), Some(secret)) = (id, secret) else {
            anyhow::bail!("--aws-key takes ACCESS_KEY_ID:SECRET[:ROLE_ARN]");
        };
        anyhow::ensure!(
            !id.is_empty()
                && !secret.is_empty()
                && role.is_none_or(|r| r.starts_with("arn:aws:iam::")),
            "--aws-key takes ACCESS_KEY_ID:SECRET[:ROLE_ARN] (an `arn:aws:iam::ACCOUNT:role/NAME`)"
        );
        keys.push((id.to_string(), outrig_api::request::Secret::new(secret)));
        if let Some(role) = role {
            roles.push((id.to_string(), role.to_string()));
        }
    }
    let gateways = args
        .gateways
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .filter(|(arn, url)| arn.starts_with("arn:") && url.starts_with("http"))
                .map(|(arn, url)| (arn.to_string(), url.to_string()))
                .ok_or_else(|| anyhow::anyhow!("--agentcore-gateway takes GATEWAY_ARN=MCP_URL"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(outrig_emulator::bedrock::Bedrock {
        region: args.region.clone(),
        keys,
        roles,
        gateways,
    }))
}

fn default_db() -> anyhow::Result<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| anyhow::anyhow!("cannot find a data directory; pass --db"))?;
    let dir = base.join("outrig");
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join("emulator.sqlite"))
}

/// Runs the emulator until Ctrl-C.
pub async fn run(args: EmulatorArgs) -> anyhow::Result<()> {
    let bedrock = bedrock(&args)?;
    let config = outrig_emulator::Config {
        addr: args.addr,
        db: match args.db {
            Some(db) => db,
            // From a snapshot, the default is a fresh copy, not the user's database; a
            // recording proxy keeps nothing.
            None if args.snapshot.is_some() || args.record_from.is_some() => {
                PathBuf::from(":memory:")
            }
            None => default_db()?,
        },
        api_keys: args.api_keys,
        scenarios: args.scenarios,
        rate_limit: args.rate_limit,
        replay: args.replay,
        record: args
            .record_from
            .zip(args.record)
            .map(|(upstream, dir)| outrig_emulator::record::Recording { upstream, dir }),
        www: args.www,
        max_body: args.max_body,
        webhooks: args
            .webhook_secret
            .map(|secret| outrig_emulator::webhooks::WebhookConfig {
                urls: args.webhooks,
                secret,
                chaos: args.webhook_chaos,
            }),
        limits: args.listen_limits.limits()?,
        admin: args.admin.then_some(outrig_emulator::config::Admin {
            token: args.admin_token,
            addr: args.admin_addr,
        }),
        chaos: args.chaos,
        snapshot: args.snapshot,
        seed: args.seed,
        clock: args.clock,
        bedrock,
        ..Default::default()
    };
    let db = config.db.clone();
    let running = outrig_emulator::start(config).await?;
    eprintln!(
        "outrig emulator on {} (db {})",
        running.base_url(),
        db.display()
    );
    if let Some(session) = &running.replay_session {
        eprintln!("replay session: {session}");
    }
    if let Some(addr) = running.admin_addr {
        eprintln!("admin surface on http://{addr}");
    }
    for session in &running.replayed_sessions {
        eprintln!("replayed session: {session}");
    }
    tokio::select! {
        result = running.wait() => result?,
        _ = crate::host::shutdown_signal() => eprintln!("stopping"),
    }
    Ok(())
}
