//! `outrig plugin build --target edge`: a plugin component transpiled by jco into ES
//! modules (`--instantiation async`: the npm package's `outrig/plugin` runner supplies every
//! import) sharing one set of core wasm files: `NAME.js`, synchronous, for every engine,
//! and `NAME.jspi.js`, whose waiting imports (`pollable.block`, `poll`, the blocking stream
//! reads, `outgoing-handler.handle`) suspend through JSPI so that `wasi:http` can be served
//! by `fetch`; plus `NAME.workerd.js` and `NAME.jspi.workerd.js`, which import the core files
//! statically as workerd requires.

use crate::scaffold::{program_on_path, run};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The jco release the edge runner is tested with.
pub const JCO: &str = "@bytecodealliance/jco@1.35.0";

/// The imports that wait, suspended through JSPI in `NAME.jspi.js`.
const ASYNC_IMPORTS: [&str; 6] = [
    "wasi:io/poll#[method]pollable.block",
    "wasi:io/poll#poll",
    "wasi:io/streams#[method]input-stream.blocking-read",
    "wasi:io/streams#[method]input-stream.blocking-skip",
    "wasi:http/outgoing-handler#handle",
    "wasi:http/types#[method]future-incoming-response.get",
];

/// Transpiles `component` into `out` (created, or emptied first); returns the synchronous
/// module's path.
pub fn transpile(component: &Path, out: &Path) -> Result<PathBuf> {
    let name = component
        .file_stem()
        .and_then(|s| s.to_str())
        .context("the component file has no name")?
        .to_string();
    let project = component.parent().unwrap_or(Path::new("."));
    let jco = std::env::var_os("OUTRIG_JCO")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .or_else(|| program_on_path("jco", [project.join("node_modules/.bin")]))
        .with_context(|| {
            format!("jco is missing: `npm install --global {JCO}` (or set OUTRIG_JCO to its path)")
        })?;
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("cannot empty {}", out.display()))?;
    }
    let transpile = |into: &Path, jspi: bool| {
        let mut command = Command::new(&jco);
        command
            .arg("transpile")
            .arg(component)
            .arg("-o")
            .arg(into)
            .args(["--name", &name, "--instantiation", "async"])
            .args(["--no-typescript", "--no-nodejs-compat", "--quiet"]);
        if jspi {
            command
                .args(["--async-mode", "jspi", "--async-imports"])
                .args(ASYNC_IMPORTS)
                .args(["--async-exports", "outrig:tool/tool#call"]);
        }
        run(&mut command)
    };
    transpile(out, false)?;
    let cores = core_files(out)?;
    if cores.is_empty() {
        bail!("jco wrote no core modules into {}", out.display());
    }
    let staging = out.join(".jspi");
    transpile(&staging, true)?;
    for core in &cores {
        if std::fs::read(out.join(core))? != std::fs::read(staging.join(core))? {
            bail!("jco's JSPI build of {name} has a different {core}: cannot share the core files");
        }
    }
    let glue = std::fs::read_to_string(staging.join(format!("{name}.js")))?;
    std::fs::write(
        out.join(format!("{name}.jspi.js")),
        glue + "\n/** Tells `outrig/plugin` that this build suspends through JSPI. */\ninstantiate.asyncMode = \"jspi\";\n",
    )?;
    std::fs::remove_dir_all(&staging)?;
    std::fs::write(out.join("package.json"), "{ \"type\": \"module\" }\n")?;
    for stem in [name.to_string(), format!("{name}.jspi")] {
        let module = workerd_module(&format!("{stem}.js"), &cores);
        std::fs::write(out.join(format!("{stem}.workerd.js")), module)?;
    }
    Ok(out.join(format!("{name}.js")))
}

/// The core wasm files in `dir`, sorted.
fn core_files(dir: &Path) -> Result<Vec<String>> {
    let mut cores: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|file| file.ends_with(".wasm"))
        .collect();
    cores.sort();
    Ok(cores)
}

/// `NAME[.jspi].workerd.js`: the glue's `instantiate`, the core modules imported
/// statically, and `getCoreModule`.
fn workerd_module(glue: &str, cores: &[String]) -> String {
    let mut text = format!(
        "// For workerd (Cloudflare Workers), which compiles wasm only from static imports.\nexport {{ instantiate }} from \"./{glue}\";\n"
    );
    for (i, core) in cores.iter().enumerate() {
        text += &format!("import core{i} from \"./{core}\";\n");
    }
    text += "const cores = {";
    for (i, core) in cores.iter().enumerate() {
        text += &format!(" \"{core}\": core{i},");
    }
    text += " };\n/** The compiled core module of this name. */\nexport const getCoreModule = (name) => cores[name];\n";
    text
}
