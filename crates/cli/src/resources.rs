//! `outrig call`, and the resources a person manages by hand: `outrig vaults`, `skills`,
//! `memory-stores`, `deployments`. Every request is built from the route table in
//! `outrig-api` (ids percent-encoded, the right beta header).

use crate::api::{list, plain, print_list, print_one, Common};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use outrig_api::request::Query;
use outrig_api::routes::{self, Answer, Body, Route, ROUTES};
use outrig_client::UploadFile;
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

/// `outrig call ROUTE [ID…]`: any endpoint of the table.
#[derive(Debug, clap::Args)]
pub struct CallArgs {
    /// Route name, e.g. `vaults.credentials.list` (`--list` shows them all).
    route: Option<String>,
    /// The route's path ids, in order.
    ids: Vec<String>,
    /// Query parameter `key=value` (repeatable).
    #[arg(long = "query", value_parser = crate::api::key_value)]
    query: Vec<(String, String)>,
    /// JSON body, or `@FILE`, or `-` for stdin.
    #[arg(long)]
    body: Option<String>,
    /// List every route: name, method, path.
    #[arg(long)]
    list: bool,
}

/// Runs `outrig call`.
pub async fn call(args: CallArgs, common: Common) -> Result<()> {
    if args.list {
        for route in ROUTES {
            outln!("{:<45} {:<6} {}", route.name, route.method, route.path);
        }
        return Ok(());
    }
    let Some(name) = args.route else {
        bail!("name a route (see `outrig call --list`)");
    };
    let route = Route::named(&name)
        .with_context(|| format!("no route named `{name}` (see `outrig call --list`)"))?;
    let ids: Vec<&str> = args.ids.iter().map(String::as_str).collect();
    if ids.len() != route.params().count() {
        let params: Vec<&str> = route.params().collect();
        bail!(
            "`{name}` takes {} id(s): {}",
            params.len(),
            params.join(", ")
        );
    }
    let mut query = Query::new();
    for (key, value) in &args.query {
        query = query.opt(key, Some(value.as_str()));
    }
    let body = match args.body.as_deref() {
        None => None,
        Some("-") => Some(read_json(std::io::stdin())?),
        Some(text) => match text.strip_prefix('@') {
            Some(file) => Some(read_json(
                std::fs::File::open(file).with_context(|| file.to_string())?,
            )?),
            None => Some(serde_json::from_str(text).context("--body is not JSON")?),
        },
    };
    let client = common.client()?;
    let value: Value = match (route.answer, route.body) {
        (Answer::Stream, _) => bail!("`{name}` is a stream: use `outrig sessions stream`"),
        (Answer::Binary, _) => {
            use std::io::Write;
            let bytes = client.download(route, &ids).await?;
            crate::stdout::Stdout.write_all(&bytes)?;
            return Ok(());
        }
        (_, Body::Multipart) => bail!("`{name}` uploads files: use `outrig skills create DIR`"),
        _ => client.call(route, &ids, &query, body.as_ref()).await?,
    };
    print_one(&common, &value);
    Ok(())
}

fn read_json(reader: impl Read) -> Result<Value> {
    serde_json::from_reader(reader).context("the body is not JSON")
}

/// `outrig vaults …`
#[derive(Debug, Subcommand)]
pub enum VaultsCommand {
    /// Create a vault.
    Create {
        /// Name shown to people.
        #[arg(long)]
        name: String,
    },
    /// List vaults.
    List,
    /// Show a vault.
    Get {
        /// Vault id.
        id: String,
    },
    /// Archive a vault.
    Archive {
        /// Vault id.
        id: String,
    },
    /// Delete a vault and its credentials.
    Delete {
        /// Vault id.
        id: String,
    },
    /// List a vault's credentials (secrets are never shown).
    Credentials {
        /// Vault id.
        id: String,
    },
    /// Add a bearer token for an MCP server; the token is read from stdin, never argv.
    AddBearer {
        /// Vault id.
        id: String,
        /// The MCP server it authenticates to.
        #[arg(long)]
        mcp_server_url: String,
        /// Name shown to people.
        #[arg(long)]
        name: Option<String>,
    },
}

/// Runs `outrig vaults …`.
pub async fn vaults(command: VaultsCommand, common: Common) -> Result<()> {
    let client = common.client()?;
    let value = match command {
        VaultsCommand::Create { name } => {
            create(
                &client,
                &routes::VAULTS_CREATE,
                &[],
                json!({"display_name": name}),
            )
            .await?
        }
        VaultsCommand::List => {
            print_list(
                &common,
                list(&client, &routes::VAULTS_LIST, Query::new()).await?,
            );
            return Ok(());
        }
        VaultsCommand::Get { id } => plain(&client, &routes::VAULTS_RETRIEVE, &id).await?,
        VaultsCommand::Archive { id } => plain(&client, &routes::VAULTS_ARCHIVE, &id).await?,
        VaultsCommand::Delete { id } => plain(&client, &routes::VAULTS_DELETE, &id).await?,
        VaultsCommand::Credentials { id } => {
            let items = client
                .call_all(&routes::VAULTS_CREDENTIALS_LIST, &[&id], Query::new())
                .await?;
            print_list(&common, items);
            return Ok(());
        }
        VaultsCommand::AddBearer {
            id,
            mcp_server_url,
            name,
        } => {
            let mut token = String::new();
            std::io::stdin().read_to_string(&mut token)?;
            let token = token.trim();
            if token.is_empty() {
                bail!("pipe the token on stdin, e.g. `printenv LINEAR_TOKEN | outrig vaults add-bearer …`");
            }
            let body = json!({"display_name": name,
                "auth": {"type": "static_bearer", "token": token, "mcp_server_url": mcp_server_url}});
            create(&client, &routes::VAULTS_CREDENTIALS_CREATE, &[&id], body).await?
        }
    };
    print_one(&common, &value);
    Ok(())
}

async fn create(
    client: &outrig_client::Client,
    route: &Route,
    ids: &[&str],
    body: Value,
) -> Result<Value> {
    Ok(client.call(route, ids, &Query::new(), Some(&body)).await?)
}

/// `outrig skills …`
#[derive(Debug, Subcommand)]
pub enum SkillsCommand {
    /// Upload a skill folder (it must hold `SKILL.md`); with `--skill`, a new version of it.
    Create {
        /// The folder.
        dir: PathBuf,
        /// Name shown to people.
        #[arg(long)]
        name: Option<String>,
        /// Upload as a new version of this skill.
        #[arg(long)]
        skill: Option<String>,
    },
    /// List skills.
    List,
    /// Show a skill.
    Get {
        /// Skill id.
        id: String,
    },
    /// List a skill's versions.
    Versions {
        /// Skill id.
        id: String,
    },
    /// Write a version's files as a zip archive.
    Download {
        /// Skill id.
        id: String,
        /// Version id, or `latest`.
        #[arg(default_value = "latest")]
        version: String,
        /// Output file.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Delete a skill with every version.
    Delete {
        /// Skill id.
        id: String,
    },
}

/// The files of a folder, named `FOLDER/relative/path`.
fn folder_files(dir: &Path) -> Result<Vec<UploadFile>> {
    let folder = dir
        .canonicalize()
        .with_context(|| dir.display().to_string())?
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .context("the skill folder needs a name")?;
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).with_context(|| current.display().to_string())? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
            files.push(UploadFile {
                path: format!("{folder}/{relative}"),
                bytes: std::fs::read(&path)?,
            });
        }
    }
    if !files.iter().any(|f| f.path == format!("{folder}/SKILL.md")) {
        bail!("{} has no SKILL.md", dir.display());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Runs `outrig skills …`.
pub async fn skills(command: SkillsCommand, common: Common) -> Result<()> {
    let client = common.client()?;
    let value = match command {
        SkillsCommand::Create { dir, name, skill } => {
            let files = folder_files(&dir)?;
            match skill {
                Some(id) => serde_json::to_value(client.create_skill_version(&id, &files).await?)?,
                None => serde_json::to_value(client.create_skill(name.as_deref(), &files).await?)?,
            }
        }
        SkillsCommand::List => {
            print_list(
                &common,
                list(&client, &routes::SKILLS_LIST, Query::new()).await?,
            );
            return Ok(());
        }
        SkillsCommand::Get { id } => plain(&client, &routes::SKILLS_RETRIEVE, &id).await?,
        SkillsCommand::Versions { id } => {
            print_list(
                &common,
                client
                    .call_all(&routes::SKILLS_VERSIONS_LIST, &[&id], Query::new())
                    .await?,
            );
            return Ok(());
        }
        SkillsCommand::Download { id, version, out } => {
            let version = client.get_skill_version(&id, &version).await?;
            let bytes = client
                .download(&routes::SKILLS_VERSIONS_DOWNLOAD, &[&id, &version.id])
                .await?;
            std::fs::write(&out, &bytes).with_context(|| out.display().to_string())?;
            eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
            return Ok(());
        }
        SkillsCommand::Delete { id } => {
            for version in client.list_skill_versions(&id, Query::new()).await? {
                client.delete_skill_version(&id, &version.id).await?;
            }
            plain(&client, &routes::SKILLS_DELETE, &id).await?
        }
    };
    print_one(&common, &value);
    Ok(())
}

/// `outrig memory-stores …`
#[derive(Debug, Subcommand)]
pub enum MemoryCommand {
    /// Create a memory store.
    Create {
        /// Name.
        #[arg(long)]
        name: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
    },
    /// List memory stores.
    List,
    /// Archive a memory store.
    Archive {
        /// Store id.
        id: String,
    },
    /// Delete a memory store and its memories.
    Delete {
        /// Store id.
        id: String,
    },
    /// List the memories under a path (`--depth 1`: direct children only).
    Ls {
        /// Store id.
        id: String,
        /// Path prefix.
        #[arg(long, default_value = "/")]
        prefix: String,
        /// 1 groups deeper memories into prefixes.
        #[arg(long)]
        depth: Option<u8>,
    },
    /// Write a memory (content from stdin), creating it or replacing the one at PATH.
    Put {
        /// Store id.
        id: String,
        /// Memory path, e.g. `/notes/today.md`.
        path: String,
    },
    /// Print a memory's content.
    Cat {
        /// Store id.
        id: String,
        /// Memory id.
        memory: String,
    },
}

/// Runs `outrig memory-stores …`.
pub async fn memory_stores(command: MemoryCommand, common: Common) -> Result<()> {
    let client = common.client()?;
    let value = match command {
        MemoryCommand::Create { name, description } => {
            create(
                &client,
                &routes::MEMORY_STORES_CREATE,
                &[],
                json!({"name": name, "description": description}),
            )
            .await?
        }
        MemoryCommand::List => {
            print_list(
                &common,
                list(&client, &routes::MEMORY_STORES_LIST, Query::new()).await?,
            );
            return Ok(());
        }
        MemoryCommand::Archive { id } => {
            plain(&client, &routes::MEMORY_STORES_ARCHIVE, &id).await?
        }
        MemoryCommand::Delete { id } => plain(&client, &routes::MEMORY_STORES_DELETE, &id).await?,
        MemoryCommand::Ls { id, prefix, depth } => {
            let query = Query::new()
                .opt("path_prefix", Some(prefix.as_str()))
                .opt("depth", depth);
            let items: Vec<Value> = client
                .call_all(&routes::MEMORY_STORES_MEMORIES_LIST, &[&id], query)
                .await?;
            if common.json {
                print_list(&common, items);
            } else {
                for item in items {
                    outln!(
                        "{}  {}",
                        item["path"].as_str().unwrap_or_default(),
                        item["id"].as_str().unwrap_or("(prefix)")
                    );
                }
            }
            return Ok(());
        }
        MemoryCommand::Put { id, path } => {
            let mut content = String::new();
            std::io::stdin().read_to_string(&mut content)?;
            let existing: Vec<Value> = client
                .call_all(
                    &routes::MEMORY_STORES_MEMORIES_LIST,
                    &[&id],
                    Query::new().opt("path_prefix", Some(path.as_str())),
                )
                .await?;
            match existing
                .iter()
                .find(|m| m["path"] == path.as_str())
                .and_then(|m| m["id"].as_str())
            {
                Some(memory) => {
                    let body = json!({"content": content});
                    client
                        .call(
                            &routes::MEMORY_STORES_MEMORIES_UPDATE,
                            &[&id, memory],
                            &Query::new(),
                            Some(&body),
                        )
                        .await?
                }
                None => {
                    create(
                        &client,
                        &routes::MEMORY_STORES_MEMORIES_CREATE,
                        &[&id],
                        json!({"path": path, "content": content}),
                    )
                    .await?
                }
            }
        }
        MemoryCommand::Cat { id, memory } => {
            let memory = client.get_memory(&id, &memory, &Query::new()).await?;
            out!("{}", memory.content.unwrap_or_default());
            return Ok(());
        }
    };
    print_one(&common, &value);
    Ok(())
}

/// `outrig deployments …`
#[derive(Debug, Subcommand)]
pub enum DeploymentsCommand {
    /// Create a deployment: sessions of AGENT in ENVIRONMENT that start with MESSAGE, on a
    /// cron schedule if given.
    Create {
        /// Name.
        #[arg(long)]
        name: String,
        /// Agent id.
        #[arg(long)]
        agent: String,
        /// Environment id.
        #[arg(long)]
        environment: String,
        /// The first user message of every run.
        #[arg(long)]
        message: String,
        /// 5-field cron expression, e.g. `0 9 * * 1-5`.
        #[arg(long, requires = "timezone")]
        cron: Option<String>,
        /// IANA time zone of the schedule, e.g. `Europe/Paris`.
        #[arg(long)]
        timezone: Option<String>,
    },
    /// List deployments.
    List,
    /// Show a deployment (with its next runs).
    Get {
        /// Deployment id.
        id: String,
    },
    /// Run a deployment now.
    Run {
        /// Deployment id.
        id: String,
    },
    /// Pause a deployment's schedule.
    Pause {
        /// Deployment id.
        id: String,
    },
    /// Resume a paused deployment.
    Unpause {
        /// Deployment id.
        id: String,
    },
    /// Archive a deployment.
    Archive {
        /// Deployment id.
        id: String,
    },
    /// List a deployment's runs.
    Runs {
        /// Deployment id.
        id: String,
    },
}

/// Runs `outrig deployments …`.
pub async fn deployments(command: DeploymentsCommand, common: Common) -> Result<()> {
    let client = common.client()?;
    let value = match command {
        DeploymentsCommand::Create {
            name,
            agent,
            environment,
            message,
            cron,
            timezone,
        } => {
            let schedule = cron.map(|expression| json!({"type": "cron", "expression": expression, "timezone": timezone}));
            let body = json!({"name": name, "agent": agent, "environment_id": environment, "schedule": schedule,
                "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": message}]}]});
            create(&client, &routes::DEPLOYMENTS_CREATE, &[], body).await?
        }
        DeploymentsCommand::List => {
            print_list(
                &common,
                list(&client, &routes::DEPLOYMENTS_LIST, Query::new()).await?,
            );
            return Ok(());
        }
        DeploymentsCommand::Get { id } => {
            plain(&client, &routes::DEPLOYMENTS_RETRIEVE, &id).await?
        }
        DeploymentsCommand::Run { id } => plain(&client, &routes::DEPLOYMENTS_RUN, &id).await?,
        DeploymentsCommand::Pause { id } => plain(&client, &routes::DEPLOYMENTS_PAUSE, &id).await?,
        DeploymentsCommand::Unpause { id } => {
            plain(&client, &routes::DEPLOYMENTS_UNPAUSE, &id).await?
        }
        DeploymentsCommand::Archive { id } => {
            plain(&client, &routes::DEPLOYMENTS_ARCHIVE, &id).await?
        }
        DeploymentsCommand::Runs { id } => {
            let query = Query::new().opt("deployment_id", Some(id.as_str()));
            print_list(
                &common,
                list(&client, &routes::DEPLOYMENT_RUNS_LIST, query).await?,
            );
            return Ok(());
        }
    };
    print_one(&common, &value);
    Ok(())
}
