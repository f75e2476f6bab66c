// Generated from the route table in crates/api/src/routes.rs by
// `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`. Do not edit.

import type { Agent, Environment, Session, SessionThread, SessionResource, SessionEvent, PagePromise, APIPromise, RequestOptions, Deleted, UploadParams,
  Vault, Credential, CredentialValidation, SelfHostedWork, SelfHostedWorkHeartbeatResponse, SelfHostedWorkQueueStats, Deployment, DeploymentRun,
  MemoryStore, Memory, MemoryListItem, MemoryVersion, Dream, Tunnel, TunnelToken, TunnelCertificate, Skill, SkillVersion, FileMetadata, FileResource,
  SendSessionEvents, ResourceRetrieveResponse, ResourceUpdateResponse,
  IdPagePromise, OrganizationWebhookEndpoint, NewOrganizationWebhookEndpoint, OrganizationWebhookEndpointSigningSecret } from "./outrig.d.ts";

/** A request body: the fields the endpoint documents. */
export type Params = Record<string, unknown>;
/** Query parameters; arrays are sent as `key[]`. */
export type Query = Record<string, string | number | boolean | string[] | undefined>;

/** Every endpoint by resource: path ids first, then the body or query, then options. */
export interface Resources {
  agents: {
    /** `POST /v1/agents/{agent_id}/archive` */
    archive(agentId: string, query?: Query, options?: RequestOptions): APIPromise<Agent>;
    /** `POST /v1/agents` */
    create(params: Params, options?: RequestOptions): APIPromise<Agent>;
    /** `GET /v1/agents` */
    list(query?: Query, options?: RequestOptions): PagePromise<Agent>;
    /** `GET /v1/agents/{agent_id}` */
    retrieve(agentId: string, query?: Query, options?: RequestOptions): APIPromise<Agent>;
    /** `POST /v1/agents/{agent_id}` */
    update(agentId: string, params?: Params, options?: RequestOptions): APIPromise<Agent>;
    versions: {
      /** `GET /v1/agents/{agent_id}/versions` */
      list(agentId: string, query?: Query, options?: RequestOptions): PagePromise<Agent>;
    };
  };
  deploymentRuns: {
    /** `GET /v1/deployment_runs` */
    list(query?: Query, options?: RequestOptions): PagePromise<DeploymentRun>;
    /** `GET /v1/deployment_runs/{deployment_run_id}` */
    retrieve(deploymentRunId: string, query?: Query, options?: RequestOptions): APIPromise<DeploymentRun>;
  };
  deployments: {
    /** `POST /v1/deployments/{deployment_id}/archive` */
    archive(deploymentId: string, query?: Query, options?: RequestOptions): APIPromise<Deployment>;
    /** `POST /v1/deployments` */
    create(params: Params, options?: RequestOptions): APIPromise<Deployment>;
    /** `GET /v1/deployments` */
    list(query?: Query, options?: RequestOptions): PagePromise<Deployment>;
    /** `POST /v1/deployments/{deployment_id}/pause` */
    pause(deploymentId: string, query?: Query, options?: RequestOptions): APIPromise<Deployment>;
    /** `GET /v1/deployments/{deployment_id}` */
    retrieve(deploymentId: string, query?: Query, options?: RequestOptions): APIPromise<Deployment>;
    /** `POST /v1/deployments/{deployment_id}/run` */
    run(deploymentId: string, query?: Query, options?: RequestOptions): APIPromise<DeploymentRun>;
    /** `POST /v1/deployments/{deployment_id}/unpause` */
    unpause(deploymentId: string, query?: Query, options?: RequestOptions): APIPromise<Deployment>;
    /** `POST /v1/deployments/{deployment_id}` */
    update(deploymentId: string, params?: Params, options?: RequestOptions): APIPromise<Deployment>;
  };
  dreams: {
    /** `POST /v1/dreams/{dream_id}/archive` */
    archive(dreamId: string, query?: Query, options?: RequestOptions): APIPromise<Dream>;
    /** `POST /v1/dreams/{dream_id}/cancel` */
    cancel(dreamId: string, query?: Query, options?: RequestOptions): APIPromise<Dream>;
    /** `POST /v1/dreams` */
    create(params: Params, options?: RequestOptions): APIPromise<Dream>;
    /** `GET /v1/dreams` */
    list(query?: Query, options?: RequestOptions): PagePromise<Dream>;
    /** `GET /v1/dreams/{dream_id}` */
    retrieve(dreamId: string, query?: Query, options?: RequestOptions): APIPromise<Dream>;
  };
  environments: {
    /** `POST /v1/environments/{environment_id}/archive` */
    archive(environmentId: string, query?: Query, options?: RequestOptions): APIPromise<Environment>;
    /** `POST /v1/environments` */
    create(params: Params, options?: RequestOptions): APIPromise<Environment>;
    /** `DELETE /v1/environments/{environment_id}` */
    delete(environmentId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
    /** `GET /v1/environments` */
    list(query?: Query, options?: RequestOptions): PagePromise<Environment>;
    /** `GET /v1/environments/{environment_id}` */
    retrieve(environmentId: string, query?: Query, options?: RequestOptions): APIPromise<Environment>;
    /** `POST /v1/environments/{environment_id}` */
    update(environmentId: string, params?: Params, options?: RequestOptions): APIPromise<Environment>;
    work: {
      /** `POST /v1/environments/{environment_id}/work/{work_id}/ack` */
      ack(environmentId: string, workId: string, query?: Query, options?: RequestOptions): APIPromise<SelfHostedWork>;
      /** `POST /v1/environments/{environment_id}/work/{work_id}/heartbeat` */
      heartbeat(environmentId: string, workId: string, query?: Query, options?: RequestOptions): APIPromise<SelfHostedWorkHeartbeatResponse>;
      /** `GET /v1/environments/{environment_id}/work` */
      list(environmentId: string, query?: Query, options?: RequestOptions): PagePromise<SelfHostedWork>;
      /** `GET /v1/environments/{environment_id}/work/poll` */
      poll(environmentId: string, query?: Query, options?: RequestOptions): APIPromise<SelfHostedWork | null>;
      /** `GET /v1/environments/{environment_id}/work/{work_id}` */
      retrieve(environmentId: string, workId: string, query?: Query, options?: RequestOptions): APIPromise<SelfHostedWork>;
      /** `GET /v1/environments/{environment_id}/work/stats` */
      stats(environmentId: string, query?: Query, options?: RequestOptions): APIPromise<SelfHostedWorkQueueStats>;
      /** `POST /v1/environments/{environment_id}/work/{work_id}/stop` */
      stop(environmentId: string, workId: string, params?: Params, options?: RequestOptions): APIPromise<SelfHostedWork>;
      /** `POST /v1/environments/{environment_id}/work/{work_id}` */
      update(environmentId: string, workId: string, params?: Params, options?: RequestOptions): APIPromise<SelfHostedWork>;
    };
  };
  files: {
    /** `DELETE /v1/files/{file_id}` */
    delete(fileId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
    /** `GET /v1/files/{file_id}/content` */
    download(fileId: string, query?: Query, options?: RequestOptions): Promise<Response>;
    /** `GET /v1/files` */
    list(query?: Query, options?: RequestOptions): PagePromise<FileMetadata>;
    /** `GET /v1/files/{file_id}` */
    retrieveMetadata(fileId: string, query?: Query, options?: RequestOptions): APIPromise<FileMetadata>;
    /** `POST /v1/files` */
    upload(params: UploadParams, options?: RequestOptions): APIPromise<FileMetadata>;
  };
  memoryStores: {
    /** `POST /v1/memory_stores/{memory_store_id}/archive` */
    archive(memoryStoreId: string, query?: Query, options?: RequestOptions): APIPromise<MemoryStore>;
    /** `POST /v1/memory_stores` */
    create(params: Params, options?: RequestOptions): APIPromise<MemoryStore>;
    /** `DELETE /v1/memory_stores/{memory_store_id}` */
    delete(memoryStoreId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
    /** `GET /v1/memory_stores` */
    list(query?: Query, options?: RequestOptions): PagePromise<MemoryStore>;
    /** `GET /v1/memory_stores/{memory_store_id}` */
    retrieve(memoryStoreId: string, query?: Query, options?: RequestOptions): APIPromise<MemoryStore>;
    /** `POST /v1/memory_stores/{memory_store_id}` */
    update(memoryStoreId: string, params?: Params, options?: RequestOptions): APIPromise<MemoryStore>;
    memories: {
      /** `POST /v1/memory_stores/{memory_store_id}/memories` */
      create(memoryStoreId: string, params: Params, options?: RequestOptions): APIPromise<Memory>;
      /** `DELETE /v1/memory_stores/{memory_store_id}/memories/{memory_id}` */
      delete(memoryStoreId: string, memoryId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
      /** `GET /v1/memory_stores/{memory_store_id}/memories` */
      list(memoryStoreId: string, query?: Query, options?: RequestOptions): PagePromise<MemoryListItem>;
      /** `GET /v1/memory_stores/{memory_store_id}/memories/{memory_id}` */
      retrieve(memoryStoreId: string, memoryId: string, query?: Query, options?: RequestOptions): APIPromise<Memory>;
      /** `POST /v1/memory_stores/{memory_store_id}/memories/{memory_id}` */
      update(memoryStoreId: string, memoryId: string, params?: Params, options?: RequestOptions): APIPromise<Memory>;
    };
    memoryVersions: {
      /** `GET /v1/memory_stores/{memory_store_id}/memory_versions` */
      list(memoryStoreId: string, query?: Query, options?: RequestOptions): PagePromise<MemoryVersion>;
      /** `POST /v1/memory_stores/{memory_store_id}/memory_versions/{memory_version_id}/redact` */
      redact(memoryStoreId: string, memoryVersionId: string, query?: Query, options?: RequestOptions): APIPromise<MemoryVersion>;
      /** `GET /v1/memory_stores/{memory_store_id}/memory_versions/{memory_version_id}` */
      retrieve(memoryStoreId: string, memoryVersionId: string, query?: Query, options?: RequestOptions): APIPromise<MemoryVersion>;
    };
  };
  organization: {
    webhooks: {
      /** `POST /v1/organizations/webhooks` */
      create(params: Params, options?: RequestOptions): APIPromise<NewOrganizationWebhookEndpoint>;
      /** `DELETE /v1/organizations/webhooks/{webhook_endpoint_id}` */
      delete(webhookEndpointId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
      /** `GET /v1/organizations/webhooks` */
      list(query?: Query, options?: RequestOptions): IdPagePromise<OrganizationWebhookEndpoint>;
      /** `POST /v1/organizations/webhooks/{webhook_endpoint_id}/regenerate_signing_secret` */
      regenerateSigningSecret(webhookEndpointId: string, query?: Query, options?: RequestOptions): APIPromise<OrganizationWebhookEndpointSigningSecret>;
      /** `GET /v1/organizations/webhooks/{webhook_endpoint_id}` */
      retrieve(webhookEndpointId: string, query?: Query, options?: RequestOptions): APIPromise<OrganizationWebhookEndpoint>;
      /** `POST /v1/organizations/webhooks/{webhook_endpoint_id}` */
      update(webhookEndpointId: string, params?: Params, options?: RequestOptions): APIPromise<OrganizationWebhookEndpoint>;
    };
  };
  sessions: {
    /** `POST /v1/sessions/{session_id}/archive` */
    archive(sessionId: string, query?: Query, options?: RequestOptions): APIPromise<Session>;
    /** `POST /v1/sessions` */
    create(params: Params, options?: RequestOptions): APIPromise<Session>;
    /** `DELETE /v1/sessions/{session_id}` */
    delete(sessionId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
    /** `GET /v1/sessions` */
    list(query?: Query, options?: RequestOptions): PagePromise<Session>;
    /** `GET /v1/sessions/{session_id}` */
    retrieve(sessionId: string, query?: Query, options?: RequestOptions): APIPromise<Session>;
    /** `POST /v1/sessions/{session_id}` */
    update(sessionId: string, params?: Params, options?: RequestOptions): APIPromise<Session>;
    events: {
      /** `GET /v1/sessions/{session_id}/events` */
      list(sessionId: string, query?: Query, options?: RequestOptions): PagePromise<SessionEvent>;
      /** `POST /v1/sessions/{session_id}/events` */
      send(sessionId: string, params: Params, options?: RequestOptions): APIPromise<SendSessionEvents>;
      /** `GET /v1/sessions/{session_id}/events/stream` */
      stream(sessionId: string, query?: Query, options?: RequestOptions): Promise<Response>;
    };
    resources: {
      /** `POST /v1/sessions/{session_id}/resources` */
      add(sessionId: string, params: Params, options?: RequestOptions): APIPromise<FileResource>;
      /** `DELETE /v1/sessions/{session_id}/resources/{resource_id}` */
      delete(sessionId: string, resourceId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
      /** `GET /v1/sessions/{session_id}/resources` */
      list(sessionId: string, query?: Query, options?: RequestOptions): PagePromise<SessionResource>;
      /** `GET /v1/sessions/{session_id}/resources/{resource_id}` */
      retrieve(sessionId: string, resourceId: string, query?: Query, options?: RequestOptions): APIPromise<ResourceRetrieveResponse>;
      /** `POST /v1/sessions/{session_id}/resources/{resource_id}` */
      update(sessionId: string, resourceId: string, params?: Params, options?: RequestOptions): APIPromise<ResourceUpdateResponse>;
    };
    threads: {
      /** `POST /v1/sessions/{session_id}/threads/{thread_id}/archive` */
      archive(sessionId: string, threadId: string, query?: Query, options?: RequestOptions): APIPromise<SessionThread>;
      /** `GET /v1/sessions/{session_id}/threads` */
      list(sessionId: string, query?: Query, options?: RequestOptions): PagePromise<SessionThread>;
      /** `GET /v1/sessions/{session_id}/threads/{thread_id}` */
      retrieve(sessionId: string, threadId: string, query?: Query, options?: RequestOptions): APIPromise<SessionThread>;
      events: {
        /** `GET /v1/sessions/{session_id}/threads/{thread_id}/events` */
        list(sessionId: string, threadId: string, query?: Query, options?: RequestOptions): PagePromise<SessionEvent>;
        /** `GET /v1/sessions/{session_id}/threads/{thread_id}/stream` */
        stream(sessionId: string, threadId: string, query?: Query, options?: RequestOptions): Promise<Response>;
      };
    };
  };
  skills: {
    /** `POST /v1/skills` */
    create(params: UploadParams, options?: RequestOptions): APIPromise<Skill>;
    /** `DELETE /v1/skills/{skill_id}` */
    delete(skillId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
    /** `GET /v1/skills` */
    list(query?: Query, options?: RequestOptions): PagePromise<Skill>;
    /** `GET /v1/skills/{skill_id}` */
    retrieve(skillId: string, query?: Query, options?: RequestOptions): APIPromise<Skill>;
    versions: {
      /** `POST /v1/skills/{skill_id}/versions` */
      create(skillId: string, params: UploadParams, options?: RequestOptions): APIPromise<SkillVersion>;
      /** `DELETE /v1/skills/{skill_id}/versions/{version}` */
      delete(skillId: string, version: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
      /** `GET /v1/skills/{skill_id}/versions/{version}/content` */
      download(skillId: string, version: string, query?: Query, options?: RequestOptions): Promise<Response>;
      /** `GET /v1/skills/{skill_id}/versions` */
      list(skillId: string, query?: Query, options?: RequestOptions): PagePromise<SkillVersion>;
      /** `GET /v1/skills/{skill_id}/versions/{version}` */
      retrieve(skillId: string, version: string, query?: Query, options?: RequestOptions): APIPromise<SkillVersion>;
    };
  };
  tunnels: {
    /** `POST /v1/tunnels/{tunnel_id}/archive` */
    archive(tunnelId: string, query?: Query, options?: RequestOptions): APIPromise<Tunnel>;
    /** `POST /v1/tunnels` */
    create(params: Params, options?: RequestOptions): APIPromise<Tunnel>;
    /** `GET /v1/tunnels` */
    list(query?: Query, options?: RequestOptions): PagePromise<Tunnel>;
    /** `GET /v1/tunnels/{tunnel_id}` */
    retrieve(tunnelId: string, query?: Query, options?: RequestOptions): APIPromise<Tunnel>;
    /** `POST /v1/tunnels/{tunnel_id}/reveal_token` */
    revealToken(tunnelId: string, query?: Query, options?: RequestOptions): APIPromise<TunnelToken>;
    /** `POST /v1/tunnels/{tunnel_id}/rotate_token` */
    rotateToken(tunnelId: string, params?: Params, options?: RequestOptions): APIPromise<TunnelToken>;
    certificates: {
      /** `POST /v1/tunnels/{tunnel_id}/certificates/{certificate_id}/archive` */
      archive(tunnelId: string, certificateId: string, query?: Query, options?: RequestOptions): APIPromise<TunnelCertificate>;
      /** `POST /v1/tunnels/{tunnel_id}/certificates` */
      create(tunnelId: string, params: Params, options?: RequestOptions): APIPromise<TunnelCertificate>;
      /** `GET /v1/tunnels/{tunnel_id}/certificates` */
      list(tunnelId: string, query?: Query, options?: RequestOptions): PagePromise<TunnelCertificate>;
      /** `GET /v1/tunnels/{tunnel_id}/certificates/{certificate_id}` */
      retrieve(tunnelId: string, certificateId: string, query?: Query, options?: RequestOptions): APIPromise<TunnelCertificate>;
    };
  };
  vaults: {
    /** `POST /v1/vaults/{vault_id}/archive` */
    archive(vaultId: string, query?: Query, options?: RequestOptions): APIPromise<Vault>;
    /** `POST /v1/vaults` */
    create(params: Params, options?: RequestOptions): APIPromise<Vault>;
    /** `DELETE /v1/vaults/{vault_id}` */
    delete(vaultId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
    /** `GET /v1/vaults` */
    list(query?: Query, options?: RequestOptions): PagePromise<Vault>;
    /** `GET /v1/vaults/{vault_id}` */
    retrieve(vaultId: string, query?: Query, options?: RequestOptions): APIPromise<Vault>;
    /** `POST /v1/vaults/{vault_id}` */
    update(vaultId: string, params?: Params, options?: RequestOptions): APIPromise<Vault>;
    credentials: {
      /** `POST /v1/vaults/{vault_id}/credentials/{credential_id}/archive` */
      archive(vaultId: string, credentialId: string, query?: Query, options?: RequestOptions): APIPromise<Credential>;
      /** `POST /v1/vaults/{vault_id}/credentials` */
      create(vaultId: string, params: Params, options?: RequestOptions): APIPromise<Credential>;
      /** `DELETE /v1/vaults/{vault_id}/credentials/{credential_id}` */
      delete(vaultId: string, credentialId: string, query?: Query, options?: RequestOptions): APIPromise<Deleted>;
      /** `GET /v1/vaults/{vault_id}/credentials` */
      list(vaultId: string, query?: Query, options?: RequestOptions): PagePromise<Credential>;
      /** `POST /v1/vaults/{vault_id}/credentials/{credential_id}/mcp_oauth_validate` */
      mcpOauthValidate(vaultId: string, credentialId: string, query?: Query, options?: RequestOptions): APIPromise<CredentialValidation>;
      /** `GET /v1/vaults/{vault_id}/credentials/{credential_id}` */
      retrieve(vaultId: string, credentialId: string, query?: Query, options?: RequestOptions): APIPromise<Credential>;
      /** `POST /v1/vaults/{vault_id}/credentials/{credential_id}` */
      update(vaultId: string, credentialId: string, params?: Params, options?: RequestOptions): APIPromise<Credential>;
    };
  };
}
