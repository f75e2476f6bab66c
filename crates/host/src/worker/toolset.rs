//! The built-in `agent_toolset_20260401` of a self-hosted environment, with the SDK's
//! inputs and result texts, run in a sandbox: `bash` in a persistent sandboxed shell per
//! session thread ([`super::shell`]), the file tools (`read`, `write`, `edit`, `glob`,
//! `grep`) beneath the workdir ([`super::beneath`]), whatever a path or symlink says.

use super::beneath::Beneath;
use super::shell::{Ended, SandboxSpec, Shell, WORKDIR_IN_SANDBOX};
use crate::dispatch::CallOutcome;
use outrig_api::events::AgentToolUse;
use outrig_api::ContentBlock;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The tools, by name.
pub const TOOLS: [&str; 6] = ["bash", "read", "write", "edit", "glob", "grep"];

/// Characters of bash output returned; the rest is saved to a file the agent can read.
pub const BASH_OUTPUT_LIMIT: usize = 30_000;
/// The longest a bash command may run (the SDK's default).
pub const BASH_TIMEOUT: Duration = Duration::from_secs(295);
/// Bytes `read` returns without a `view_range`.
const READ_LIMIT: u64 = 110_000;
/// Bytes `edit` loads.
const EDIT_LIMIT: u64 = 256 * 1024;
/// Entries a glob or grep walk visits.
const WALK_LIMIT: usize = 50_000;
/// Paths `glob` returns.
const GLOB_LIMIT: usize = 200;
/// Bytes of `grep` output.
const GREP_LIMIT: usize = 100 * 1024;
/// Lines longer than this are skipped by `grep`.
const GREP_LINE_LIMIT: usize = 2000;
/// Where cut bash output is saved, under the workdir.
const SAVED_OUTPUT_DIR: &str = ".outrig/bash-output";

const HOW_TO_RESTART: &str =
    "Call bash with restart set to true to start a new one. It starts in the original \
working directory, without the old shell's variables and background jobs.";

/// One session's toolset.
pub struct Toolset {
    files: Beneath,
    spec: SandboxSpec,
    /// One shell per session thread (`None`: the primary thread).
    shells: Mutex<HashMap<Option<String>, Option<Shell>>>,
    bash_timeout: Duration,
    saved: std::sync::atomic::AtomicU64,
    /// The session's egress proxy, if it has network grants.
    proxy: Option<tokio::task::JoinHandle<()>>,
    /// Memory stores mounted beside the workdir, and whether each is read-only.
    mounts: Vec<(Beneath, bool)>,
}

impl Toolset {
    /// A toolset over `spec.workdir` (the shell starts with the first `bash` call).
    pub fn new(spec: SandboxSpec) -> std::io::Result<Self> {
        let files = Beneath::open(&spec.workdir, WORKDIR_IN_SANDBOX, spec.run_as)?;
        Ok(Toolset {
            files,
            spec,
            shells: Mutex::default(),
            bash_timeout: BASH_TIMEOUT,
            saved: Default::default(),
            proxy: None,
            mounts: Vec::new(),
        })
    }

    /// Lets the file tools reach these roots too (memory stores), read-only or not.
    pub fn with_mounts(mut self, mounts: Vec<(Beneath, bool)>) -> Self {
        self.mounts = mounts;
        self
    }

    /// The root an agent's path is under: a mount whose path it starts with, else the
    /// workdir; and whether it is read-only.
    fn root_for(&self, given: &str) -> (&Beneath, bool) {
        self.mounts
            .iter()
            .find(|(root, _)| root.contains(given.trim()))
            .map(|(root, read_only)| (root, *read_only))
            .unwrap_or((&self.files, false))
    }

    /// The workdir, for the worker's own writes (skills).
    pub fn files(&self) -> &Beneath {
        &self.files
    }

    /// Keeps the session's egress proxy running until [`Toolset::close`].
    pub fn with_proxy(mut self, proxy: Option<tokio::task::JoinHandle<()>>) -> Self {
        self.proxy = proxy;
        self
    }

    /// Uses `timeout` as the longest a bash command may run.
    pub fn with_bash_timeout(mut self, timeout: Duration) -> Self {
        self.bash_timeout = timeout;
        self
    }

    /// Runs one call; a failure is an error result with the reason.
    pub async fn run(&self, call: &AgentToolUse) -> CallOutcome {
        let started = Instant::now();
        let thread = call.session_thread_id.clone().flatten();
        let input = &call.input;
        let result = match call.name.as_str() {
            "bash" => self.bash(thread, input).await.map(text),
            "read" => self.read(input),
            "write" => self.write(input).map(text),
            "edit" => self.edit(input).map(text),
            "glob" => self.glob(input).map(text),
            "grep" => self.grep(input).map(text),
            other => Err(format!("`{other}` is not a tool of agent_toolset_20260401")),
        };
        let (content, is_error) = match result {
            Ok(content) => (content, false),
            // The API refuses an error result with no content.
            Err(message) if message.is_empty() => (text("(no output)".into()), true),
            Err(message) => (text(message), true),
        };
        CallOutcome {
            content,
            is_error,
            elapsed: started.elapsed(),
            logs: Vec::new(),
            structured: None,
        }
    }

    /// Kills every shell: no process of the session survives.
    pub async fn close(&self) {
        for shell in self.shells.lock().await.values_mut().flatten() {
            shell.kill().await;
        }
        if let Some(proxy) = &self.proxy {
            proxy.abort();
        }
    }

    async fn bash(&self, thread: Option<String>, input: &Value) -> Result<String, String> {
        let command = optional_str(input, "command", "bash")?;
        let restart = input["restart"].as_bool().unwrap_or(false);
        let timeout = match input["timeout_ms"].as_u64() {
            Some(ms) if ms > 0 => Duration::from_millis(ms).min(self.bash_timeout),
            _ => self.bash_timeout,
        };
        let mut shells = self.shells.lock().await;
        let slot = shells.entry(thread).or_default();
        if restart {
            if let Some(mut shell) = slot.take() {
                shell.kill().await;
            }
            if command.is_none() {
                return Ok("bash session restarted".into());
            }
        }
        let Some(command) = command else {
            return Err("bash: command is required".into());
        };
        if slot.as_ref().is_some_and(Shell::is_gone) {
            return Err(format!(
                "[This command did not run, because the shell is gone. {HOW_TO_RESTART}]"
            ));
        }
        if slot.is_none() {
            let shell = Shell::start(&self.spec)
                .await
                .map_err(|e| format!("bash: {e}"))?;
            *slot = Some(shell);
        }
        let shell = slot.as_mut().expect("started above");
        let run = shell.exec(command, timeout).await;
        let mut out = self.cut(&run.output, run.dropped);
        let code = match run.ended {
            Ended::Exited(code) => code,
            Ended::TimedOut => {
                out.push_str(&format!(
                    "\ncommand timed out after {}s",
                    timeout.as_secs_f64()
                ));
                -1
            }
            Ended::ShellGone => -1,
        };
        if shell.is_gone() {
            let output = if out.is_empty() { "(no output)" } else { &out };
            out = format!("{output}\n[The shell is gone. {HOW_TO_RESTART}]");
        }
        if code != 0 {
            return Err(out);
        }
        Ok(out)
    }

    /// The output as text, cut at [`BASH_OUTPUT_LIMIT`] characters with the whole saved.
    fn cut(&self, output: &[u8], dropped: u64) -> String {
        let whole = String::from_utf8_lossy(output);
        let whole = whole.trim_end_matches('\n');
        if whole.chars().count() <= BASH_OUTPUT_LIMIT && dropped == 0 {
            return whole.to_string();
        }
        let kept: String = whole.chars().take(BASH_OUTPUT_LIMIT).collect();
        let cut_lines = whole.lines().count().saturating_sub(kept.lines().count());
        let n = self
            .saved
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let file = Path::new(SAVED_OUTPUT_DIR).join(format!("{}-{n}.txt", std::process::id()));
        let saved = match self.files.write(&file, whole.as_bytes()) {
            Ok(()) if dropped > 0 => format!(
                "The first {} MiB of output saved to: {} — use read with view_range to read specific portions. ",
                output.len() >> 20,
                self.files.shown(&file)
            ),
            Ok(()) => format!(
                "Full output saved to: {} — use read with view_range to read specific portions. ",
                self.files.shown(&file)
            ),
            Err(_) => String::new(),
        };
        format!("{kept}\n\n... [{cut_lines} lines truncated] {saved}...")
    }

    /// Where an agent's path is: its root, the path relative to it, the path as given, and
    /// whether the root is read-only.
    fn path(
        &self,
        input: &Value,
        tool: &str,
        field: &str,
    ) -> Result<(&Beneath, PathBuf, String, bool), String> {
        let given = required_str(input, field, tool)?;
        let (files, read_only) = self.root_for(given);
        let relative = files.relative(given).map_err(|e| format!("{tool}: {e}"))?;
        Ok((files, relative, given.to_string(), read_only))
    }

    fn read(&self, input: &Value) -> Result<Vec<ContentBlock>, String> {
        let (files, relative, shown, _) = self.path(input, "read", "file_path")?;
        let range = match &input["view_range"] {
            Value::Null => None,
            Value::Array(pair) if pair.len() == 2 => {
                let line = |v: &Value| {
                    v.as_i64()
                        .ok_or("read: view_range must be [start_line, end_line]")
                };
                Some((line(&pair[0])?, line(&pair[1])?))
            }
            _ => return Err("read: view_range must be [start_line, end_line]".into()),
        };
        let (size, regular) = files
            .stat(&relative)
            .map_err(|e| fs_error("read", &shown, e))?;
        if !regular {
            return Err(format!("read: {shown}: not a regular file"));
        }
        if size > READ_LIMIT && range.is_none() {
            return Err(format!(
                "read: {shown} is {size} bytes, exceeds {READ_LIMIT}-byte limit. Use the view_range parameter \
                 to read specific line ranges, e.g. view_range: [1, 500]."
            ));
        }
        let bytes = files
            .read(&relative, 64 << 20)
            .map_err(|e| fs_error("read", &shown, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            format!("read: {shown}: not valid UTF-8 text (binary files are only supported for image/PDF extensions)")
        })?;
        let Some((start, end)) = range else {
            return Ok(vec![ContentBlock::text(text)]);
        };
        let lines: Vec<&str> = text.split('\n').collect();
        let from = (start.max(1) - 1) as usize;
        let to = if end > 0 {
            (end as usize).min(lines.len())
        } else {
            lines.len()
        };
        let picked = lines.get(from.min(to)..to).unwrap_or_default().join("\n");
        if picked.len() as u64 > READ_LIMIT {
            return Err(format!(
                "read: lines {start}-{end} of {shown} exceed the {READ_LIMIT}-byte limit"
            ));
        }
        Ok(vec![ContentBlock::text(picked)])
    }

    fn write(&self, input: &Value) -> Result<String, String> {
        let (files, relative, shown, read_only) = self.path(input, "write", "file_path")?;
        if read_only {
            return Err(format!("write: {shown} is in a read-only memory store"));
        }
        let content = required_str(input, "content", "write")?;
        files
            .write(&relative, content.as_bytes())
            .map_err(|e| fs_error("write", &shown, e))?;
        Ok(format!(
            "wrote {} bytes to {shown}",
            content.chars().count()
        ))
    }

    fn edit(&self, input: &Value) -> Result<String, String> {
        let (files, relative, shown, read_only) = self.path(input, "edit", "file_path")?;
        if read_only {
            return Err(format!("edit: {shown} is in a read-only memory store"));
        }
        let old = required_str(input, "old_string", "edit")?;
        let new = required_str(input, "new_string", "edit")?;
        let all = input["replace_all"].as_bool().unwrap_or(false);
        let (size, regular) = files
            .stat(&relative)
            .map_err(|e| fs_error("edit", &shown, e))?;
        if !regular {
            return Err(format!("edit: {shown}: not a regular file"));
        }
        if size > EDIT_LIMIT {
            return Err(format!(
                "edit: {shown} is {size} bytes, exceeds {EDIT_LIMIT}-byte limit. The edit tool loads the whole \
                 file and cannot modify a file this large."
            ));
        }
        let bytes = files
            .read(&relative, EDIT_LIMIT)
            .map_err(|e| fs_error("edit", &shown, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            format!("edit: {shown}: not valid UTF-8 text (cannot edit binary files)")
        })?;
        let count = if old.is_empty() {
            0
        } else {
            text.matches(old).count()
        };
        if count == 0 {
            return Err(format!("edit: old_string not found in {shown}"));
        }
        if !all && count > 1 {
            return Err(format!(
                "edit: old_string appears {count} times in {shown} (must be unique)"
            ));
        }
        let updated = if all {
            text.replace(old, new)
        } else {
            text.replacen(old, new, 1)
        };
        files
            .write(&relative, updated.as_bytes())
            .map_err(|e| fs_error("edit", &shown, e))?;
        Ok(format!(
            "edited {shown} ({} replacement(s))",
            if all { count } else { 1 }
        ))
    }

    /// The directory a `glob` or `grep` searches: `path`, or the workdir.
    fn search_root(&self, input: &Value, tool: &str) -> Result<(&Beneath, PathBuf), String> {
        match input["path"].as_str() {
            Some(path) if !path.is_empty() => {
                let (files, _) = self.root_for(path);
                let relative = files.relative(path).map_err(|e| format!("{tool}: {e}"))?;
                Ok((files, relative))
            }
            _ => Ok((&self.files, PathBuf::new())),
        }
    }

    fn glob(&self, input: &Value) -> Result<String, String> {
        let pattern = required_str(input, "pattern", "glob")?;
        if pattern.starts_with('/') {
            return Err("glob: absolute pattern not permitted; pass a relative pattern (and optionally path)".into());
        }
        if Path::new(pattern)
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        {
            return Err("glob: '..' is not permitted in the pattern".into());
        }
        let (files, root) = self.search_root(input, "glob")?;
        let matcher = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("glob: {e}"))?
            .compile_matcher();
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
        files
            .walk(&root, WALK_LIMIT, &mut |path, _| {
                let below = path.strip_prefix(&root).unwrap_or(path);
                if matcher.is_match(below) {
                    found.push((modified(files, path), path.to_path_buf()));
                }
            })
            .map_err(|e| fs_error("glob", &files.shown(&root), e))?;
        if found.is_empty() {
            return Ok("no matches".into());
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(found
            .iter()
            .take(GLOB_LIMIT)
            .map(|(_, path)| files.shown(path))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    fn grep(&self, input: &Value) -> Result<String, String> {
        let pattern = required_str(input, "pattern", "grep")?;
        let regex = regex::Regex::new(pattern).map_err(|e| format!("grep: invalid regex: {e}"))?;
        let (files, root) = self.search_root(input, "grep")?;
        let (_, regular) = files
            .stat(&root)
            .map_err(|e| fs_error("grep", &files.shown(&root), e))?;
        let mut searched = Vec::new();
        if regular {
            searched.push(root.clone());
        } else {
            files
                .walk(&root, WALK_LIMIT, &mut |path, is_dir| {
                    let skipped = path
                        .components()
                        .any(|c| matches!(c.as_os_str().to_str(), Some(".git" | "node_modules")));
                    if !is_dir && !skipped {
                        searched.push(path.to_path_buf());
                    }
                })
                .map_err(|e| fs_error("grep", &files.shown(&root), e))?;
            searched.sort();
        }
        let mut hits: Vec<String> = Vec::new();
        let mut budget = GREP_LIMIT as i64;
        'files: for file in searched {
            // Regular files only (no FIFOs or devices), never through a symlink out.
            let Ok(bytes) = files.read(&file, 64 << 20) else {
                continue;
            };
            if bytes[..bytes.len().min(512)].contains(&0) {
                continue;
            }
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if line.len() > GREP_LINE_LIMIT {
                    continue;
                }
                let line = String::from_utf8_lossy(line);
                let line = line.trim_end_matches('\r');
                if regex.is_match(line) {
                    let hit = format!("{}:{}:{line}", files.shown(&file), n + 1);
                    budget -= hit.len() as i64 + 1;
                    if budget < 0 {
                        hits.push(format!("[output truncated at {GREP_LIMIT} bytes]"));
                        break 'files;
                    }
                    hits.push(hit);
                }
            }
        }
        Ok(if hits.is_empty() {
            "no matches".into()
        } else {
            hits.join("\n")
        })
    }
}

fn text(text: String) -> Vec<ContentBlock> {
    vec![ContentBlock::text(text)]
}

fn required_str<'a>(input: &'a Value, field: &str, tool: &str) -> Result<&'a str, String> {
    input[field]
        .as_str()
        .ok_or_else(|| format!("{tool}: `{field}` is required and must be a string"))
}

fn optional_str<'a>(input: &'a Value, field: &str, tool: &str) -> Result<Option<&'a str>, String> {
    match &input[field] {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(format!("{tool}: `{field}` must be a string")),
    }
}

/// A file-system error as the agent reads it; an escape names the workdir.
fn fs_error(tool: &str, path: &str, error: std::io::Error) -> String {
    let reason = match error.raw_os_error() {
        Some(libc::EXDEV) => format!("resolves outside the workdir {WORKDIR_IN_SANDBOX}"),
        Some(libc::ELOOP) => "is a symlink loop, or a link the file tools do not follow".into(),
        Some(libc::ENOENT) => "no such file or directory".into(),
        Some(libc::EACCES) | Some(libc::EPERM) => "permission denied".into(),
        Some(libc::EISDIR) => "is a directory".into(),
        Some(libc::ENOTDIR) => "a part of the path is not a directory".into(),
        _ => error.to_string(),
    };
    format!("{tool}: {path}: {reason}")
}

/// When the file at `relative` was last modified (the epoch if unknown).
fn modified(files: &Beneath, relative: &Path) -> std::time::SystemTime {
    let fd = files.open_at(
        relative,
        rustix::fs::OFlags::PATH,
        rustix::fs::Mode::empty(),
    );
    fd.ok()
        .and_then(|fd| rustix::fs::fstat(&fd).ok())
        .map(|s| std::time::UNIX_EPOCH + Duration::from_secs(s.st_mtime.max(0) as u64))
        .unwrap_or(std::time::UNIX_EPOCH)
}
