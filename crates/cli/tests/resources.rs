//! `outrig vaults|skills|memory-stores|deployments|call` against an emulator: what a person
//! does by hand, with secrets read from stdin and never printed.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

struct Cli {
    base_url: String,
}

impl Cli {
    /// Runs `outrig ARGS --json` (stdin from `input`), and parses its output.
    fn json(&self, args: &[&str], input: &str) -> Value {
        let output = self.run(args, input, true);
        serde_json::from_slice(&output)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&output)))
    }

    fn run(&self, args: &[&str], input: &str, json: bool) -> Vec<u8> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_outrig"))
            .args(args)
            .args(["--base-url", &self.base_url])
            .args(json.then_some("--json"))
            .env("ANTHROPIC_API_KEY", "k")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_manages_vaults_skills_memories_and_deployments() {
    let emulator = outrig_test_support::emulator().await.emulator;
    let cli = Cli {
        base_url: emulator.base_url(),
    };

    let vault = cli.json(&["vaults", "create", "--name", "ops"], "");
    let vault_id = vault["id"].as_str().unwrap();
    let credential = cli.json(
        &[
            "vaults",
            "add-bearer",
            vault_id,
            "--mcp-server-url",
            "https://mcp.example.com",
        ],
        "tok_SECRET\n",
    );
    assert_eq!(credential["auth"]["type"], "static_bearer");
    let listed = cli.run(&["vaults", "credentials", vault_id], "", true);
    assert!(!String::from_utf8_lossy(&listed).contains("SECRET"));

    let skill_dir = tempfile::tempdir().unwrap();
    let folder = skill_dir.path().join("greeter");
    std::fs::create_dir_all(folder.join("scripts")).unwrap();
    std::fs::write(
        folder.join("SKILL.md"),
        "---\nname: greeter\ndescription: Says hello\n---\n",
    )
    .unwrap();
    std::fs::write(folder.join("scripts/hello.sh"), "echo hello\n").unwrap();
    let skill = cli.json(
        &[
            "skills",
            "create",
            folder.to_str().unwrap(),
            "--name",
            "Greeter",
        ],
        "",
    );
    let skill_id = skill["id"].as_str().unwrap();
    let zip_path = skill_dir.path().join("greeter.zip");
    cli.run(
        &[
            "skills",
            "download",
            skill_id,
            "--out",
            zip_path.to_str().unwrap(),
        ],
        "",
        false,
    );
    let zip = std::fs::read(&zip_path).unwrap();
    assert!(zip
        .windows(b"greeter/scripts/hello.sh".len())
        .any(|w| w == b"greeter/scripts/hello.sh"));
    cli.run(&["skills", "delete", skill_id], "", true);

    let store = cli.json(&["memory-stores", "create", "--name", "notes"], "");
    let store_id = store["id"].as_str().unwrap();
    let memory = cli.json(
        &["memory-stores", "put", store_id, "/today.md"],
        "first draft",
    );
    cli.json(
        &["memory-stores", "put", store_id, "/today.md"],
        "second draft",
    );
    let content = cli.run(
        &[
            "memory-stores",
            "cat",
            store_id,
            memory["id"].as_str().unwrap(),
        ],
        "",
        false,
    );
    assert_eq!(content, b"second draft");

    let agent = cli.json(&["agents", "create", "--name", "reporter"], "");
    let environment = cli.json(&["environments", "create", "--name", "e"], "");
    let deployment = cli.json(
        &[
            "deployments",
            "create",
            "--name",
            "daily",
            "--agent",
            agent["id"].as_str().unwrap(),
            "--environment",
            environment["id"].as_str().unwrap(),
            "--message",
            "Write the report",
            "--cron",
            "0 9 * * *",
            "--timezone",
            "Asia/Tokyo",
        ],
        "",
    );
    assert_eq!(
        deployment["schedule"]["upcoming_runs_at"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let deployment_id = deployment["id"].as_str().unwrap();
    let run = cli.json(&["deployments", "run", deployment_id], "");
    assert!(run["session_id"].as_str().unwrap().starts_with("sesn_"));
    let runs = cli.json(&["deployments", "runs", deployment_id], "");
    assert_eq!(runs.as_array().unwrap().len(), 1);

    // Any endpoint by name, with the ids percent-encoded.
    let fetched = cli.json(&["call", "vaults.retrieve", vault_id], "");
    assert_eq!(fetched["id"], vault["id"]);
    let routes = String::from_utf8(cli.run(&["call", "--list"], "", false)).unwrap();
    assert!(routes.lines().count() >= 100);
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args([
            "call",
            "vaults.retrieve",
            "a/b",
            "--base-url",
            &emulator.base_url(),
        ])
        .env("ANTHROPIC_API_KEY", "k")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("a/b"),
        "the error names the id"
    );
}
