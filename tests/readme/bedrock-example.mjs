import { OutrigBedrock, NotOnBedrockError } from "outrig/bedrock";

// Credentials are passed in: these are the emulator's test pair (`--aws-key`); a function
// resolving to them, or a Bedrock API key (`apiKey`), works too.
const client = new OutrigBedrock({
  region: "us-east-1",
  baseURL: process.env.OUTRIG_BEDROCK_URL, // omit for https://bedrock.us-east-1.amazonaws.com/anthropic
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});
const agent = await client.agents.create({
  name: "Order support",
  model: "us.anthropic.claude-sonnet-5-5",
  execution_identity: { type: "aws_role", role_arn: "arn:aws:iam::111122223333:role/agent" },
});
const runtime = "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/support";
const session = await client.sessions.create({ agent: agent.id, environment_id: runtime });
console.log(session.working_directory);
try {
  await client.environments.create({ name: "x" });
} catch (error) {
  if (!(error instanceof NotOnBedrockError)) throw error;
  console.log(error.message);
}
