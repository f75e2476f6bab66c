//! Any endpoint of the route table ([`outrig_api::routes`]) through one method, and typed
//! methods for the rest of the API (vaults, work, deployments, memory, dreams, tunnels,
//! skills, organization webhook endpoints), each a line naming its route. Request bodies are anything serialisable (a
//! `serde_json::json!` value or your own struct); answers are `outrig-api` types.

use crate::client::{within, Client};
use crate::error::Error;
use crate::transport::Method;
use futures_util::TryStreamExt;
use outrig_api::objects::{Agent, Environment, FileMetadata, Session};
use outrig_api::page::Deleted;
use outrig_api::page::IdPage;
use outrig_api::request::Query;
use outrig_api::resources::{
    Credential, Deployment, DeploymentRun, Dream, Memory, MemoryStore, MemoryVersion,
    NewOrganizationWebhookEndpoint, OrganizationWebhookEndpoint,
    OrganizationWebhookEndpointSigningSecret, Skill, SkillVersion, Tunnel, Vault, WorkItem,
};
use outrig_api::routes::{self, Answer, Route};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn method_of(route: &Route) -> Method {
    match route.method {
        "GET" => Method::Get,
        "DELETE" => Method::Delete,
        _ => Method::Post,
    }
}

fn path_of(route: &Route, ids: &[&str]) -> Result<String, Error> {
    route
        .path_with(ids)
        .map_err(|e| Error::Invalid(e.to_string()))
}

/// One file of a multipart upload: its path (`my-skill/SKILL.md`) and bytes.
#[derive(Debug, Clone)]
pub struct UploadFile {
    /// The file name sent, with its folder.
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl Client {
    /// Calls an endpoint of the table: `ids` fill its path parameters in order, `query` is
    /// sent as given, `body` as JSON. For pages this is one page (`{data, next_page}`);
    /// see [`Client::call_all`] for every item.
    pub async fn call<T: DeserializeOwned>(
        &self,
        route: &Route,
        ids: &[&str],
        query: &Query,
        body: Option<&impl Serialize>,
    ) -> Result<T, Error> {
        if matches!(route.answer, Answer::Stream | Answer::Binary) {
            return Err(Error::Invalid(format!(
                "`{}` answers a stream or bytes; use stream_events or download",
                route.name
            )));
        }
        let path = path_of(route, ids)?;
        self.json(method_of(route), &path, query, body).await
    }

    /// Every item of a paginated endpoint, following `next_page` (or, for the
    /// organization lists, `after_id`).
    pub async fn call_all<T: DeserializeOwned + Send + 'static>(
        &self,
        route: &Route,
        ids: &[&str],
        query: Query,
    ) -> Result<Vec<T>, Error> {
        let path = path_of(route, ids)?;
        if route.answer != Answer::IdPage {
            return self.paginate(&path, query).try_collect().await;
        }
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page: IdPage<T> = self
                .json(
                    Method::Get,
                    &path,
                    &query.clone().opt("after_id", after.as_deref()),
                    None::<&()>,
                )
                .await?;
            items.extend(page.data);
            match page.last_id {
                Some(last) if page.has_more => after = Some(last),
                _ => return Ok(items),
            }
        }
    }

    /// The bytes a download endpoint answers (a file's content, a skill version's zip).
    pub async fn download(&self, route: &Route, ids: &[&str]) -> Result<Vec<u8>, Error> {
        let path = path_of(route, ids)?;
        let limit = self.options().timeout;
        let response = self
            .send(method_of(route), &path, &Query::new(), None, Some(limit))
            .await?;
        within(limit, response.bytes()).await
    }

    /// A multipart upload to `route` (skills, skill versions): `files` as `files` parts,
    /// `fields` as text parts.
    pub async fn upload<T: DeserializeOwned>(
        &self,
        route: &Route,
        ids: &[&str],
        fields: &[(&str, &str)],
        files: &[UploadFile],
    ) -> Result<T, Error> {
        let path = path_of(route, ids)?;
        let boundary = format!("outrig-{:016x}", rand_u64());
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
        }
        for file in files {
            let name = file.path.replace(['"', '\r', '\n'], "_");
            body.extend(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"files\"; filename=\"{name}\"\r\ncontent-type: application/octet-stream\r\n\r\n").bytes());
            body.extend(&file.bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").bytes());
        let limit = self.options().timeout;
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let response = self
            .send_as(
                method_of(route),
                &path,
                &Query::new(),
                Some(body),
                &content_type,
                Some(limit),
            )
            .await?;
        let bytes = within(limit, response.bytes()).await?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Decode(e.to_string()))
    }
}

fn rand_u64() -> u64 {
    (crate::platform::random_unit() * u64::MAX as f64) as u64
}

/// Declares typed methods, one per route: `get` (ids only), `send` (ids and a JSON body),
/// `query` (ids and a query) and `list` (every item of a page).
macro_rules! endpoints {
    ($($kind:ident $name:ident($($id:ident),*) -> $answer:ty = $route:ident;)*) => {
        impl Client {
            $(endpoints!(@one $kind $name($($id),*) -> $answer = $route);)*
        }
    };
    (@one get $name:ident($($id:ident),*) -> $answer:ty = $route:ident) => {
        #[doc = concat!("`", stringify!($route), "`: see [`routes::", stringify!($route), "`].")]
        pub async fn $name(&self, $($id: &str),*) -> Result<$answer, Error> {
            self.call(&routes::$route, &[$($id),*], &Query::new(), None::<&()>).await
        }
    };
    (@one send $name:ident($($id:ident),*) -> $answer:ty = $route:ident) => {
        #[doc = concat!("`", stringify!($route), "`: see [`routes::", stringify!($route), "`].")]
        pub async fn $name(&self, $($id: &str,)* body: &impl Serialize) -> Result<$answer, Error> {
            self.call(&routes::$route, &[$($id),*], &Query::new(), Some(body)).await
        }
    };
    (@one query $name:ident($($id:ident),*) -> $answer:ty = $route:ident) => {
        #[doc = concat!("`", stringify!($route), "`: see [`routes::", stringify!($route), "`].")]
        pub async fn $name(&self, $($id: &str,)* query: &Query) -> Result<$answer, Error> {
            self.call(&routes::$route, &[$($id),*], query, None::<&()>).await
        }
    };
    (@one list $name:ident($($id:ident),*) -> $answer:ty = $route:ident) => {
        #[doc = concat!("`", stringify!($route), "`, every item: see [`routes::", stringify!($route), "`].")]
        pub async fn $name(&self, $($id: &str,)* query: Query) -> Result<Vec<$answer>, Error> {
            self.call_all(&routes::$route, &[$($id),*], query).await
        }
    };
}

endpoints! {
    get get_agent(agent_id) -> Agent = AGENTS_RETRIEVE;
    get archive_agent(agent_id) -> Agent = AGENTS_ARCHIVE;

    get get_environment(environment_id) -> Environment = ENVIRONMENTS_RETRIEVE;
    get delete_environment(environment_id) -> Deleted = ENVIRONMENTS_DELETE;
    get archive_environment(environment_id) -> Environment = ENVIRONMENTS_ARCHIVE;

    get get_session(session_id) -> Session = SESSIONS_RETRIEVE;
    get delete_session(session_id) -> Deleted = SESSIONS_DELETE;
    get archive_session(session_id) -> Session = SESSIONS_ARCHIVE;
    get get_file(file_id) -> FileMetadata = FILES_RETRIEVE_METADATA;

    send create_vault() -> Vault = VAULTS_CREATE;
    get get_vault(vault_id) -> Vault = VAULTS_RETRIEVE;
    send update_vault(vault_id) -> Vault = VAULTS_UPDATE;
    list list_vaults() -> Vault = VAULTS_LIST;
    get delete_vault(vault_id) -> Deleted = VAULTS_DELETE;
    get archive_vault(vault_id) -> Vault = VAULTS_ARCHIVE;
    send create_credential(vault_id) -> Credential = VAULTS_CREDENTIALS_CREATE;
    get get_credential(vault_id, credential_id) -> Credential = VAULTS_CREDENTIALS_RETRIEVE;
    send update_credential(vault_id, credential_id) -> Credential = VAULTS_CREDENTIALS_UPDATE;
    list list_credentials(vault_id) -> Credential = VAULTS_CREDENTIALS_LIST;
    get delete_credential(vault_id, credential_id) -> Deleted = VAULTS_CREDENTIALS_DELETE;
    get archive_credential(vault_id, credential_id) -> Credential = VAULTS_CREDENTIALS_ARCHIVE;
    get validate_credential(vault_id, credential_id) -> Value = VAULTS_CREDENTIALS_MCP_OAUTH_VALIDATE;

    query poll_work(environment_id) -> Option<WorkItem> = ENVIRONMENTS_WORK_POLL;
    get get_work(environment_id, work_id) -> WorkItem = ENVIRONMENTS_WORK_RETRIEVE;
    send update_work(environment_id, work_id) -> WorkItem = ENVIRONMENTS_WORK_UPDATE;
    list list_work(environment_id) -> WorkItem = ENVIRONMENTS_WORK_LIST;
    get ack_work(environment_id, work_id) -> WorkItem = ENVIRONMENTS_WORK_ACK;
    send stop_work(environment_id, work_id) -> WorkItem = ENVIRONMENTS_WORK_STOP;
    get work_stats(environment_id) -> Value = ENVIRONMENTS_WORK_STATS;
    query heartbeat_work(environment_id, work_id) -> Value = ENVIRONMENTS_WORK_HEARTBEAT;

    send create_deployment() -> Deployment = DEPLOYMENTS_CREATE;
    get get_deployment(deployment_id) -> Deployment = DEPLOYMENTS_RETRIEVE;
    send update_deployment(deployment_id) -> Deployment = DEPLOYMENTS_UPDATE;
    list list_deployments() -> Deployment = DEPLOYMENTS_LIST;
    get archive_deployment(deployment_id) -> Deployment = DEPLOYMENTS_ARCHIVE;
    get pause_deployment(deployment_id) -> Deployment = DEPLOYMENTS_PAUSE;
    get unpause_deployment(deployment_id) -> Deployment = DEPLOYMENTS_UNPAUSE;
    get run_deployment(deployment_id) -> DeploymentRun = DEPLOYMENTS_RUN;
    get get_deployment_run(deployment_run_id) -> DeploymentRun = DEPLOYMENT_RUNS_RETRIEVE;
    list list_deployment_runs() -> DeploymentRun = DEPLOYMENT_RUNS_LIST;

    send create_memory_store() -> MemoryStore = MEMORY_STORES_CREATE;
    get get_memory_store(memory_store_id) -> MemoryStore = MEMORY_STORES_RETRIEVE;
    send update_memory_store(memory_store_id) -> MemoryStore = MEMORY_STORES_UPDATE;
    list list_memory_stores() -> MemoryStore = MEMORY_STORES_LIST;
    get delete_memory_store(memory_store_id) -> Deleted = MEMORY_STORES_DELETE;
    get archive_memory_store(memory_store_id) -> MemoryStore = MEMORY_STORES_ARCHIVE;
    send create_memory(memory_store_id) -> Memory = MEMORY_STORES_MEMORIES_CREATE;
    query get_memory(memory_store_id, memory_id) -> Memory = MEMORY_STORES_MEMORIES_RETRIEVE;
    send update_memory(memory_store_id, memory_id) -> Memory = MEMORY_STORES_MEMORIES_UPDATE;
    list list_memories(memory_store_id) -> Value = MEMORY_STORES_MEMORIES_LIST;
    query delete_memory(memory_store_id, memory_id) -> Deleted = MEMORY_STORES_MEMORIES_DELETE;
    query get_memory_version(memory_store_id, memory_version_id) -> MemoryVersion = MEMORY_STORES_MEMORY_VERSIONS_RETRIEVE;
    list list_memory_versions(memory_store_id) -> MemoryVersion = MEMORY_STORES_MEMORY_VERSIONS_LIST;
    get redact_memory_version(memory_store_id, memory_version_id) -> MemoryVersion = MEMORY_STORES_MEMORY_VERSIONS_REDACT;

    send create_dream() -> Dream = DREAMS_CREATE;
    get get_dream(dream_id) -> Dream = DREAMS_RETRIEVE;
    list list_dreams() -> Dream = DREAMS_LIST;
    get archive_dream(dream_id) -> Dream = DREAMS_ARCHIVE;
    get cancel_dream(dream_id) -> Dream = DREAMS_CANCEL;

    send create_tunnel() -> Tunnel = TUNNELS_CREATE;
    get get_tunnel(tunnel_id) -> Tunnel = TUNNELS_RETRIEVE;
    list list_tunnels() -> Tunnel = TUNNELS_LIST;
    get archive_tunnel(tunnel_id) -> Tunnel = TUNNELS_ARCHIVE;
    get reveal_tunnel_token(tunnel_id) -> Value = TUNNELS_REVEAL_TOKEN;
    send rotate_tunnel_token(tunnel_id) -> Value = TUNNELS_ROTATE_TOKEN;
    send create_tunnel_certificate(tunnel_id) -> Value = TUNNELS_CERTIFICATES_CREATE;
    list list_tunnel_certificates(tunnel_id) -> Value = TUNNELS_CERTIFICATES_LIST;

    get get_skill(skill_id) -> Skill = SKILLS_RETRIEVE;
    list list_skills() -> Skill = SKILLS_LIST;
    get delete_skill(skill_id) -> Deleted = SKILLS_DELETE;
    get get_skill_version(skill_id, version) -> SkillVersion = SKILLS_VERSIONS_RETRIEVE;
    list list_skill_versions(skill_id) -> SkillVersion = SKILLS_VERSIONS_LIST;
    get delete_skill_version(skill_id, version) -> Deleted = SKILLS_VERSIONS_DELETE;

    send create_org_webhook() -> NewOrganizationWebhookEndpoint = ORGANIZATION_WEBHOOKS_CREATE;
    get get_org_webhook(webhook_endpoint_id) -> OrganizationWebhookEndpoint = ORGANIZATION_WEBHOOKS_RETRIEVE;
    send update_org_webhook(webhook_endpoint_id) -> OrganizationWebhookEndpoint = ORGANIZATION_WEBHOOKS_UPDATE;
    list list_org_webhooks() -> OrganizationWebhookEndpoint = ORGANIZATION_WEBHOOKS_LIST;
    get delete_org_webhook(webhook_endpoint_id) -> Deleted = ORGANIZATION_WEBHOOKS_DELETE;
    get regenerate_org_webhook_secret(webhook_endpoint_id) -> OrganizationWebhookEndpointSigningSecret = ORGANIZATION_WEBHOOKS_REGENERATE_SIGNING_SECRET;
}

impl Client {
    /// `SKILLS_CREATE`: uploads a skill folder's files (one must be `NAME/SKILL.md`).
    pub async fn create_skill(
        &self,
        display_name: Option<&str>,
        files: &[UploadFile],
    ) -> Result<Skill, Error> {
        let fields: Vec<(&str, &str)> = display_name
            .map(|n| ("display_name", n))
            .into_iter()
            .collect();
        self.upload(&routes::SKILLS_CREATE, &[], &fields, files)
            .await
    }

    /// `SKILLS_VERSIONS_CREATE`: uploads a new version of a skill.
    pub async fn create_skill_version(
        &self,
        skill_id: &str,
        files: &[UploadFile],
    ) -> Result<SkillVersion, Error> {
        self.upload(&routes::SKILLS_VERSIONS_CREATE, &[skill_id], &[], files)
            .await
    }
}
