// Type declarations of `outrig/bedrock`: the client for Managed Agents on Amazon Bedrock.
import type { APIPromise, AwsRole, ClientOptions, CreateSession, Outrig, RequestOptions, Session } from "./outrig.js";

export * from "./outrig.js";

/** AWS credentials (as the AWS SDKs name them); `sessionToken` for temporary ones. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface BedrockClientOptions extends Omit<ClientOptions, "apiKey" | "authToken" | "workspaceId"> {
  /** The AWS region, e.g. `us-east-1`; requests are signed for it. */
  region: string;
  /** Signs every request with SigV4 (service `bedrock`); a function is asked before each request (for refreshed credentials). */
  credentials?: AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);
  /** A Bedrock API key, sent as `Authorization: Bearer`, instead of `credentials`. */
  apiKey?: string;
  /** Defaults to `https://bedrock.{region}.amazonaws.com/anthropic`. */
  baseURL?: string;
}

/** A resource of a Bedrock session, as sent (spec part 3, §2.5.1). */
export type BedrockSessionResourceParams =
  | { type: "memory_store"; memory_store_id: string; access?: "read_write" | "read_only" | null; instructions?: string | null }
  | { type: "s3_mount"; s3_uri: string; region: string; mount_path: string; mount_as: "read_write" | "read_only"; description?: string; instructions?: string; is_output?: boolean }
  | { type: "s3_object"; s3_uri: string; region: string; mount_path: string; description?: string; instructions?: string }
  | { type: "sandbox_path"; path: string; description?: string; instructions?: string; is_output?: boolean };

/** Body of `POST /v1/sessions` on Bedrock: `environment_id` is an AgentCore runtime ARN; no vaults. */
export type BedrockSessionCreateParams = Omit<CreateSession, "vault_ids" | "resources"> & {
  resources?: BedrockSessionResourceParams[];
  /** Where the session's tools run (default `/mnt/workspace`). */
  working_directory?: string;
  /** The role the session runs as; or `role_arn`, not both. */
  execution_identity?: AwsRole;
  role_arn?: string;
};

/** What Amazon Bedrock serves: agents, sessions with their events and threads, memory stores. */
export type BedrockResources = Pick<Outrig, "baseURL" | "agents" | "memoryStores" | "request"> & {
  sessions: Omit<Outrig["sessions"], "resources" | "create"> & {
    create(body: BedrockSessionCreateParams, options?: RequestOptions): APIPromise<Session & { working_directory?: string }>;
  };
};

/**
 * A Managed Agents client for Amazon Bedrock. Endpoints Bedrock does not serve are absent
 * from its type and refused before sending (`NotOnBedrockError`).
 */
export declare const OutrigBedrock: new (options: BedrockClientOptions) => BedrockResources;
export type OutrigBedrock = BedrockResources;

/** A request for something Amazon Bedrock does not serve; refused before it is sent. */
export declare class NotOnBedrockError extends Error {}
