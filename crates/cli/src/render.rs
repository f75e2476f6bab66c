//! Human-readable rendering of events, colored when stdout is a terminal.

use outrig_api::content::joined_text;
use outrig_api::events::Event;
use std::io::IsTerminal;

/// Renders events as one or more lines each.
pub struct Renderer {
    color: bool,
}

impl Renderer {
    /// Colors only on a terminal (and never with `NO_COLOR`).
    pub fn for_stdout() -> Self {
        Renderer {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// The line(s) for one event, or `None` for events not worth showing.
    pub fn line(&self, event: &Event) -> Option<String> {
        let clip = |text: String| {
            if text.chars().count() > 400 {
                format!("{}…", text.chars().take(400).collect::<String>())
            } else {
                text
            }
        };
        let (tag, code, body) = match event {
            Event::UserMessage(m) => ("user", "1;34", clip(joined_text(&m.content))),
            Event::AgentMessage(m) => ("agent", "1;32", clip(joined_text(&m.content))),
            Event::AgentThinking(_) => ("thinking", "2", "…".into()),
            Event::AgentCustomToolUse(c) => (
                "tool call",
                "1;35",
                format!("{} {}", c.name, clip(c.input.to_string())),
            ),
            Event::UserCustomToolResult(r) => {
                let text = clip(r.content.as_deref().map(joined_text).unwrap_or_default());
                if r.is_error.flatten().unwrap_or(false) {
                    ("tool error", "1;31", text)
                } else {
                    ("tool result", "35", text)
                }
            }
            Event::AgentToolUse(c) => (
                "builtin tool",
                "35",
                format!("{} {}", c.name, clip(c.input.to_string())),
            ),
            Event::SessionStatusRunning(_) => ("status", "2", "running".into()),
            Event::SessionStatusIdle(i) => (
                "status",
                "2",
                format!("idle ({})", i.stop_reason.type_name()),
            ),
            Event::SessionStatusTerminated(_) => ("status", "2", "terminated".into()),
            Event::SessionError(e) => (
                "error",
                "1;31",
                serde_json::to_value(&e.error).ok()?["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
            Event::SpanModelRequestStart(_)
            | Event::SpanModelRequestEnd(_)
            | Event::EventStart(_)
            | Event::EventDelta(_) => return None,
            other => ("event", "2", other.type_name().to_string()),
        };
        let indent = " ".repeat(14);
        let body = body.replace('\n', &format!("\n{indent}"));
        Some(format!(
            "{} {body}",
            self.paint(code, &format!("{tag:>13}"))
        ))
    }
}
