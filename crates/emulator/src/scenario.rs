//! Scenarios: what the emulated agent does in each turn. The built-in default answers a
//! message with a message, and turns each line `call NAME {json}` into a custom tool call.
//! Scenario files (`--scenarios DIR`, `NAME.json`, chosen by agent `metadata.scenario`)
//! script richer turns.

use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// A scripted agent: turn `i` answers the `i`-th user message (the last turn repeats).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The turns.
    pub turns: Vec<Turn>,
    /// The grader's verdict on each iteration of a `user.define_outcome` (`satisfied`,
    /// `needs_revision`, `failed`; the last repeats). Default: satisfied at once.
    #[serde(default)]
    pub outcome_verdicts: Vec<String>,
}

/// One turn: steps run in order; the turn ends with `end_turn` unless a step ends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// The steps.
    pub steps: Vec<Step>,
}

/// One thing the agent does.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// An `agent.message` with this text.
    Message(String),
    /// An `agent.thinking` event.
    Thinking,
    /// Custom tool calls made together; the turn waits for every result.
    ToolCalls(Vec<ToolCall>),
    /// A built-in tool call gated by `always_ask`; the turn waits for a confirmation.
    AskTool(ToolCall),
    /// An `agent.message` reporting the text of every tool result of this turn.
    ReportResults,
    /// A `session.error` with this error object (`type`, `message`, `retry_status`).
    Error(Value),
    /// End the turn with this stop reason type (`retries_exhausted`, `refusal`, …).
    Stop(String),
    /// A transient failure the platform retries: `session.status_rescheduled` (status
    /// `rescheduling`), then running again.
    Reschedule,
    /// Pause before the next step.
    DelayMs(u64),
    /// Hands a task to an agent of the session's multiagent roster (by name): a sub-thread
    /// starts, does the task as the default agent would (its `call NAME {json}` lines are
    /// custom tool calls of that agent), and reports back before the turn goes on.
    Delegate(Delegation),
    /// Where a delegation's sub-thread starts (expanded from `delegate`, not written).
    #[serde(skip)]
    EnterThread(Delegation),
    /// Where a delegation's sub-thread reports back.
    #[serde(skip)]
    LeaveThread,
}

/// A task for a sub-agent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// The roster agent's name.
    pub agent: String,
    /// What it is asked to do.
    pub task: String,
}

impl Turn {
    /// The turn with each `delegate` step expanded into the sub-thread's own steps.
    pub fn expanded(self) -> Result<Turn, String> {
        let mut steps = Vec::new();
        for step in self.steps {
            match step {
                Step::Delegate(delegation) => {
                    let inner = default_turn(&delegation.task)?;
                    steps.push(Step::EnterThread(delegation));
                    steps.extend(inner.steps);
                    steps.push(Step::LeaveThread);
                }
                other => steps.push(other),
            }
        }
        Ok(Turn { steps })
    }
}

/// A tool call of a step.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolCall {
    /// Tool name.
    pub name: String,
    /// Tool input (a JSON object).
    #[serde(default = "empty_object")]
    pub input: Value,
    /// A built-in tool of the agent's toolset (`agent.tool_use`, awaiting a
    /// `user.tool_result` from a self-hosted environment), not a custom tool.
    #[serde(default)]
    pub builtin: bool,
    /// A tool of an MCP server the agent attaches (`agent.mcp_tool_use`, called by the
    /// platform): `name` is `SERVER/TOOL`, or `TOOL` when the agent has one server.
    #[serde(default)]
    pub mcp: bool,
    /// With `mcp`, on Amazon Bedrock: the server first asks the person to act at a URL
    /// (`agent.mcp_elicitation`); the call waits for a `user.mcp_elicitation_response`
    /// (`accept` calls the server, `decline` or `cancel` end it with an error result).
    #[serde(default)]
    pub elicit: Option<Elicit>,
}

/// What an MCP server asks of the person (an `agent.mcp_elicitation` request of type `url`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Elicit {
    /// What the person is told.
    #[serde(default)]
    pub message: String,
    /// Where the person acts.
    #[serde(default = "default_elicit_url")]
    pub url: String,
}

fn default_elicit_url() -> String {
    "https://bedrock-agentcore.us-east-1.amazonaws.com/identities/oauth2/authorize".into()
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

/// Loads every `*.json` scenario of a directory, keyed by file stem.
pub fn load_dir(dir: &Path) -> anyhow::Result<HashMap<String, Scenario>> {
    let mut scenarios = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let scenario: Scenario = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("scenario {}: {e}", path.display()))?;
        if scenario.turns.is_empty() {
            anyhow::bail!("scenario {} has no turns", path.display());
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        scenarios.insert(name, scenario);
    }
    Ok(scenarios)
}

/// The default turn for a user message: `call NAME {json}` lines become parallel custom
/// tool calls, `tool NAME {json}` lines built-in tool calls (self-hosted environments) and
/// `mcp [SERVER/]NAME {json}` lines calls of an attached MCP server's tool, whose results
/// are reported back (`elicit [SERVER/]NAME {json}`: the same, after the server asks the
/// person to sign in, Bedrock's `agent.mcp_elicitation`); a first line `delegate NAME` hands the rest of the
/// message to that roster agent; anything else is answered with a message.
pub fn default_turn(text: &str) -> Result<Turn, String> {
    if let Some((first, task)) = text.trim().split_once('\n') {
        if let Some(agent) = first.trim().strip_prefix("delegate ") {
            let delegation = Delegation {
                agent: agent.trim().to_string(),
                task: task.trim().to_string(),
            };
            let steps = vec![
                Step::Message(format!("Asking {} to help.", delegation.agent)),
                Step::Delegate(delegation),
                Step::Message("The sub-agent has reported back.".into()),
            ];
            return Turn { steps }.expanded();
        }
    }
    let mut calls = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((verb, rest)) = ["call", "tool", "mcp", "elicit"]
            .into_iter()
            .find_map(|verb| {
                let rest = line.strip_prefix(verb)?.strip_prefix(' ')?;
                Some((verb, rest))
            })
        else {
            continue;
        };
        let (name, input) = match rest.trim().split_once(char::is_whitespace) {
            Some((name, json)) => {
                let input: Value = serde_json::from_str(json.trim())
                    .map_err(|e| format!("the input of `{verb} {name}` is not valid JSON: {e}"))?;
                (name, input)
            }
            None => (rest.trim(), empty_object()),
        };
        calls.push(ToolCall {
            name: name.to_string(),
            input,
            builtin: verb == "tool",
            mcp: matches!(verb, "mcp" | "elicit"),
            elicit: (verb == "elicit").then(|| Elicit {
                message: format!("Sign in to let the agent use `{name}`."),
                url: default_elicit_url(),
            }),
        });
    }
    let steps = if calls.is_empty() {
        vec![
            Step::Thinking,
            Step::Message(format!("You said: {}", text.trim())),
        ]
    } else {
        let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
        vec![
            Step::Thinking,
            Step::Message(format!("Calling {}.", names.join(", "))),
            Step::ToolCalls(calls),
            Step::ReportResults,
        ]
    };
    Ok(Turn { steps })
}
