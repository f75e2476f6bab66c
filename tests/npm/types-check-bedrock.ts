// Compiled with `tsc --strict --noEmit` by scripts/test.sh: a consumer of `outrig/bedrock`.
// Endpoints Bedrock does not serve must not compile; Bedrock's own events narrow. Not run.
import { OutrigBedrock, NotOnBedrockError, isKnownEvent, type AwsCredentials, type KnownBedrockEvent } from "outrig/bedrock";

const credentials: AwsCredentials = { accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "token" };
const client = new OutrigBedrock({ region: "us-east-1", credentials });
new OutrigBedrock({ region: "us-east-1", apiKey: "bedrock-api-key" });
new OutrigBedrock({ region: "us-east-1", credentials: async () => credentials });

export async function run(runtimeArn: string): Promise<string[]> {
  const agent = await client.agents.create({
    name: "a",
    model: "us.anthropic.claude-sonnet-5-5",
    execution_identity: { type: "aws_role", role_arn: "arn:aws:iam::111122223333:role/agent" },
  });
  const session = await client.sessions.create({ agent: agent.id, environment_id: runtimeArn, working_directory: "/mnt/work", role_arn: "arn:aws:iam::111122223333:role/session" });
  const seen: string[] = [];
  for await (const event of await client.sessions.events.stream(session.id)) {
    if (event.type === "session.status_idle") break;
    if (!isKnownEvent(event)) {
      const bedrockEvent = event as unknown as KnownBedrockEvent;
      if (bedrockEvent.type === "agent.mcp_elicitation") seen.push(bedrockEvent.mcp_tool_use_id);
    }
    seen.push(event.type);
  }
  const store = await client.memoryStores.create({ name: "notes" });
  seen.push(store.id);
  // @ts-expect-error environments are not served on Bedrock
  client.environments.create({ name: "x" });
  // @ts-expect-error nor are session resources
  client.sessions.resources.list(session.id);
  try {
    await client.request("GET", "/v1/vaults");
  } catch (error) {
    if (error instanceof NotOnBedrockError) seen.push(error.message);
  }
  return seen;
}
