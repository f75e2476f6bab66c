//! Every Managed Agents endpoint, defined once: name (as the SDKs nest it), method, path
//! template, beta header, body, answer kind and answer object. The Rust client, the npm package's JS layer
//! (`crates/wasm/js/routes.js`, generated from this table) and the CLI build requests from it.
//! Read out of `anthropic` 2.14.0 / `@anthropic-ai/sdk` 1.14.0.

use crate::request::{
    percent_encode, EmptyId, DREAMS_BETA, MANAGED_AGENTS_BETA, MEMORY_BETA, TUNNELS_BETA,
    WEBHOOKS_BETA,
};

/// What a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Nothing (parameters, if any, go in the query).
    None,
    /// A JSON object.
    Json,
    /// `multipart/form-data` (file uploads).
    Multipart,
}

/// What an endpoint answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// One JSON value.
    Json,
    /// A page `{data, next_page}` (cursor-paginated).
    Page,
    /// A page `{data, has_more, first_id, last_id}`, the next one asked for with
    /// `after_id` (the organization endpoints).
    IdPage,
    /// A server-sent event stream.
    Stream,
    /// Bytes (a download).
    Binary,
}

/// One endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Dotted name, e.g. `vaults.credentials.create`.
    pub name: &'static str,
    /// `GET`, `POST` or `DELETE`.
    pub method: &'static str,
    /// Path template, e.g. `/v1/vaults/{vault_id}/credentials`.
    pub path: &'static str,
    /// The beta header value it needs, if any.
    pub beta: Option<&'static str>,
    /// What the request carries.
    pub body: Body,
    /// What it answers.
    pub answer: Answer,
    /// The answer's object, as the SDKs name it without their `Beta…` prefix (`Vault`,
    /// `SessionEvent` for each item of a page), or `bytes`.
    pub returns: &'static str,
}

impl Route {
    /// The endpoint of this name.
    pub fn named(name: &str) -> Option<&'static Route> {
        ROUTES.iter().copied().find(|r| r.name == name)
    }

    /// Whether a concrete request (`GET`, `/v1/vaults/vlt_1`) is this endpoint.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or_default();
        let mut concrete = path.split('/');
        self.method.eq_ignore_ascii_case(method)
            && self.path.split('/').count() == path.split('/').count()
            && self.path.split('/').all(|template| match concrete.next() {
                Some(segment) if template.starts_with('{') => !segment.is_empty(),
                Some(segment) => segment == template,
                None => false,
            })
    }

    /// The `anthropic-beta` values the API accepts for this endpoint (any one of them):
    /// its own beta, and for the memory store endpoints the managed-agents beta too, as the
    /// SDKs' memory resources send only that one. Empty: no beta needed.
    pub fn betas_accepted(&self) -> &'static [&'static str] {
        match self.beta {
            None => &[],
            Some(crate::request::MEMORY_BETA) => &[
                crate::request::MEMORY_BETA,
                crate::request::MANAGED_AGENTS_BETA,
            ],
            Some(crate::request::MANAGED_AGENTS_BETA) => &[crate::request::MANAGED_AGENTS_BETA],
            Some(crate::request::DREAMS_BETA) => &[crate::request::DREAMS_BETA],
            Some(crate::request::TUNNELS_BETA) => &[crate::request::TUNNELS_BETA],
            Some(crate::request::WEBHOOKS_BETA) => &[crate::request::WEBHOOKS_BETA],
            Some(_) => &[],
        }
    }

    /// The endpoint a concrete request is; fixed segments win over parameters, so
    /// `GET …/work/poll` is the poll, not a work item named `poll`.
    pub fn of_request(method: &str, path: &str) -> Option<&'static Route> {
        ROUTES
            .iter()
            .copied()
            .filter(|r| r.matches(method, path))
            .min_by_key(|r| r.params().count())
    }

    /// The names of the path's parameters, in order (`vault_id`, `credential_id`).
    pub fn params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// The path with `ids` filled in order, each percent-encoded; an empty or missing id is
    /// an error naming the parameter.
    pub fn path_with(&self, ids: &[&str]) -> Result<String, EmptyId> {
        let mut ids = ids.iter();
        let mut out = String::new();
        for segment in self.path.split('/').skip(1) {
            out.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => match ids.next() {
                    Some(id) if !id.is_empty() => out.push_str(&percent_encode(id)),
                    _ => return Err(EmptyId(param_name(name))),
                },
                None => out.push_str(segment),
            }
        }
        Ok(out)
    }
}

/// A path parameter's name with a `'static` lifetime (they all come from the table).
fn param_name(name: &str) -> &'static str {
    ROUTES
        .iter()
        .flat_map(|r| r.params())
        .find(|p| *p == name)
        .unwrap_or("id")
}

macro_rules! routes {
    ($($constant:ident = $name:literal, $method:ident $path:literal, $beta:expr, $body:ident, $answer:ident $returns:literal;)*) => {
        $(
            #[doc = concat!("`", stringify!($method), " ", $path, "`")]
            pub const $constant: Route = Route {
                name: $name,
                method: stringify!($method),
                path: $path,
                beta: $beta,
                body: Body::$body,
                answer: Answer::$answer,
                returns: $returns,
            };
        )*
        /// Every endpoint, ordered by name.
        pub static ROUTES: &[&Route] = &[$(&$constant),*];
    };
}

routes! {
    AGENTS_ARCHIVE = "agents.archive", POST "/v1/agents/{agent_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "Agent";
    AGENTS_CREATE = "agents.create", POST "/v1/agents", Some(MANAGED_AGENTS_BETA), Json, Json "Agent";
    AGENTS_LIST = "agents.list", GET "/v1/agents", Some(MANAGED_AGENTS_BETA), None, Page "Agent";
    AGENTS_RETRIEVE = "agents.retrieve", GET "/v1/agents/{agent_id}", Some(MANAGED_AGENTS_BETA), None, Json "Agent";
    AGENTS_UPDATE = "agents.update", POST "/v1/agents/{agent_id}", Some(MANAGED_AGENTS_BETA), Json, Json "Agent";
    AGENTS_VERSIONS_LIST = "agents.versions.list", GET "/v1/agents/{agent_id}/versions", Some(MANAGED_AGENTS_BETA), None, Page "Agent";
    DEPLOYMENT_RUNS_LIST = "deployment_runs.list", GET "/v1/deployment_runs", Some(MANAGED_AGENTS_BETA), None, Page "DeploymentRun";
    DEPLOYMENT_RUNS_RETRIEVE = "deployment_runs.retrieve", GET "/v1/deployment_runs/{deployment_run_id}", Some(MANAGED_AGENTS_BETA), None, Json "DeploymentRun";
    DEPLOYMENTS_ARCHIVE = "deployments.archive", POST "/v1/deployments/{deployment_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "Deployment";
    DEPLOYMENTS_CREATE = "deployments.create", POST "/v1/deployments", Some(MANAGED_AGENTS_BETA), Json, Json "Deployment";
    DEPLOYMENTS_LIST = "deployments.list", GET "/v1/deployments", Some(MANAGED_AGENTS_BETA), None, Page "Deployment";
    DEPLOYMENTS_PAUSE = "deployments.pause", POST "/v1/deployments/{deployment_id}/pause", Some(MANAGED_AGENTS_BETA), None, Json "Deployment";
    DEPLOYMENTS_RETRIEVE = "deployments.retrieve", GET "/v1/deployments/{deployment_id}", Some(MANAGED_AGENTS_BETA), None, Json "Deployment";
    DEPLOYMENTS_RUN = "deployments.run", POST "/v1/deployments/{deployment_id}/run", Some(MANAGED_AGENTS_BETA), None, Json "DeploymentRun";
    DEPLOYMENTS_UNPAUSE = "deployments.unpause", POST "/v1/deployments/{deployment_id}/unpause", Some(MANAGED_AGENTS_BETA), None, Json "Deployment";
    DEPLOYMENTS_UPDATE = "deployments.update", POST "/v1/deployments/{deployment_id}", Some(MANAGED_AGENTS_BETA), Json, Json "Deployment";
    DREAMS_ARCHIVE = "dreams.archive", POST "/v1/dreams/{dream_id}/archive", Some(DREAMS_BETA), None, Json "Dream";
    DREAMS_CANCEL = "dreams.cancel", POST "/v1/dreams/{dream_id}/cancel", Some(DREAMS_BETA), None, Json "Dream";
    DREAMS_CREATE = "dreams.create", POST "/v1/dreams", Some(DREAMS_BETA), Json, Json "Dream";
    DREAMS_LIST = "dreams.list", GET "/v1/dreams", Some(DREAMS_BETA), None, Page "Dream";
    DREAMS_RETRIEVE = "dreams.retrieve", GET "/v1/dreams/{dream_id}", Some(DREAMS_BETA), None, Json "Dream";
    ENVIRONMENTS_ARCHIVE = "environments.archive", POST "/v1/environments/{environment_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "Environment";
    ENVIRONMENTS_CREATE = "environments.create", POST "/v1/environments", Some(MANAGED_AGENTS_BETA), Json, Json "Environment";
    ENVIRONMENTS_DELETE = "environments.delete", DELETE "/v1/environments/{environment_id}", Some(MANAGED_AGENTS_BETA), None, Json "DeletedEnvironment";
    ENVIRONMENTS_LIST = "environments.list", GET "/v1/environments", Some(MANAGED_AGENTS_BETA), None, Page "Environment";
    ENVIRONMENTS_RETRIEVE = "environments.retrieve", GET "/v1/environments/{environment_id}", Some(MANAGED_AGENTS_BETA), None, Json "Environment";
    ENVIRONMENTS_UPDATE = "environments.update", POST "/v1/environments/{environment_id}", Some(MANAGED_AGENTS_BETA), Json, Json "Environment";
    ENVIRONMENTS_WORK_ACK = "environments.work.ack", POST "/v1/environments/{environment_id}/work/{work_id}/ack", Some(MANAGED_AGENTS_BETA), None, Json "SelfHostedWork";
    ENVIRONMENTS_WORK_HEARTBEAT = "environments.work.heartbeat", POST "/v1/environments/{environment_id}/work/{work_id}/heartbeat", Some(MANAGED_AGENTS_BETA), None, Json "SelfHostedWorkHeartbeatResponse";
    ENVIRONMENTS_WORK_LIST = "environments.work.list", GET "/v1/environments/{environment_id}/work", Some(MANAGED_AGENTS_BETA), None, Page "SelfHostedWork";
    ENVIRONMENTS_WORK_POLL = "environments.work.poll", GET "/v1/environments/{environment_id}/work/poll", Some(MANAGED_AGENTS_BETA), None, Json "SelfHostedWork";
    ENVIRONMENTS_WORK_RETRIEVE = "environments.work.retrieve", GET "/v1/environments/{environment_id}/work/{work_id}", Some(MANAGED_AGENTS_BETA), None, Json "SelfHostedWork";
    ENVIRONMENTS_WORK_STATS = "environments.work.stats", GET "/v1/environments/{environment_id}/work/stats", Some(MANAGED_AGENTS_BETA), None, Json "SelfHostedWorkQueueStats";
    ENVIRONMENTS_WORK_STOP = "environments.work.stop", POST "/v1/environments/{environment_id}/work/{work_id}/stop", Some(MANAGED_AGENTS_BETA), Json, Json "SelfHostedWork";
    ENVIRONMENTS_WORK_UPDATE = "environments.work.update", POST "/v1/environments/{environment_id}/work/{work_id}", Some(MANAGED_AGENTS_BETA), Json, Json "SelfHostedWork";
    FILES_DELETE = "files.delete", DELETE "/v1/files/{file_id}", None, None, Json "DeletedFile";
    FILES_DOWNLOAD = "files.download", GET "/v1/files/{file_id}/content", None, None, Binary "bytes";
    FILES_LIST = "files.list", GET "/v1/files", None, None, Page "FileMetadata";
    FILES_RETRIEVE_METADATA = "files.retrieve_metadata", GET "/v1/files/{file_id}", None, None, Json "FileMetadata";
    FILES_UPLOAD = "files.upload", POST "/v1/files", None, Multipart, Json "FileMetadata";
    MEMORY_STORES_ARCHIVE = "memory_stores.archive", POST "/v1/memory_stores/{memory_store_id}/archive", Some(MEMORY_BETA), None, Json "MemoryStore";
    MEMORY_STORES_CREATE = "memory_stores.create", POST "/v1/memory_stores", Some(MEMORY_BETA), Json, Json "MemoryStore";
    MEMORY_STORES_DELETE = "memory_stores.delete", DELETE "/v1/memory_stores/{memory_store_id}", Some(MEMORY_BETA), None, Json "DeletedMemoryStore";
    MEMORY_STORES_LIST = "memory_stores.list", GET "/v1/memory_stores", Some(MEMORY_BETA), None, Page "MemoryStore";
    MEMORY_STORES_MEMORIES_CREATE = "memory_stores.memories.create", POST "/v1/memory_stores/{memory_store_id}/memories", Some(MEMORY_BETA), Json, Json "Memory";
    MEMORY_STORES_MEMORIES_DELETE = "memory_stores.memories.delete", DELETE "/v1/memory_stores/{memory_store_id}/memories/{memory_id}", Some(MEMORY_BETA), None, Json "DeletedMemory";
    MEMORY_STORES_MEMORIES_LIST = "memory_stores.memories.list", GET "/v1/memory_stores/{memory_store_id}/memories", Some(MEMORY_BETA), None, Page "MemoryListItem";
    MEMORY_STORES_MEMORIES_RETRIEVE = "memory_stores.memories.retrieve", GET "/v1/memory_stores/{memory_store_id}/memories/{memory_id}", Some(MEMORY_BETA), None, Json "Memory";
    MEMORY_STORES_MEMORIES_UPDATE = "memory_stores.memories.update", POST "/v1/memory_stores/{memory_store_id}/memories/{memory_id}", Some(MEMORY_BETA), Json, Json "Memory";
    MEMORY_STORES_MEMORY_VERSIONS_LIST = "memory_stores.memory_versions.list", GET "/v1/memory_stores/{memory_store_id}/memory_versions", Some(MEMORY_BETA), None, Page "MemoryVersion";
    MEMORY_STORES_MEMORY_VERSIONS_REDACT = "memory_stores.memory_versions.redact", POST "/v1/memory_stores/{memory_store_id}/memory_versions/{memory_version_id}/redact", Some(MEMORY_BETA), None, Json "MemoryVersion";
    MEMORY_STORES_MEMORY_VERSIONS_RETRIEVE = "memory_stores.memory_versions.retrieve", GET "/v1/memory_stores/{memory_store_id}/memory_versions/{memory_version_id}", Some(MEMORY_BETA), None, Json "MemoryVersion";
    MEMORY_STORES_RETRIEVE = "memory_stores.retrieve", GET "/v1/memory_stores/{memory_store_id}", Some(MEMORY_BETA), None, Json "MemoryStore";
    MEMORY_STORES_UPDATE = "memory_stores.update", POST "/v1/memory_stores/{memory_store_id}", Some(MEMORY_BETA), Json, Json "MemoryStore";
    ORGANIZATION_WEBHOOKS_CREATE = "organization.webhooks.create", POST "/v1/organizations/webhooks", Some(WEBHOOKS_BETA), Json, Json "NewOrganizationWebhookEndpoint";
    ORGANIZATION_WEBHOOKS_DELETE = "organization.webhooks.delete", DELETE "/v1/organizations/webhooks/{webhook_endpoint_id}", Some(WEBHOOKS_BETA), None, Json "DeletedOrganizationWebhookEndpoint";
    ORGANIZATION_WEBHOOKS_LIST = "organization.webhooks.list", GET "/v1/organizations/webhooks", Some(WEBHOOKS_BETA), None, IdPage "OrganizationWebhookEndpoint";
    ORGANIZATION_WEBHOOKS_REGENERATE_SIGNING_SECRET = "organization.webhooks.regenerate_signing_secret", POST "/v1/organizations/webhooks/{webhook_endpoint_id}/regenerate_signing_secret", Some(WEBHOOKS_BETA), None, Json "OrganizationWebhookEndpointSigningSecret";
    ORGANIZATION_WEBHOOKS_RETRIEVE = "organization.webhooks.retrieve", GET "/v1/organizations/webhooks/{webhook_endpoint_id}", Some(WEBHOOKS_BETA), None, Json "OrganizationWebhookEndpoint";
    ORGANIZATION_WEBHOOKS_UPDATE = "organization.webhooks.update", POST "/v1/organizations/webhooks/{webhook_endpoint_id}", Some(WEBHOOKS_BETA), Json, Json "OrganizationWebhookEndpoint";
    SESSIONS_ARCHIVE = "sessions.archive", POST "/v1/sessions/{session_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "Session";
    SESSIONS_CREATE = "sessions.create", POST "/v1/sessions", Some(MANAGED_AGENTS_BETA), Json, Json "Session";
    SESSIONS_DELETE = "sessions.delete", DELETE "/v1/sessions/{session_id}", Some(MANAGED_AGENTS_BETA), None, Json "DeletedSession";
    SESSIONS_EVENTS_LIST = "sessions.events.list", GET "/v1/sessions/{session_id}/events", Some(MANAGED_AGENTS_BETA), None, Page "SessionEvent";
    SESSIONS_EVENTS_SEND = "sessions.events.send", POST "/v1/sessions/{session_id}/events", Some(MANAGED_AGENTS_BETA), Json, Json "SendSessionEvents";
    SESSIONS_EVENTS_STREAM = "sessions.events.stream", GET "/v1/sessions/{session_id}/events/stream", Some(MANAGED_AGENTS_BETA), None, Stream "StreamSessionEvents";
    SESSIONS_LIST = "sessions.list", GET "/v1/sessions", Some(MANAGED_AGENTS_BETA), None, Page "Session";
    SESSIONS_RESOURCES_ADD = "sessions.resources.add", POST "/v1/sessions/{session_id}/resources", Some(MANAGED_AGENTS_BETA), Json, Json "FileResource";
    SESSIONS_RESOURCES_DELETE = "sessions.resources.delete", DELETE "/v1/sessions/{session_id}/resources/{resource_id}", Some(MANAGED_AGENTS_BETA), None, Json "DeleteSessionResource";
    SESSIONS_RESOURCES_LIST = "sessions.resources.list", GET "/v1/sessions/{session_id}/resources", Some(MANAGED_AGENTS_BETA), None, Page "SessionResource";
    SESSIONS_RESOURCES_RETRIEVE = "sessions.resources.retrieve", GET "/v1/sessions/{session_id}/resources/{resource_id}", Some(MANAGED_AGENTS_BETA), None, Json "ResourceRetrieveResponse";
    SESSIONS_RESOURCES_UPDATE = "sessions.resources.update", POST "/v1/sessions/{session_id}/resources/{resource_id}", Some(MANAGED_AGENTS_BETA), Json, Json "ResourceUpdateResponse";
    SESSIONS_RETRIEVE = "sessions.retrieve", GET "/v1/sessions/{session_id}", Some(MANAGED_AGENTS_BETA), None, Json "Session";
    SESSIONS_THREADS_ARCHIVE = "sessions.threads.archive", POST "/v1/sessions/{session_id}/threads/{thread_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "SessionThread";
    SESSIONS_THREADS_EVENTS_LIST = "sessions.threads.events.list", GET "/v1/sessions/{session_id}/threads/{thread_id}/events", Some(MANAGED_AGENTS_BETA), None, Page "SessionEvent";
    SESSIONS_THREADS_EVENTS_STREAM = "sessions.threads.events.stream", GET "/v1/sessions/{session_id}/threads/{thread_id}/stream", Some(MANAGED_AGENTS_BETA), None, Stream "StreamSessionThreadEvents";
    SESSIONS_THREADS_LIST = "sessions.threads.list", GET "/v1/sessions/{session_id}/threads", Some(MANAGED_AGENTS_BETA), None, Page "SessionThread";
    SESSIONS_THREADS_RETRIEVE = "sessions.threads.retrieve", GET "/v1/sessions/{session_id}/threads/{thread_id}", Some(MANAGED_AGENTS_BETA), None, Json "SessionThread";
    SESSIONS_UPDATE = "sessions.update", POST "/v1/sessions/{session_id}", Some(MANAGED_AGENTS_BETA), Json, Json "Session";
    SKILLS_CREATE = "skills.create", POST "/v1/skills", None, Multipart, Json "Skill";
    SKILLS_DELETE = "skills.delete", DELETE "/v1/skills/{skill_id}", None, None, Json "DeletedSkill";
    SKILLS_LIST = "skills.list", GET "/v1/skills", None, None, Page "Skill";
    SKILLS_RETRIEVE = "skills.retrieve", GET "/v1/skills/{skill_id}", None, None, Json "Skill";
    SKILLS_VERSIONS_CREATE = "skills.versions.create", POST "/v1/skills/{skill_id}/versions", None, Multipart, Json "SkillVersion";
    SKILLS_VERSIONS_DELETE = "skills.versions.delete", DELETE "/v1/skills/{skill_id}/versions/{version}", None, None, Json "DeletedSkillVersion";
    SKILLS_VERSIONS_DOWNLOAD = "skills.versions.download", GET "/v1/skills/{skill_id}/versions/{version}/content", None, None, Binary "bytes";
    SKILLS_VERSIONS_LIST = "skills.versions.list", GET "/v1/skills/{skill_id}/versions", None, None, Page "SkillVersion";
    SKILLS_VERSIONS_RETRIEVE = "skills.versions.retrieve", GET "/v1/skills/{skill_id}/versions/{version}", None, None, Json "SkillVersion";
    TUNNELS_ARCHIVE = "tunnels.archive", POST "/v1/tunnels/{tunnel_id}/archive", Some(TUNNELS_BETA), None, Json "Tunnel";
    TUNNELS_CERTIFICATES_ARCHIVE = "tunnels.certificates.archive", POST "/v1/tunnels/{tunnel_id}/certificates/{certificate_id}/archive", Some(TUNNELS_BETA), None, Json "TunnelCertificate";
    TUNNELS_CERTIFICATES_CREATE = "tunnels.certificates.create", POST "/v1/tunnels/{tunnel_id}/certificates", Some(TUNNELS_BETA), Json, Json "TunnelCertificate";
    TUNNELS_CERTIFICATES_LIST = "tunnels.certificates.list", GET "/v1/tunnels/{tunnel_id}/certificates", Some(TUNNELS_BETA), None, Page "TunnelCertificate";
    TUNNELS_CERTIFICATES_RETRIEVE = "tunnels.certificates.retrieve", GET "/v1/tunnels/{tunnel_id}/certificates/{certificate_id}", Some(TUNNELS_BETA), None, Json "TunnelCertificate";
    TUNNELS_CREATE = "tunnels.create", POST "/v1/tunnels", Some(TUNNELS_BETA), Json, Json "Tunnel";
    TUNNELS_LIST = "tunnels.list", GET "/v1/tunnels", Some(TUNNELS_BETA), None, Page "Tunnel";
    TUNNELS_RETRIEVE = "tunnels.retrieve", GET "/v1/tunnels/{tunnel_id}", Some(TUNNELS_BETA), None, Json "Tunnel";
    TUNNELS_REVEAL_TOKEN = "tunnels.reveal_token", POST "/v1/tunnels/{tunnel_id}/reveal_token", Some(TUNNELS_BETA), None, Json "TunnelToken";
    TUNNELS_ROTATE_TOKEN = "tunnels.rotate_token", POST "/v1/tunnels/{tunnel_id}/rotate_token", Some(TUNNELS_BETA), Json, Json "TunnelToken";
    VAULTS_ARCHIVE = "vaults.archive", POST "/v1/vaults/{vault_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "Vault";
    VAULTS_CREATE = "vaults.create", POST "/v1/vaults", Some(MANAGED_AGENTS_BETA), Json, Json "Vault";
    VAULTS_CREDENTIALS_ARCHIVE = "vaults.credentials.archive", POST "/v1/vaults/{vault_id}/credentials/{credential_id}/archive", Some(MANAGED_AGENTS_BETA), None, Json "Credential";
    VAULTS_CREDENTIALS_CREATE = "vaults.credentials.create", POST "/v1/vaults/{vault_id}/credentials", Some(MANAGED_AGENTS_BETA), Json, Json "Credential";
    VAULTS_CREDENTIALS_DELETE = "vaults.credentials.delete", DELETE "/v1/vaults/{vault_id}/credentials/{credential_id}", Some(MANAGED_AGENTS_BETA), None, Json "DeletedCredential";
    VAULTS_CREDENTIALS_LIST = "vaults.credentials.list", GET "/v1/vaults/{vault_id}/credentials", Some(MANAGED_AGENTS_BETA), None, Page "Credential";
    VAULTS_CREDENTIALS_MCP_OAUTH_VALIDATE = "vaults.credentials.mcp_oauth_validate", POST "/v1/vaults/{vault_id}/credentials/{credential_id}/mcp_oauth_validate", Some(MANAGED_AGENTS_BETA), None, Json "CredentialValidation";
    VAULTS_CREDENTIALS_RETRIEVE = "vaults.credentials.retrieve", GET "/v1/vaults/{vault_id}/credentials/{credential_id}", Some(MANAGED_AGENTS_BETA), None, Json "Credential";
    VAULTS_CREDENTIALS_UPDATE = "vaults.credentials.update", POST "/v1/vaults/{vault_id}/credentials/{credential_id}", Some(MANAGED_AGENTS_BETA), Json, Json "Credential";
    VAULTS_DELETE = "vaults.delete", DELETE "/v1/vaults/{vault_id}", Some(MANAGED_AGENTS_BETA), None, Json "DeletedVault";
    VAULTS_LIST = "vaults.list", GET "/v1/vaults", Some(MANAGED_AGENTS_BETA), None, Page "Vault";
    VAULTS_RETRIEVE = "vaults.retrieve", GET "/v1/vaults/{vault_id}", Some(MANAGED_AGENTS_BETA), None, Json "Vault";
    VAULTS_UPDATE = "vaults.update", POST "/v1/vaults/{vault_id}", Some(MANAGED_AGENTS_BETA), Json, Json "Vault";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_paths_fill_in_order() {
        let mut names: Vec<&str> = ROUTES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ROUTES.len());
        assert_eq!(
            VAULTS_CREDENTIALS_RETRIEVE.path_with(&["vlt 1", "vcrd/2"]),
            Ok("/v1/vaults/vlt%201/credentials/vcrd%2F2".into())
        );
        assert_eq!(
            VAULTS_CREDENTIALS_RETRIEVE.path_with(&["vlt_1", ""]),
            Err(EmptyId("credential_id"))
        );
        assert_eq!(
            Route::named("sessions.events.stream").map(|r| r.answer),
            Some(Answer::Stream)
        );
    }
}
