//! The session's memory stores, mounted as files: each store's memories are downloaded
//! into a directory of its own, which the sandbox sees at the resource's `mount_path`
//! (`/mnt/memory/<name>`), read-write or, for `access: read_only`, read-only (bound
//! read-only, files owned by the worker, and the file tools refuse to write there). While
//! the session works (every [`SYNC_INTERVAL`]) and when its work ends, what changed in a
//! read-write store is written back: new files become memories, edited ones update theirs
//! and deleted ones delete theirs, each under a `content_sha256` precondition, so a memory
//! changed elsewhere meanwhile is neither overwritten nor deleted.

use super::beneath::Beneath;
use outrig_api::digest::sha256_hex;
use outrig_api::request::Query;
use outrig_client::Client;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest memory written back.
const MAX_MEMORY_BYTES: u64 = 1 << 20;

/// How often a serving worker writes back changes (the SDK worker's default).
pub const SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// One mounted store.
pub struct Mounted {
    /// The store's id.
    pub store_id: String,
    /// Where the sandbox sees it.
    pub mount: String,
    /// Its directory on the host.
    pub host_dir: PathBuf,
    /// Whether the session may only read it.
    pub read_only: bool,
    /// Each memory the store holds as far as this worker knows: path → (id, content_sha256).
    known: std::sync::Mutex<HashMap<String, (String, String)>>,
}

/// Downloads every memory store attached to `session` into `dir/<store id>/`.
pub async fn mount(
    client: &Client,
    session: &Value,
    dir: &Path,
    owner: Option<(u32, u32)>,
) -> anyhow::Result<Vec<(Mounted, Beneath)>> {
    let mut mounted = Vec::new();
    let resources = session["resources"].as_array().cloned().unwrap_or_default();
    for resource in resources.iter().filter(|r| r["type"] == "memory_store") {
        let store_id = resource["memory_store_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let read_only = resource["access"] == "read_only";
        let mount = mount_path(resource, &store_id);
        let host_dir = dir.join(&store_id);
        std::fs::create_dir_all(&host_dir)?;
        // A read-only store stays the worker's: the sandbox's user cannot change it.
        let writer = if read_only { None } else { owner };
        if let Some((uid, gid)) = writer {
            std::os::unix::fs::chown(&host_dir, Some(uid), Some(gid))?;
        }
        let files = Beneath::open(&host_dir, &mount, writer)?;
        let memories = client
            .list_memories(&store_id, Query::new().opt("view", Some("full")))
            .await?;
        let mut known = HashMap::new();
        for memory in memories.iter().filter(|m| m["type"] != "memory_prefix") {
            let path = memory["path"].as_str().unwrap_or_default();
            let content = memory["content"].as_str().unwrap_or_default();
            let relative = files
                .relative(path.trim_start_matches('/'))
                .map_err(|e| anyhow::anyhow!("memory `{path}` of {store_id}: {e}"))?;
            files.write(&relative, content.as_bytes())?;
            let id = memory["id"].as_str().unwrap_or_default().to_string();
            known.insert(path.to_string(), (id, sha256_hex(content.as_bytes())));
        }
        mounted.push((
            Mounted {
                store_id,
                mount,
                host_dir,
                read_only,
                known: std::sync::Mutex::new(known),
            },
            files,
        ));
    }
    Ok(mounted)
}

/// Writes back what changed in a read-write store since it was mounted or last synced;
/// returns how many memories were written or deleted.
pub async fn sync_back(client: &Client, store: &Mounted, files: &Beneath) -> anyhow::Result<usize> {
    if store.read_only {
        return Ok(0);
    }
    let mut paths = Vec::new();
    files.walk(Path::new(""), 50_000, &mut |path, is_dir| {
        if !is_dir {
            paths.push(path.to_path_buf());
        }
    })?;
    let known = store
        .known
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut present = std::collections::HashSet::new();
    let mut written = 0;
    for relative in paths {
        let path = format!("/{}", relative.display());
        present.insert(path.clone());
        let Ok(bytes) = files.read(&relative, MAX_MEMORY_BYTES) else {
            tracing::warn!(store = %store.store_id, "not writing back {path}: unreadable or over {MAX_MEMORY_BYTES} bytes");
            continue;
        };
        let Ok(content) = String::from_utf8(bytes) else {
            tracing::warn!(store = %store.store_id, "not writing back {path}: not UTF-8 text");
            continue;
        };
        let sha = sha256_hex(content.as_bytes());
        let result = match known.get(&path) {
            Some((_, known_sha)) if *known_sha == sha => continue,
            Some((id, known_sha)) => {
                let body = json!({"content": content,
                    "precondition": {"type": "content_sha256", "content_sha256": known_sha}});
                client.update_memory(&store.store_id, id, &body).await
            }
            None => {
                let body = json!({"path": path, "content": content});
                client.create_memory(&store.store_id, &body).await
            }
        };
        match result {
            Ok(memory) => {
                written += 1;
                store.remember(&path, Some((memory.id, memory.content_sha256)));
            }
            Err(error) => {
                tracing::warn!(store = %store.store_id, "cannot write back {path}: {error}")
            }
        }
    }
    for (path, (id, sha)) in known.iter().filter(|(path, _)| !present.contains(*path)) {
        let query = Query::new().opt("expected_content_sha256", Some(sha));
        match client.delete_memory(&store.store_id, id, &query).await {
            Ok(_) => {
                written += 1;
                store.remember(path, None);
            }
            Err(error) => tracing::warn!(store = %store.store_id, "cannot delete {path}: {error}"),
        }
    }
    Ok(written)
}

impl Mounted {
    /// Records what the store now holds at `path` (`None`: nothing).
    fn remember(&self, path: &str, memory: Option<(String, String)>) {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        match memory {
            Some(memory) => drop(known.insert(path.to_string(), memory)),
            None => drop(known.remove(path)),
        }
    }
}

/// The resource's `mount_path` when it is a clean path under `/mnt/`; else
/// `/mnt/memory/<store id>`.
fn mount_path(resource: &Value, store_id: &str) -> String {
    let fallback = format!("/mnt/memory/{store_id}");
    let Some(path) = resource["mount_path"].as_str() else {
        return fallback;
    };
    let clean = path.starts_with("/mnt/")
        && Path::new(path)
            .components()
            .skip(1)
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if clean {
        path.trim_end_matches('/').to_string()
    } else {
        fallback
    }
}
