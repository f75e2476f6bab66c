//! `outrig plugin new` + `build` + `call` for each language, from an empty directory, with
//! the toolchains the project's own plugins use. A missing install is named, not done.

use std::path::Path;
use std::process::Command;

fn outrig(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(args)
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
    }
    let (ok, _, stderr) = outrig(
        empty.path(),
        &["plugin", "new", "Bad Name", "--lang", "rust"],
    );
    assert!(!ok && stderr.contains("lower-case letters"), "{stderr}");
}
