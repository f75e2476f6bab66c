//! `outrig plugin new` and `outrig plugin build`: a small, buildable plugin project per
//! language against the current `outrig:tool` WIT, and building one with the toolchain the
//! project's own plugins use. Nothing is installed silently: a missing toolchain is named,
//! with the command that installs it.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A plugin language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Rust with wit-bindgen (`wasm32-wasip2`).
    Rust,
    /// JavaScript with componentize-js.
    Js,
    /// Python with componentize-py.
    Python,
}

/// The WIT the projects build against: `outrig:tool@0.2.0` and its WASI deps.
const WIT: &[(&str, &str)] = &[
    ("tool.wit", include_str!("../../../wit/0.2.0/tool.wit")),
    (
        "deps/cli.wit",
        include_str!("../../../wit/0.2.0/deps/cli.wit"),
    ),
    (
        "deps/clocks.wit",
        include_str!("../../../wit/0.2.0/deps/clocks.wit"),
    ),
    (
        "deps/filesystem.wit",
        include_str!("../../../wit/0.2.0/deps/filesystem.wit"),
    ),
    (
        "deps/http.wit",
        include_str!("../../../wit/0.2.0/deps/http.wit"),
    ),
    (
        "deps/io.wit",
        include_str!("../../../wit/0.2.0/deps/io.wit"),
    ),
    (
        "deps/random.wit",
        include_str!("../../../wit/0.2.0/deps/random.wit"),
    ),
    (
        "deps/sockets.wit",
        include_str!("../../../wit/0.2.0/deps/sockets.wit"),
    ),
];

/// Writes a new plugin project `name` in `dir/name`; returns its directory.
pub fn new(dir: &Path, name: &str, lang: Lang) -> Result<PathBuf> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        bail!("a plugin name is lower-case letters, digits, `-` and `_`; got `{name}`");
    }
    let root = dir.join(name);
    if root.exists() {
        bail!("{} exists already", root.display());
    }
    let files: &[(&str, &str)] = match lang {
        Lang::Rust => &[
            ("Cargo.toml", include_str!("templates/rust-Cargo.toml")),
            ("src/lib.rs", include_str!("templates/rust-lib.rs")),
        ],
        Lang::Js => &[
            ("package.json", include_str!("templates/js-package.json")),
            ("build.mjs", include_str!("templates/js-build.mjs")),
            ("tool.js", include_str!("templates/js-tool.js")),
        ],
        Lang::Python => &[("app.py", include_str!("templates/python-app.py"))],
    };
    let lang_name = format!("{lang:?}");
    let readme = [("README.md", include_str!("templates/README.md"))];
    for (path, text) in files.iter().chain(&readme) {
        write(
            &root.join(path),
            &text
                .replace("{{name}}", name)
                .replace("{{lang}}", &lang_name),
        )?;
    }
    for (path, text) in WIT {
        write(&root.join("wit").join(path), text)?;
    }
    Ok(root)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::create_dir_all(path.parent().expect("inside the project"))?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Builds the plugin project in `dir`; returns the component it wrote (`dir/NAME.wasm`).
pub fn build(dir: &Path) -> Result<PathBuf> {
    let dir = dir
        .canonicalize()
        .with_context(|| format!("no project at {}", dir.display()))?;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .context("the project directory has no name")?
        .to_string();
    let out = dir.join(format!("{name}.wasm"));
    if dir.join("Cargo.toml").is_file() {
        let installed = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-wasip2"))
            .unwrap_or(true);
        if !installed {
            bail!("the wasm32-wasip2 target is missing: run `rustup target add wasm32-wasip2`");
        }
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.join("target"));
        run(Command::new("cargo")
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-wasip2",
                "--target-dir",
            ])
            .arg(&target)
            .current_dir(&dir))?;
        let built = target
            .join("wasm32-wasip2/release")
            .join(format!("{}.wasm", name.replace('-', "_")));
        std::fs::copy(&built, &out)
            .with_context(|| format!("cargo built no {}", built.display()))?;
    } else if dir.join("package.json").is_file() {
        if !dir
            .join("node_modules/@bytecodealliance/componentize-js")
            .is_dir()
        {
            bail!(
                "componentize-js is not installed: run `npm install` in {}",
                dir.display()
            );
        }
        run(Command::new("node").arg("build.mjs").current_dir(&dir))?;
    } else if dir.join("app.py").is_file() {
        let tool = componentize_py().context(
            "componentize-py is missing: `pip install componentize-py==0.25.1` (or set OUTRIG_VENV to a venv that has it)",
        )?;
        run(Command::new(tool)
            .args(["-d", "wit", "-w", "plugin", "componentize", "app", "-o"])
            .arg(&out)
            .current_dir(&dir))?;
    } else {
        bail!(
            "{} is not a plugin project (no Cargo.toml, package.json or app.py)",
            dir.display()
        );
    }
    Ok(out)
}

/// componentize-py on PATH, or in `$OUTRIG_VENV` / `~/.cache/outrig/venv`.
fn componentize_py() -> Option<PathBuf> {
    let venvs = [
        std::env::var_os("OUTRIG_VENV").map(PathBuf::from),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/outrig/venv")),
    ];
    program_on_path(
        "componentize-py",
        venvs.into_iter().flatten().map(|v| v.join("bin")),
    )
}

/// A program on PATH or in one of `more` directories.
pub(crate) fn program_on_path(
    name: &str,
    more: impl IntoIterator<Item = PathBuf>,
) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .chain(more)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

pub(crate) fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot run {:?}", command.get_program()))?;
    if !status.success() {
        bail!("{:?} failed ({status})", command.get_program());
    }
    Ok(())
}
