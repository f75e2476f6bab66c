//! Shared helpers: plugin paths and grants for tests.
#![allow(dead_code)]

use outrig_host::grants::{DirGrant, DirMode, Grants, Limits, PluginConfig};
use std::path::PathBuf;

pub fn plugin(name: &str) -> PathBuf {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins"
    ))
    .join(format!("{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run scripts/build-plugins.sh",
        path.display()
    );
    path
}

pub fn config(name: &str) -> PluginConfig {
    PluginConfig {
        path: plugin(name),
        sha256: None,
        prefix: None,
        grants: Grants::default(),
        limits: Limits::default(),
    }
}

/// A directory with the demo's invoices and ledger.
pub fn books() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("invoices.csv"),
        "id,amount\nINV-1,120.00\nINV-2,75.50\nINV-3,19.99\nINV-4,300\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ledger.csv"),
        "id,amount\nINV-1,120.00\nINV-2,57.50\nINV-3,19.99\nINV-9,42.00\n",
    )
    .unwrap();
    dir
}

pub fn invoices_with(dir: &tempfile::TempDir) -> PluginConfig {
    let mut config = config("invoices");
    config.grants.dirs.push(DirGrant {
        host: dir.path().to_path_buf(),
        guest: "/data".into(),
        mode: DirMode::Ro,
    });
    config
}
