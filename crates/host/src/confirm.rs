//! Tool confirmations by operator policy: `[[confirm]]` rules in the grants file answer the
//! `user.tool_confirmation` a built-in or MCP tool call with `always_ask` awaits. A rule
//! names a tool, an MCP server, or both, and may match a JSON pointer of the input; the
//! first rule that matches decides `allow` or `deny` (with a message for the model). When
//! the file has rules, a call no rule matches is denied; when it has none, the host leaves
//! every confirmation to a person (`outrig sessions confirm`).

use outrig_api::events::Event;
use outrig_api::SendEvent;
use serde::Deserialize;
use serde_json::Value;

/// One `[[confirm]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRule {
    /// The tool's name (`agent.tool_use` / `agent.mcp_tool_use` `name`).
    #[serde(default)]
    pub tool: Option<String>,
    /// The MCP server's name (`agent.mcp_tool_use` only).
    #[serde(default)]
    pub mcp_server: Option<String>,
    /// A condition on the input.
    #[serde(default, rename = "match")]
    pub input: Option<InputMatch>,
    /// `allow` or `deny`.
    pub decision: Decision,
    /// Shown to the model when denying.
    #[serde(default)]
    pub message: Option<String>,
}

/// `match = { pointer = "/command", equals = "ls" }` or `prefix = "git "`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputMatch {
    /// A JSON pointer (RFC 6901) into the input.
    pub pointer: String,
    /// The value there must equal this (strings compare as text, others as JSON).
    #[serde(default)]
    pub equals: Option<Value>,
    /// The string there must start with this.
    #[serde(default)]
    pub prefix: Option<String>,
}

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Let the call run.
    Allow,
    /// Refuse it.
    Deny,
}

/// A confirmation the policy decided: the event to send and why, for the log.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The `user.tool_confirmation` to send.
    pub answer: SendEvent,
    /// Which rule decided, or that none matched.
    pub because: String,
}

/// Decides the confirmation `event` awaits; `None` when there are no rules (a person
/// decides) or the event awaits none.
pub fn decide(rules: &[ConfirmRule], event: &Event) -> Option<Decided> {
    let (id, name, server, input) = match event {
        Event::AgentToolUse(call) => (&call.id, &call.name, None, &call.input),
        Event::AgentMcpToolUse(call) => (
            &call.id,
            &call.name,
            Some(call.mcp_server_name.as_str()),
            &call.input,
        ),
        _ => return None,
    };
    if rules.is_empty() {
        return None;
    }
    let found = rules.iter().enumerate().find(|(_, rule)| {
        rule.tool.as_ref().is_none_or(|t| t == name)
            && rule.mcp_server.as_deref().is_none_or(|s| Some(s) == server)
            && rule.input.as_ref().is_none_or(|m| m.matches(input))
    });
    let (decision, message, because) = match found {
        Some((n, rule)) => (
            rule.decision,
            rule.message.clone(),
            format!("rule {} of [[confirm]]", n + 1),
        ),
        None => (
            Decision::Deny,
            Some(format!("no operator rule allows `{name}`")),
            "no [[confirm]] rule matched (deny by default)".to_string(),
        ),
    };
    Some(Decided {
        answer: confirmation(id, decision, message),
        because,
    })
}

/// A `user.tool_confirmation` for `tool_use_id`.
pub fn confirmation(tool_use_id: &str, decision: Decision, message: Option<String>) -> SendEvent {
    serde_json::from_value(match decision {
        Decision::Allow => serde_json::json!({"type": "user.tool_confirmation", "tool_use_id": tool_use_id, "result": "allow"}),
        Decision::Deny => serde_json::json!({"type": "user.tool_confirmation", "tool_use_id": tool_use_id, "result": "deny", "deny_message": message}),
    })
    .expect("a confirmation is a valid send event")
}

impl InputMatch {
    fn matches(&self, input: &Value) -> bool {
        let Some(found) = input.pointer(&self.pointer) else {
            return false;
        };
        let equal = self.equals.as_ref().is_none_or(|want| match (want, found) {
            (Value::String(want), Value::String(found)) => want == found,
            (want, found) => want == found,
        });
        let prefixed = self
            .prefix
            .as_ref()
            .is_none_or(|p| found.as_str().is_some_and(|s| s.starts_with(p.as_str())));
        equal && prefixed
    }
}

#[cfg(test)]
mod tests {
    use super::{decide, ConfirmRule};
    use outrig_api::events::Event;
    use outrig_api::SendEvent;

    fn rules(toml: &str) -> Vec<ConfirmRule> {
        #[derive(serde::Deserialize)]
        struct File {
            confirm: Vec<ConfirmRule>,
        }
        toml::from_str::<File>(toml).unwrap().confirm
    }

    fn call(json: &str) -> Event {
        Event::from_json(json).unwrap()
    }

    fn answer(decided: &super::Decided) -> (String, Option<String>) {
        match &decided.answer {
            SendEvent::UserToolConfirmation(c) => {
                (c.result.clone(), c.deny_message.clone().flatten())
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_first_matching_rule_decides_and_unmatched_calls_are_denied() {
        let rules = rules(
            r#"
            [[confirm]]
            tool = "bash"
            match = { pointer = "/command", prefix = "rm " }
            decision = "deny"
            message = "no deleting"
            [[confirm]]
            tool = "bash"
            decision = "allow"
            [[confirm]]
            mcp_server = "github"
            tool = "create_issue"
            decision = "allow"
            "#,
        );
        let bash = |command: &str| {
            call(&format!(
                r#"{{"type":"agent.tool_use","id":"t","processed_at":"x","name":"bash","input":{{"command":"{command}"}},"evaluated_permission":"ask"}}"#
            ))
        };
        assert_eq!(
            answer(&decide(&rules, &bash("rm -rf /")).unwrap()),
            ("deny".into(), Some("no deleting".into()))
        );
        assert_eq!(
            answer(&decide(&rules, &bash("ls")).unwrap()),
            ("allow".into(), None)
        );
        let mcp = |server: &str| {
            call(&format!(
                r#"{{"type":"agent.mcp_tool_use","id":"m","processed_at":"x","mcp_server_name":"{server}","name":"create_issue","input":{{}},"evaluated_permission":"ask"}}"#
            ))
        };
        assert_eq!(answer(&decide(&rules, &mcp("github")).unwrap()).0, "allow");
        let denied = decide(&rules, &mcp("gitlab")).unwrap();
        assert_eq!(
            answer(&denied),
            (
                "deny".into(),
                Some("no operator rule allows `create_issue`".into())
            )
        );
        assert!(denied.because.contains("deny by default"));
        assert!(
            decide(&[], &bash("ls")).is_none(),
            "no rules: a person decides"
        );
    }
}
