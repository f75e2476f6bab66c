//! `outrig plugin build --target edge`: a plugin component transpiled by jco into an ES
//! module (`--instantiation async`: the npm package's `outrig/plugin` runner supplies every
//! import) with its core wasm files, plus `NAME.workerd.js`, which imports those files
//! statically as workerd requires.

use crate::scaffold::{program_on_path, run};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The jco release the edge runner is tested with.
pub const JCO: &str = "@bytecodealliance/jco@1.35.0";

/// Transpiles `component` into `out` (created, or emptied first); returns the module's path.
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
    run(Command::new(&jco)
        .arg("transpile")
        .arg(component)
        .arg("-o")
        .arg(out)
        .args(["--name", &name, "--instantiation", "async"])
        .args(["--no-typescript", "--no-nodejs-compat", "--quiet"]))?;
    let mut cores: Vec<String> = std::fs::read_dir(out)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|file| file.ends_with(".wasm"))
        .collect();
    cores.sort();
    if cores.is_empty() {
        bail!("jco wrote no core modules into {}", out.display());
    }
    std::fs::write(out.join("package.json"), "{ \"type\": \"module\" }\n")?;
    std::fs::write(
        out.join(format!("{name}.workerd.js")),
        workerd_module(&name, &cores),
    )?;
    Ok(out.join(format!("{name}.js")))
}

/// `NAME.workerd.js`: the core modules imported statically, and `getCoreModule`.
fn workerd_module(name: &str, cores: &[String]) -> String {
    let mut text = format!(
        "// For workerd (Cloudflare Workers), which compiles wasm only from static imports.\nexport {{ instantiate }} from \"./{name}.js\";\n"
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
