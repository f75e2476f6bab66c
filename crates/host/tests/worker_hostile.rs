//! Hostile commands through `bash` and the file tools of a real self-hosted session, each
//! contained by the sandbox and reported to the agent; the worker keeps serving.

mod common;
mod worker_common;

use serde_json::json;
use std::time::Duration;
use worker_common::{tool, world, World};

/// Runs one call in `session`; returns (is_error, text).
async fn call(
    world: &World,
    session: &str,
    name: &str,
    input: serde_json::Value,
) -> (bool, String) {
    let results = world.turn(session, &tool(name, input)).await;
    assert_eq!(results.len(), 1, "{results:?}");
    let (_, is_error, text) = results.into_iter().next().unwrap();
    (is_error, text)
}

async fn bash(world: &World, session: &str, command: &str) -> (bool, String) {
    call(world, session, "bash", json!({"command": command})).await
}

/// Processes left by a sandbox: the marked `sleep`, and (when the tests run as root, so the
/// sandbox runs as uid 65534) any process of the sandbox's user.
fn sandbox_processes() -> usize {
    let root = unsafe { libc::getuid() } == 0;
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .filter(|e| {
            let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            let marked = String::from_utf8_lossy(&cmdline).contains("987654");
            let status = std::fs::read_to_string(e.path().join("status")).unwrap_or_default();
            let sandbox_user = status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .is_some_and(|u| u == "65534");
            marked || (root && sandbox_user)
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_of_the_host_are_out_of_reach() {
    // SAFETY: set before any thread of this test reads the environment.
    unsafe { std::env::set_var("OUTRIG_HOST_MARKER", "do-not-leak-4711") };
    let world = world().await;
    let (stop, task) = world.worker(world.sandbox()).await;
    let session = world.session().await;
    let (failed, text) = bash(&world, &session, "cat /etc/shadow").await;
    assert!(failed && text.contains("No such file"), "{text}");
    let (failed, text) = bash(&world, &session, "ls -a ~/.ssh /root /home").await;
    assert!(failed && !text.contains("authorized_keys"), "{text}");
    let (_, text) = bash(
        &world,
        &session,
        "cat /proc/1/environ | tr '\\0' '\\n'; env; ls /proc",
    )
    .await;
    assert!(!text.contains("do-not-leak-4711"), "{text}");
    assert!(!text.contains("OUTRIG_HOST_MARKER"), "{text}");
    let pids: Vec<&str> = text
        .lines()
        .filter(|l| l.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert!(
        pids.len() < 10,
        "only the sandbox's own processes are visible: {pids:?}"
    );
    let (_, text) = bash(&world, &session, "id -u; hostname").await;
    assert_eq!(text, "1000\noutrig-sandbox");
    // No sandbox inside the sandbox (the seccomp filter), while threads still work.
    for nested in ["unshare -Ur true", "unshare -n true", "unshare -m true"] {
        let (failed, text) = bash(&world, &session, nested).await;
        assert!(failed, "{nested}: {text}");
    }
    let (failed, text) = bash(
        &world,
        &session,
        "seq 200000 | sort -n --parallel=4 -S 10M | tail -1",
    )
    .await;
    assert!(!failed && text == "200000", "threads work: {text}");
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_and_file_tool_escapes_stay_in_the_workdir() {
    let world = world().await;
    let (stop, task) = world.worker(world.sandbox()).await;
    let session = world.session().await;
    let (failed, text) = bash(&world, &session, "echo x > /usr/outrig-evil").await;
    assert!(failed && text.contains("Read-only file system"), "{text}");
    let (_, _) = bash(
        &world,
        &session,
        "echo x > /outrig-evil-root; echo x > /tmp/evil",
    )
    .await;
    assert!(!std::path::Path::new("/outrig-evil-root").exists());
    let setup =
        "ln -s /etc/passwd abs; mkdir -p d; ln -s ../.. d/up; ln -s /proc/self/root rootlink; \
                 ln -s loop2 loop1; ln -s loop1 loop2; echo ok";
    let (failed, text) = bash(&world, &session, setup).await;
    assert!(!failed, "{text}");
    for (path, why) in [
        ("abs", "outside the workdir"),
        ("d/up/etc/passwd", "outside the workdir"),
        ("rootlink/etc/passwd", ""),
        ("../../etc/passwd", "outside the workdir"),
        ("/etc/passwd", "outside the workdir"),
        ("/workspace/../etc/passwd", "outside the workdir"),
        ("loop1", "symlink loop"),
    ] {
        let (failed, text) = call(&world, &session, "read", json!({"file_path": path})).await;
        assert!(failed, "read {path}: {text}");
        assert!(!text.contains("root:"), "read {path} leaked: {text}");
        assert!(text.contains(why), "read {path}: {text}");
    }
    for path in ["abs", "d/up/tmp/x", "/tmp/x", "../x"] {
        let (failed, text) = call(
            &world,
            &session,
            "write",
            json!({"file_path": path, "content": "pwned"}),
        )
        .await;
        assert!(failed, "write {path}: {text}");
    }
    assert!(std::fs::read_to_string("/etc/passwd")
        .unwrap()
        .starts_with("root:"));
    let (failed, text) = call(
        &world,
        &session,
        "edit",
        json!({"file_path": "abs", "old_string": "root", "new_string": "toor"}),
    )
    .await;
    assert!(failed, "{text}");
    let (_, text) = call(&world, &session, "grep", json!({"pattern": "root:"})).await;
    assert_eq!(text, "no matches", "grep follows no symlink out");
    let (_, text) = call(&world, &session, "glob", json!({"pattern": "**/passwd"})).await;
    assert_eq!(text, "no matches", "glob follows no symlink out");
    let (failed, text) = call(&world, &session, "glob", json!({"pattern": "../*"})).await;
    assert!(failed && text.contains("'..' is not permitted"), "{text}");
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bombs_timeouts_and_leftover_processes_are_contained() {
    let world = world().await;
    let mut sandbox = world.sandbox();
    sandbox.processes = Some(64);
    sandbox.memory_mib = Some(512);
    let (stop, task) = world.worker(sandbox).await;
    let session = world.session().await;
    let (failed, text) = bash(&world, &session, "sleep 3600").await;
    assert!(failed && text.contains("timed out after 3s"), "{text}");
    assert!(text.contains("The shell is gone"), "{text}");
    let (failed, text) = bash(&world, &session, "echo again").await;
    assert!(
        failed && text.contains("did not run, because the shell is gone"),
        "{text}"
    );
    let (failed, text) = call(
        &world,
        &session,
        "bash",
        json!({"command": "echo again", "restart": true}),
    )
    .await;
    assert!(!failed && text == "again", "{text}");
    let (failed, text) = bash(
        &world,
        &session,
        "for i in $(seq 200); do sleep 30 & done 2>&1 | tail -1; jobs | wc -l",
    )
    .await;
    let started: usize = text
        .lines()
        .last()
        .unwrap_or("0")
        .trim()
        .parse()
        .unwrap_or(0);
    assert!(
        started < 64,
        "at most 64 processes in the sandbox ({failed}): {text}"
    );
    let (failed, text) = bash(&world, &session, ":(){ :|:& };:").await;
    assert!(failed, "the fork bomb is stopped: {text}");
    let (_, text) = call(&world, &session, "bash", json!({"command": "x=$(head -c 1500000000 /dev/zero | tr '\\0' a); echo ${#x}", "restart": true})).await;
    assert!(
        !text.contains("1500000000"),
        "a 1.5 GB string does not fit in 512 MiB: {text}"
    );
    let (_, text) = call(&world, &session, "bash", json!({"command": "(setsid sleep 987654 >/dev/null 2>&1 &); echo started", "restart": true})).await;
    assert_eq!(text, "started");
    // The session rests, its item is stopped, and nothing of its sandbox survives.
    let mut left = usize::MAX;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = sandbox_processes();
        if left == 0 {
            break;
        }
    }
    assert_eq!(
        left, 0,
        "no process of the sandbox outlives the session's work"
    );
    stop.cancel();
    task.await.unwrap();
}

/// A loopback HTTP server answering `hello` (the "granted host").
async fn hello_server() -> u16 {
    let app = axum::Router::new().route(
        "/hello",
        axum::routing::get(|| async { "hello from a granted host" }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_network_is_granted_origins_only_through_the_egress_proxy() {
    let world = world().await;
    let granted = hello_server().await;
    let emulator = world.emulator.addr.port();
    let mut sandbox = world.sandbox();
    sandbox.network = vec![format!("http://127.0.0.1:{granted}")];
    sandbox.allow_private = true;
    let (stop, task) = world.worker(sandbox).await;
    let session = world.session().await;
    let (failed, text) = bash(
        &world,
        &session,
        &format!("curl -sS -x \"$HTTP_PROXY\" http://127.0.0.1:{granted}/hello"),
    )
    .await;
    assert!(!failed && text == "hello from a granted host", "{text}");
    for target in [
        format!("http://127.0.0.1:{emulator}/v1/agents"),
        "http://10.1.2.3/".to_string(),
        "http://example.com/".to_string(),
    ] {
        let (_, text) = bash(
            &world,
            &session,
            &format!("curl -sS -x \"$HTTP_PROXY\" {target}"),
        )
        .await;
        assert!(text.contains("is not granted"), "{target}: {text}");
    }
    let (failed, text) = bash(
        &world,
        &session,
        &format!("curl -sS -x \"$HTTP_PROXY\" -p https://127.0.0.1:{emulator}/ -o /dev/null"),
    )
    .await;
    assert!(failed, "an ungranted CONNECT tunnel is refused: {text}");
    for direct in [
        format!("127.0.0.1/{emulator}"),
        "10.1.2.3/80".into(),
        "1.1.1.1/443".into(),
    ] {
        let (failed, text) = bash(
            &world,
            &session,
            &format!("timeout 2 bash -c 'echo > /dev/tcp/{direct}'"),
        )
        .await;
        assert!(failed, "no direct connection to {direct}: {text}");
    }
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_granted_origin_on_a_private_address_needs_allow_private() {
    let world = world().await;
    let granted = hello_server().await;
    let mut sandbox = world.sandbox();
    sandbox.network = vec![format!("http://127.0.0.1:{granted}")];
    let (stop, task) = world.worker(sandbox).await;
    let session = world.session().await;
    let (_, text) = bash(
        &world,
        &session,
        &format!("curl -sS -x \"$HTTP_PROXY\" http://127.0.0.1:{granted}/hello"),
    )
    .await;
    assert!(text.contains("private addresses"), "{text}");
    stop.cancel();
    task.await.unwrap();
}
