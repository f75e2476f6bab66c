//! A persistent bash in a per-session sandbox built by bubblewrap from the kernel's own
//! mechanisms: new user, mount, PID, network, IPC, UTS and cgroup namespaces; the workdir
//! the only writable host path; system directories read-only; a private `/tmp`, `/proc`
//! (showing only the sandbox's processes) and `/dev`; no host home and no host
//! environment variables; every capability dropped; a seccomp filter ([`super::seccomp`])
//! refusing the system calls that widen the kernel's surface. Resource limits are set inside the
//! sandbox's user namespace (processes, address space, CPU time, file size), where the
//! kernel counts them per sandbox; so that they bind, the sandbox never runs as the host's
//! root (a worker running as root drops to the configured sandbox user first).
//!
//! One shell keeps its working directory and variables across calls. A call that times
//! out, or a shell that exits, kills the whole sandbox: the PID namespace ends with its
//! first process, so no background process survives; `--die-with-parent` and a parent
//! death signal do the same if the worker itself dies.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;

/// The descriptor number bwrap reads the seccomp filter from.
const SECCOMP_FD: i32 = 100;

/// Where the shell sees its workdir.
pub const WORKDIR_IN_SANDBOX: &str = "/workspace";

/// Output kept in memory per command; beyond it the text is cut (the caller saves what
/// it has and says so).
const KEPT_BYTES: usize = 16 << 20;

/// What a sandbox may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellLimits {
    /// Processes (and threads) at once in the sandbox.
    pub processes: u64,
    /// Address space of each process, in MiB.
    pub memory_mib: u64,
    /// CPU seconds of each process.
    pub cpu_seconds: u64,
    /// Largest file a process may write, in MiB.
    pub file_mib: u64,
}

impl Default for ShellLimits {
    fn default() -> Self {
        ShellLimits {
            processes: 256,
            memory_mib: 2048,
            cpu_seconds: 600,
            file_mib: 1024,
        }
    }
}

/// How to build one session's sandbox.
#[derive(Debug, Clone)]
pub struct SandboxSpec {
    /// The session's workdir on the host (bound read-write at [`WORKDIR_IN_SANDBOX`]).
    pub workdir: PathBuf,
    /// A host directory for the sandbox's generated `/etc` files.
    pub private_dir: PathBuf,
    /// Resource limits.
    pub limits: ShellLimits,
    /// The host user and group the sandbox runs as (`None`: the worker's own, which must
    /// not be root).
    pub run_as: Option<(u32, u32)>,
    /// Environment variables set inside (e.g. the egress proxy's address).
    pub env: Vec<(String, String)>,
    /// Extra read-only binds: (host path, path inside).
    pub ro_binds: Vec<(PathBuf, String)>,
    /// Extra read-write binds: (host path, path inside).
    pub binds: Vec<(PathBuf, String)>,
    /// A command started in the background before the shell (e.g. the egress relay).
    pub before: Option<Vec<String>>,
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// It exited with this status.
    Exited(i32),
    /// It ran past its timeout; the sandbox was killed.
    TimedOut,
    /// The shell ended (e.g. `exit`); the sandbox is gone.
    ShellGone,
}

/// A command's output (stdout and stderr interleaved) and how it ended.
#[derive(Debug, Clone)]
pub struct Run {
    /// The output, up to [`KEPT_BYTES`].
    pub output: Vec<u8>,
    /// Bytes that were produced past the kept part.
    pub dropped: u64,
    /// How it ended.
    pub ended: Ended,
}

/// One running sandboxed shell.
pub struct Shell {
    child: Child,
    stdin: ChildStdin,
    output: mpsc::Receiver<Vec<u8>>,
    group: i32,
    gone: bool,
}

impl Shell {
    /// Starts the sandbox and its shell.
    pub async fn start(spec: &SandboxSpec) -> std::io::Result<Shell> {
        let passwd = spec.private_dir.join("passwd");
        std::fs::create_dir_all(&spec.private_dir)?;
        std::fs::write(&passwd, "agent:x:1000:1000:agent:/workspace:/bin/bash\n")?;
        std::fs::write(spec.private_dir.join("group"), "agent:x:1000:\n")?;
        std::fs::write(
            spec.private_dir.join("hosts"),
            "127.0.0.1 localhost outrig-sandbox\n::1 localhost\n",
        )?;
        // The filter goes to bwrap as an inherited file descriptor, at a fixed number.
        let filter_path = spec.private_dir.join("seccomp.bpf");
        std::fs::write(
            &filter_path,
            super::seccomp::program().map_err(std::io::Error::other)?,
        )?;
        let filter = std::fs::File::open(&filter_path)?;
        let filter_fd = std::os::fd::AsRawFd::as_raw_fd(&filter);
        let mut command = Command::new("bwrap");
        command.args(["--seccomp", &SECCOMP_FD.to_string()]);
        command.args(bwrap_args(spec));
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_clear()
            .kill_on_drop(true);
        let run_as = spec.run_as;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // Its own process group, killed as one; and killed if the worker dies.
                if libc::setsid() < 0 || libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // dup2 clears close-on-exec on the copy, so bwrap inherits it.
                if libc::dup2(filter_fd, SECCOMP_FD) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if let Some((uid, gid)) = run_as {
                    if libc::setgroups(0, std::ptr::null()) < 0
                        || libc::setresgid(gid, gid, gid) < 0
                        || libc::setresuid(uid, uid, uid) < 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot start bwrap (bubblewrap): {e}"))
        })?;
        drop(filter);
        let group = child.id().map(|pid| pid as i32).unwrap_or(-1);
        let mut stdin = child.stdin.take().expect("piped");
        let mut stdout = child.stdout.take().expect("piped");
        let (tx, output) = mpsc::channel(64);
        tokio::spawn(async move {
            let mut buf = vec![0u8; 64 << 10];
            while let Ok(n) = stdout.read(&mut buf).await {
                if n == 0 || tx.send(buf[..n].to_vec()).await.is_err() {
                    break;
                }
            }
        });
        // The shell's own diagnostics go where the commands' do.
        stdin.write_all(b"exec 2>&1\n").await?;
        let mut shell = Shell {
            child,
            stdin,
            output,
            group,
            gone: false,
        };
        // A first command proves the sandbox came up (bwrap reports set-up errors on stderr).
        let probe = shell.exec("true", Duration::from_secs(30)).await;
        if probe.ended != Ended::Exited(0) {
            let mut why = String::new();
            if let Some(mut stderr) = shell.child.stderr.take() {
                let _ =
                    tokio::time::timeout(Duration::from_secs(1), stderr.read_to_string(&mut why))
                        .await;
            }
            shell.kill().await;
            return Err(std::io::Error::other(format!(
                "the sandbox did not start: {}",
                why.trim()
            )));
        }
        Ok(shell)
    }

    /// Whether the shell (and its sandbox) is gone.
    pub fn is_gone(&self) -> bool {
        self.gone
    }

    /// Runs `command` in the shell, for at most `timeout`.
    pub async fn exec(&mut self, command: &str, timeout: Duration) -> Run {
        if self.gone {
            return Run {
                output: Vec::new(),
                dropped: 0,
                ended: Ended::ShellGone,
            };
        }
        // Output a background job printed between calls is not this call's.
        while self.output.try_recv().is_ok() {}
        let nonce = format!("{:032x}", rand::random::<u128>());
        let (first, second) = ("__OUTRIG_", format!("{nonce}__"));
        let marker = format!("{first}{second}");
        let quoted = command.replace('\'', r"'\''");
        // `eval` keeps a syntax error from ending the shell; stdin is /dev/null so a
        // command that reads input ends; the status is printed after a newline, in two
        // parts so the marker itself is never in the shell's input.
        let wrapped = format!(
            "{{ builtin eval '{quoted}\n'; }} </dev/null; __outrig_status=$?\n\
             builtin printf '\\n%s%s%d\\n' '{first}' '{second}' \"$__outrig_status\"\n"
        );
        let mut run = Run {
            output: Vec::new(),
            dropped: 0,
            ended: Ended::ShellGone,
        };
        if self.stdin.write_all(wrapped.as_bytes()).await.is_err() {
            self.kill().await;
            return run;
        }
        let deadline = tokio::time::Instant::now() + timeout;
        // The tail of the output past what is kept, to find the marker in.
        let mut tail: Vec<u8> = Vec::new();
        loop {
            let chunk = match tokio::time::timeout_at(deadline, self.output.recv()).await {
                Err(_) => {
                    run.ended = Ended::TimedOut;
                    self.kill().await;
                    return run;
                }
                Ok(None) => {
                    self.kill().await;
                    return run;
                }
                Ok(Some(chunk)) => chunk,
            };
            let room = KEPT_BYTES.saturating_sub(run.output.len());
            let (keep, rest) = chunk.split_at(chunk.len().min(room));
            let searched_from = run.output.len().saturating_sub(marker.len() + 24);
            run.output.extend_from_slice(keep);
            if !rest.is_empty() || !tail.is_empty() {
                run.dropped += rest.len() as u64;
                tail.extend_from_slice(rest);
                let cut = tail.len().saturating_sub(marker.len() + 24);
                tail.drain(..cut);
            }
            let found = if tail.is_empty() {
                finish(&mut run.output, searched_from, &marker)
            } else {
                finish(&mut tail, 0, &marker)
            };
            if let Some(status) = found {
                run.ended = Ended::Exited(status);
                if !tail.is_empty() {
                    run.dropped = run.dropped.saturating_sub(marker.len() as u64 + 2);
                }
                return run;
            }
        }
    }

    /// Kills the sandbox and everything in it.
    pub async fn kill(&mut self) {
        self.gone = true;
        if self.group > 0 {
            // SAFETY: signalling our own child's process group.
            unsafe { libc::killpg(self.group, libc::SIGKILL) };
        }
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
    }
}

/// Finds `\n{marker}{status}\n` in `buf` from `from` on; cuts it (and what follows) off
/// and returns the status.
fn finish(buf: &mut Vec<u8>, from: usize, marker: &str) -> Option<i32> {
    let at = buf[from..]
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())?
        + from;
    let rest = &buf[at + marker.len()..];
    let end = rest.iter().position(|&b| b == b'\n')?;
    let status = std::str::from_utf8(&rest[..end]).ok()?.parse().ok()?;
    let start = if at > 0 && buf[at - 1] == b'\n' {
        at - 1
    } else {
        at
    };
    buf.truncate(start);
    Some(status)
}

/// The bubblewrap command line for `spec`.
fn bwrap_args(spec: &SandboxSpec) -> Vec<String> {
    let mut args: Vec<String> = Vec::new();
    let mut push = |items: &[&str]| args.extend(items.iter().map(|s| s.to_string()));
    push(&[
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
    ]);
    push(&[
        "--uid",
        "1000",
        "--gid",
        "1000",
        "--hostname",
        "outrig-sandbox",
    ]);
    push(&["--ro-bind", "/usr", "/usr"]);
    // Merged-/usr systems link these into /usr; others have them as directories.
    for dir in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
        match std::fs::read_link(dir) {
            Ok(target) => push(&["--symlink", &target.to_string_lossy(), dir]),
            Err(_) if Path::new(dir).is_dir() => push(&["--ro-bind", dir, dir]),
            Err(_) => {}
        }
    }
    for file in [
        "/etc/alternatives",
        "/etc/ld.so.cache",
        "/etc/ld.so.conf",
        "/etc/ld.so.conf.d",
        "/etc/ssl",
        "/etc/ca-certificates",
        "/etc/localtime",
        "/etc/nsswitch.conf",
        "/etc/mime.types",
    ] {
        push(&["--ro-bind-try", file, file]);
    }
    let private = |name: &str| spec.private_dir.join(name).to_string_lossy().into_owned();
    for name in ["passwd", "group", "hosts"] {
        push(&["--ro-bind", &private(name), &format!("/etc/{name}")]);
    }
    push(&[
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run",
    ]);
    push(&[
        "--bind",
        &spec.workdir.to_string_lossy(),
        WORKDIR_IN_SANDBOX,
    ]);
    for (host, inside) in &spec.ro_binds {
        push(&["--ro-bind", &host.to_string_lossy(), inside]);
    }
    for (host, inside) in &spec.binds {
        push(&["--bind", &host.to_string_lossy(), inside]);
    }
    push(&["--chdir", WORKDIR_IN_SANDBOX, "--clearenv"]);
    for (name, value) in [
        ("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"),
        ("HOME", WORKDIR_IN_SANDBOX),
        ("USER", "agent"),
        ("TERM", "dumb"),
        ("LANG", "C.UTF-8"),
        ("TMPDIR", "/tmp"),
        ("PS1", ""),
        ("PS2", ""),
    ] {
        push(&["--setenv", name, value]);
    }
    for (name, value) in &spec.env {
        push(&["--setenv", name, value]);
    }
    // Limits are set inside the sandbox's user namespace, where they are counted per
    // sandbox, and bind its first process and all its descendants.
    let limits = &spec.limits;
    let mut inner = vec![
        "/usr/bin/prlimit".to_string(),
        format!("--nproc={}", limits.processes),
        format!("--as={}", limits.memory_mib << 20),
        format!("--cpu={}", limits.cpu_seconds),
        format!("--fsize={}", limits.file_mib << 20),
        "--core=0".to_string(),
        "--".to_string(),
    ];
    match &spec.before {
        Some(before) => {
            // `sh -c '"$@" & exec bash'`: the helper runs in the background, then the shell.
            inner.extend([
                "/bin/sh".into(),
                "-c".into(),
                "\"$@\" & exec /bin/bash --noprofile --norc".into(),
                "sh".into(),
            ]);
            inner.extend(before.iter().cloned());
        }
        None => inner.extend(["/bin/bash".into(), "--noprofile".into(), "--norc".into()]),
    }
    args.push("--".into());
    args.extend(inner);
    args
}
