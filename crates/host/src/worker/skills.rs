//! The session agent's skills, and its roster's, downloaded into `skills/<name>/` of the
//! workdir as the SDK worker does (the first version of a skill wins; a skill whose name
//! repeats an earlier one is skipped). Every archive member is written through
//! [`Beneath`], so a hostile archive (absolute names, `..`, symlinks planted earlier)
//! cannot put a file outside the workdir; members that are not plain files are skipped.

use super::beneath::Beneath;
use outrig_api::routes::{SKILLS_VERSIONS_DOWNLOAD, SKILLS_VERSIONS_RETRIEVE};
use outrig_client::Client;
use serde_json::Value;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest archive, and the most bytes it may unpack to.
const MAX_ARCHIVE: u64 = 64 << 20;

/// The `{skill_id, version}` references of `agent` and of its roster's members.
pub fn references(agent: &Value) -> Vec<(String, String)> {
    let mut skills: Vec<&Value> = agent["skills"].as_array().into_iter().flatten().collect();
    let roster = &agent["multiagent"];
    let members: Vec<&Value> = match roster["type"].as_str() {
        Some("coordinator") => roster["agents"].as_array().into_iter().flatten().collect(),
        Some("multiagent_20261001") => ["subagents", "workflows"]
            .iter()
            .filter(|group| roster[**group]["type"] == "enabled")
            .flat_map(|group| {
                roster[*group]["predefined_agents"]
                    .as_array()
                    .into_iter()
                    .flatten()
            })
            .collect(),
        _ => Vec::new(),
    };
    for member in members {
        skills.extend(member["skills"].as_array().into_iter().flatten());
    }
    let mut seen = std::collections::HashSet::new();
    skills
        .into_iter()
        .filter_map(|skill| {
            let id = skill["skill_id"].as_str()?.to_string();
            let version = skill["version"].as_str().unwrap_or("latest").to_string();
            seen.insert(id.clone()).then_some((id, version))
        })
        .collect()
}

/// Downloads every skill of `agent` into `skills/` beneath `files`; returns the directories
/// made. A skill that cannot be fetched or unpacked is logged and skipped.
pub async fn download(client: &Client, agent: &Value, files: &Beneath) -> Vec<String> {
    let mut made = Vec::new();
    for (skill_id, version) in references(agent) {
        match fetch(client, &skill_id, &version, files, &made).await {
            Ok(Some(dir)) => made.push(dir),
            Ok(None) => {}
            Err(error) => tracing::warn!(skill = %skill_id, "cannot download the skill: {error:#}"),
        }
    }
    made
}

async fn fetch(
    client: &Client,
    skill_id: &str,
    version: &str,
    files: &Beneath,
    made: &[String],
) -> anyhow::Result<Option<String>> {
    let found: Value = client
        .call(
            &SKILLS_VERSIONS_RETRIEVE,
            &[skill_id, version],
            &Default::default(),
            None::<&()>,
        )
        .await?;
    let name = found["name"].as_str().unwrap_or_default().trim();
    let name = Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .unwrap_or(skill_id)
        .to_string();
    if made.contains(&name) {
        tracing::warn!(skill = %skill_id, "an earlier skill is named `{name}`; skipping this one");
        return Ok(None);
    }
    let version_id = found["id"].as_str().unwrap_or(version);
    let archive = client
        .download(&SKILLS_VERSIONS_DOWNLOAD, &[skill_id, version_id])
        .await?;
    anyhow::ensure!(
        archive.len() as u64 <= MAX_ARCHIVE,
        "the archive is over {MAX_ARCHIVE} bytes"
    );
    unpack(&archive, files, &Path::new("skills").join(&name))?;
    Ok(Some(name))
}

/// Unpacks a zip archive into `dest` beneath `files`, without the single top directory
/// skill archives are usually wrapped in.
fn unpack(archive: &[u8], files: &Beneath, dest: &Path) -> anyhow::Result<()> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive))?;
    let names: Vec<PathBuf> = (0..zip.len())
        .map(|i| safe(&zip.by_index(i)?.name()?))
        .collect::<anyhow::Result<_>>()?;
    let top = common_top(&names);
    files.make_dirs(dest)?;
    let mut budget = MAX_ARCHIVE;
    for (i, name) in names.iter().enumerate() {
        let mut entry = zip.by_index(i)?;
        if entry.is_dir() || !entry.is_file() {
            continue;
        }
        let inner = match &top {
            Some(top) => name.strip_prefix(top).unwrap_or(name).to_path_buf(),
            None => name.clone(),
        };
        if inner.as_os_str().is_empty() {
            continue;
        }
        let mut bytes = Vec::new();
        (&mut entry).take(budget + 1).read_to_end(&mut bytes)?;
        budget = budget.checked_sub(bytes.len() as u64).ok_or_else(|| {
            anyhow::anyhow!("the archive unpacks to more than {MAX_ARCHIVE} bytes")
        })?;
        files.write(&dest.join(inner), &bytes)?;
    }
    Ok(())
}

/// A member name as a relative path; absolute names and `..` are refused.
fn safe(name: &str) -> anyhow::Result<PathBuf> {
    let normal = name.replace('\\', "/");
    let mut out = PathBuf::new();
    for component in Path::new(&normal).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => anyhow::bail!("refusing the archive member `{name}`"),
        }
    }
    Ok(out)
}

/// The one directory every member is under, if there is one (and not a lone file).
fn common_top(names: &[PathBuf]) -> Option<PathBuf> {
    let first = names.iter().find_map(|n| n.components().next())?;
    let top = PathBuf::from(first.as_os_str());
    let all_under = names
        .iter()
        .all(|n| n.starts_with(&top) && (n != &top || names.len() > 1));
    let nested = names.iter().any(|n| n.components().count() > 1);
    (all_under && nested).then_some(top)
}
