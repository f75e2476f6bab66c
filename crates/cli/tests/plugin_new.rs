//! `outrig plugin new` + `build` + `call` for each language, from an empty directory, with
//! the toolchains the project's own plugins use. A missing install is named, not done.

use std::path::Path;
use std::process::Command;

fn outrig(dir: &Path, args: &[&str]) -> (bool, String, String) {
    outrig_with(dir, args, &[])
}

fn outrig_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_new_plugin_in_each_language_builds_and_answers_a_call() {
    let empty = tempfile::tempdir().unwrap();
    for lang in ["rust", "js", "python"] {
        let name = format!("hello-{lang}");
        let (ok, stdout, stderr) = outrig(empty.path(), &["plugin", "new", &name, "--lang", lang]);
        assert!(ok, "{lang}: {stderr}");
        assert!(stdout.contains("outrig plugin build"), "{stdout}");
        let project = empty.path().join(&name);
        assert!(project.join("README.md").is_file() && project.join("wit/tool.wit").is_file());
        if lang == "js" {
            let (ok, _, stderr) = outrig(&project, &["plugin", "build"]);
            assert!(
                !ok && stderr.contains("run `npm install`"),
                "nothing installed silently: {stderr}"
            );
            let npm = Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&project)
                .status()
                .unwrap();
            assert!(npm.success());
        }
        let (ok, stdout, stderr) = outrig(&project, &["plugin", "build"]);
        assert!(ok, "{lang}: {stdout}\n{stderr}");
        let wasm = format!("{name}.wasm");
        let (ok, stdout, stderr) = outrig(
            &project,
            &["plugin", "call", &wasm, "greet", r#"{"name":"Ada"}"#],
        );
        assert!(ok, "{lang}: {stderr}");
        assert_eq!(stdout.trim(), "Hello, Ada!", "{lang}");
        let (ok, stdout, _) = outrig(&project, &["plugin", "call", &wasm, "greet", "{}"]);
        assert!(
            !ok && stdout.contains(r#"invalid input: /: "name" is a required property"#),
            "{lang}: {stdout}"
        );
        let (ok, stdout, _) = outrig(&project, &["plugin", "check", &wasm]);
        assert!(
            ok && stdout.contains("outrig:tool@0.2.0"),
            "{lang}: {stdout}"
        );
        if lang == "rust" {
            edge_build(&project, &name);
        }
    }
    let (ok, _, stderr) = outrig(
        empty.path(),
        &["plugin", "new", "Bad Name", "--lang", "rust"],
    );
    assert!(!ok && stderr.contains("lower-case letters"), "{stderr}");
}

/// `plugin build --target edge` on a project: the component, then its jco transpilation with
/// the workerd entry; without jco, the message says how to get it.
fn edge_build(project: &Path, name: &str) {
    let jco = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../wasm/tools/node_modules/.bin/jco"
    );
    let (ok, stdout, stderr) = outrig_with(
        project,
        &["plugin", "build", "--target", "edge"],
        &[("OUTRIG_JCO", jco)],
    );
    assert!(ok, "{stdout}\n{stderr}");
    let edge = project.join("edge");
    for file in [
        format!("{name}.js"),
        format!("{name}.workerd.js"),
        format!("{name}.core.wasm"),
        "package.json".into(),
    ] {
        assert!(edge.join(&file).is_file(), "edge/{file} in {stdout}");
    }
    let workerd = std::fs::read_to_string(edge.join(format!("{name}.workerd.js"))).unwrap();
    assert!(workerd.contains(&format!("import core0 from \"./{name}.core.wasm\"")));
    let wasm = format!("{name}.wasm");
    let (ok, _, stderr) = outrig_with(
        project,
        &["plugin", "build", "--target", "edge", &wasm],
        &[("PATH", "/nonexistent"), ("OUTRIG_JCO", "")],
    );
    assert!(
        !ok && stderr.contains("npm install --global @bytecodealliance/jco@1.35.0"),
        "jco is named, not installed: {stderr}"
    );
    let (ok, _, stderr) = outrig(project, &["plugin", "build", &wasm]);
    assert!(!ok && stderr.contains("already a component"), "{stderr}");
}
