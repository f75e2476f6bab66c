//! `host work` as a library, against the emulator through real HTTP: a session on a
//! self-hosted environment whose agent runs every built-in tool and a custom wasm tool,
//! answered by the worker in its sandbox.

mod common;
mod worker_common;

use serde_json::{json, Value};
use std::time::Duration;
use worker_common::{tool, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_running_every_built_in_tool_and_a_custom_one_is_served() {
    let world = world().await;
    let (stop, task) = world.worker(world.sandbox()).await;
    let session = world.session().await;
    let turn = [
        tool("bash", json!({"command": "echo hello > greeting.txt && cat greeting.txt && cd /tmp && export K=v"})),
        tool("bash", json!({"command": "pwd; echo $K"})),
        tool("write", json!({"file_path": "docs/notes.md", "content": "alpha\nbeta\n"})),
        tool("edit", json!({"file_path": "/workspace/docs/notes.md", "old_string": "beta", "new_string": "gamma"})),
        tool("read", json!({"file_path": "docs/notes.md"})),
        tool("glob", json!({"pattern": "**/*.md"})),
        tool("grep", json!({"pattern": "gam+a"})),
        "call echo {\"a\":1}".to_string(),
    ]
    .join("\n");
    let results = world.turn(&session, &turn).await;
    let expected = [
        ("bash", false, "hello"),
        ("bash", false, "/tmp\nv"),
        ("write", false, "wrote 11 bytes to docs/notes.md"),
        (
            "edit",
            false,
            "edited /workspace/docs/notes.md (1 replacement(s))",
        ),
        ("read", false, "alpha\ngamma\n"),
        ("glob", false, "/workspace/docs/notes.md"),
        ("grep", false, "/workspace/docs/notes.md:2:gamma"),
        ("echo", false, "{\"a\":1}"),
    ];
    let got: Vec<(&str, bool, &str)> = results
        .iter()
        .map(|(n, e, t)| (n.as_str(), *e, t.as_str()))
        .collect();
    assert_eq!(got, expected);
    // The work item was stopped once the session rested.
    let mut stopped = false;
    for _ in 0..100 {
        if world.items().await.iter().all(|w| w["state"] == "stopped") {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        stopped,
        "the item was force-stopped after the session's work"
    );
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agents_skills_are_downloaded_into_the_workdir() {
    let world = world().await;
    let manifest = "---\nname: pdf-tools\ndescription: Tools for PDFs\n---\nUse pdftotext.\n";
    let skill: Value = world
        .client
        .upload(
            &outrig_api::routes::SKILLS_CREATE,
            &[],
            &[],
            &[
                outrig_client::UploadFile {
                    path: "pdf-tools/SKILL.md".into(),
                    bytes: manifest.as_bytes().to_vec(),
                },
                outrig_client::UploadFile {
                    path: "pdf-tools/scripts/run.sh".into(),
                    bytes: b"echo run\n".to_vec(),
                },
            ],
        )
        .await
        .unwrap();
    let agent: Value = world
        .create(
            &outrig_api::routes::AGENTS_CREATE,
            json!({"name": "skilled", "model": "claude-opus-4-6",
                "tools": [{"type": "agent_toolset_20260401"}],
                "skills": [{"type": "custom", "skill_id": skill["id"], "version": "latest"}]}),
        )
        .await;
    let session: Value = world
        .create(
            &outrig_api::routes::SESSIONS_CREATE,
            json!({"agent": agent["id"], "environment_id": world.environment_id}),
        )
        .await;
    let session = session["id"].as_str().unwrap();
    let (stop, task) = world.worker(world.sandbox()).await;
    let command =
        json!({"command": "cat skills/pdf-tools/SKILL.md skills/pdf-tools/scripts/run.sh"});
    let results = world.turn(session, &tool("bash", command)).await;
    assert_eq!(results.len(), 1);
    assert!(!results[0].1, "{results:?}");
    assert!(
        results[0].2.contains("Use pdftotext.") && results[0].2.ends_with("echo run"),
        "{results:?}"
    );
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stores_are_mounted_as_files_and_written_back() {
    let world = world().await;
    let store = |name: &'static str| {
        let client = world.client.clone();
        async move {
            let store: Value = client
                .call(
                    &outrig_api::routes::MEMORY_STORES_CREATE,
                    &[],
                    &Default::default(),
                    Some(&json!({"name": name})),
                )
                .await
                .unwrap();
            store["id"].as_str().unwrap().to_string()
        }
    };
    let (notes, facts) = (store("notes").await, store("facts").await);
    world
        .client
        .create_memory(&notes, &json!({"path": "/todo.md", "content": "milk\n"}))
        .await
        .unwrap();
    world
        .client
        .create_memory(&notes, &json!({"path": "/old.md", "content": "stale\n"}))
        .await
        .unwrap();
    world
        .client
        .create_memory(&facts, &json!({"path": "/sky.md", "content": "blue\n"}))
        .await
        .unwrap();
    let session: Value = world
        .client
        .call(
            &outrig_api::routes::SESSIONS_CREATE,
            &[],
            &Default::default(),
            Some(
                &json!({"agent": world.agent_id, "environment_id": world.environment_id,
                "resources": [
                    {"type": "memory_store", "memory_store_id": notes, "access": "read_write"},
                    {"type": "memory_store", "memory_store_id": facts, "access": "read_only"}]}),
            ),
        )
        .await
        .unwrap();
    let session = session["id"].as_str().unwrap();
    let (stop, task) = world.worker(world.sandbox()).await;
    let turn = [
        tool("bash", json!({"command": "cat /mnt/memory/notes/todo.md /mnt/memory/facts/sky.md"})),
        tool("bash", json!({"command": "echo eggs >> /mnt/memory/notes/todo.md && mkdir -p /mnt/memory/notes/new && echo fresh > /mnt/memory/notes/new/idea.md && rm /mnt/memory/notes/old.md"})),
        tool("bash", json!({"command": "echo green > /mnt/memory/facts/sky.md"})),
        tool("write", json!({"file_path": "/mnt/memory/facts/sky.md", "content": "green"})),
        tool("read", json!({"file_path": "/mnt/memory/facts/sky.md"})),
    ]
    .join("\n");
    let results = world.turn(session, &turn).await;
    assert_eq!(results[0], ("bash".into(), false, "milk\nblue".into()));
    assert!(!results[1].1, "{results:?}");
    assert!(
        results[2].1 && results[2].2.contains("Read-only file system"),
        "{results:?}"
    );
    assert!(
        results[3].1 && results[3].2.contains("read-only memory store"),
        "{results:?}"
    );
    assert_eq!(results[4], ("read".into(), false, "blue\n".into()));
    // Once the session rests, the read-write store holds the session's changes.
    let mut memories = Vec::new();
    for _ in 0..100 {
        memories = world
            .client
            .list_memories(
                &notes,
                outrig_api::request::Query::new().opt("view", Some("full")),
            )
            .await
            .unwrap();
        let updated = memories.iter().any(|m| m["content"] == "milk\neggs\n");
        if memories.len() == 2 && updated {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let by_path: std::collections::HashMap<String, String> = memories
        .iter()
        .map(|m| {
            (
                m["path"].as_str().unwrap().into(),
                m["content"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(by_path["/todo.md"], "milk\neggs\n");
    assert_eq!(by_path["/new/idea.md"], "fresh\n");
    assert!(
        !by_path.contains_key("/old.md"),
        "a file deleted in the session deletes its memory"
    );
    let facts_now = world
        .client
        .list_memories(
            &facts,
            outrig_api::request::Query::new().opt("view", Some("full")),
        )
        .await
        .unwrap();
    assert_eq!(facts_now[0]["content"], "blue\n");
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_bash_output_is_cut_and_saved_where_read_can_reach_it() {
    let world = world().await;
    let (stop, task) = world.worker(world.sandbox()).await;
    let session = world.session().await;
    let results = world
        .turn(&session, &tool("bash", json!({"command": "seq 1 20000"})))
        .await;
    let text = &results[0].2;
    assert!(!results[0].1);
    assert!(text.starts_with("1\n2\n3\n"), "{}", &text[..50]);
    assert!(
        text.contains("lines truncated]"),
        "{}",
        &text[text.len() - 300..]
    );
    let saved = text
        .split("saved to: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the file is named");
    assert!(
        saved.starts_with("/workspace/.outrig/bash-output/"),
        "{saved}"
    );
    let kept: usize = text.split("\n\n... [").next().unwrap().chars().count();
    assert_eq!(kept, 30_000);
    let results = world
        .turn(
            &session,
            &tool(
                "read",
                json!({"file_path": saved, "view_range": [19999, 20000]}),
            ),
        )
        .await;
    assert_eq!(results[0].2, "19999\n20000");
    stop.cancel();
    task.await.unwrap();
}
