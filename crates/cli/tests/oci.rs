//! Plugins from an OCI registry: Debian's `docker-registry` (the CNCF distribution registry)
//! on loopback, behind htpasswd authentication. `outrig plugin push` stores the example
//! plugin with the grants it requests; `outrig host check` loads it from
//! `oci://…@sha256:…` (pulled with the Docker config's credentials, then from the cache with
//! no registry at all) and from a tag (resolved and reported); the requested grants are
//! shown, not granted (also by `plugin inspect oci://…`); without credentials, and with a
//! digest the registry does not have, it is refused. A Sigstore bundle beside the pushed
//! component travels as a second layer, so a pulled plugin meets a keyless `signer`.

mod common;

use base64::Engine;
use common::sigstore::{Authority, Signing, IDENTITY, ISSUER};
use std::path::Path;
use std::process::{Child, Command, Stdio};

struct Registry {
    child: Child,
    address: String,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `docker-registry` on a free loopback port, user `outrig` / `s3cret-registry`.
fn registry(dir: &Path) -> Registry {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let htpasswd = Command::new("htpasswd")
        .args(["-Bbn", "outrig", "s3cret-registry"])
        .output()
        .expect("htpasswd (apache2-utils; scripts/setup.sh installs it)");
    std::fs::write(dir.join("htpasswd"), htpasswd.stdout).unwrap();
    let config = format!(
        "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {root}\nhttp:\n  addr: 127.0.0.1:{port}\nauth:\n  htpasswd:\n    realm: outrig-test\n    path: {htpasswd}\n",
        root = dir.join("storage").display(),
        htpasswd = dir.join("htpasswd").display(),
    );
    std::fs::write(dir.join("registry.yml"), config).unwrap();
    let child = Command::new("docker-registry")
        .args(["serve", &dir.join("registry.yml").display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker-registry (scripts/setup.sh installs it)");
    let address = format!("127.0.0.1:{port}");
    for _ in 0..200 {
        if std::net::TcpStream::connect(&address).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Registry { child, address }
}

/// A Docker config directory holding `auths` for `registry` (or none).
fn docker_config(dir: &Path, registry: Option<&str>) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let auths = registry.map_or(String::new(), |address| {
        let token = base64::engine::general_purpose::STANDARD.encode("outrig:s3cret-registry");
        format!("\"{address}\": {{\"auth\": \"{token}\"}}")
    });
    std::fs::write(
        dir.join("config.json"),
        format!("{{\"auths\": {{{auths}}}}}"),
    )
    .unwrap();
    dir.to_path_buf()
}

fn outrig(dir: &Path, docker: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .current_dir(dir)
        .env("DOCKER_CONFIG", docker)
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// `host check` on a grants file whose one plugin is `path`, with its own cache.
fn check(dir: &Path, docker: &Path, path: &str, cache: &str) -> (bool, String) {
    let grants = dir.join("outrig-host.toml");
    std::fs::write(
        &grants,
        format!("cache_dir = \"{cache}\"\n[[plugin]]\npath = \"{path}\"\n"),
    )
    .unwrap();
    let (ok, stdout, stderr) = outrig(
        dir,
        docker,
        &["host", "check", "--config", "outrig-host.toml"],
    );
    (ok, stdout + &stderr)
}

#[test]
fn plugins_are_pushed_and_pulled_through_a_registry() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let registry = registry(dir);
    let address = registry.address.clone();
    let trusted = docker_config(&dir.join("docker"), Some(&address));
    let anonymous = docker_config(&dir.join("anonymous"), None);
    let plugin = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins/units.wasm"
    );
    std::fs::write(dir.join("requests.toml"), "env = [\"UNITS_PRECISION\"]\n").unwrap();
    let tagged = format!("oci://{address}/plugins/units:v1");

    let (ok, _, stderr) = outrig(dir, &anonymous, &["plugin", "push", plugin, &tagged]);
    assert!(!ok, "a push without credentials is refused: {stderr}");
    assert!(!stderr.contains("s3cret-registry"), "{stderr}");

    let (ok, stdout, stderr) = outrig(
        dir,
        &trusted,
        &[
            "plugin",
            "push",
            plugin,
            &tagged,
            "--requested-grants",
            "requests.toml",
        ],
    );
    assert!(ok, "{stderr}");
    let digest = stdout.trim().to_string();
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{stdout}"
    );
    let pinned = format!("oci://{address}/plugins/units@{digest}");
    assert!(stderr.contains(&pinned), "{stderr}");

    let (ok, text) = check(dir, &trusted, &pinned, "cache-a");
    assert!(ok && text.contains("convert_units"), "{text}");
    assert!(
        text.contains("requests these grants (not granted") && text.contains("UNITS_PRECISION"),
        "{text}"
    );
    assert!(!text.contains("s3cret-registry"), "{text}");

    let (ok, text) = check(dir, &trusted, &tagged, "cache-b");
    assert!(
        ok && text.contains(&format!("resolved to {digest}")),
        "{text}"
    );

    let (ok, stdout, stderr) = outrig(dir, &trusted, &["plugin", "inspect", &pinned]);
    assert!(ok && stdout.contains("convert_units"), "{stdout}{stderr}");
    assert!(stderr.contains("UNITS_PRECISION"), "{stderr}");

    let (ok, text) = check(dir, &anonymous, &pinned, "cache-c");
    assert!(
        !ok && text.contains("cannot pull"),
        "without credentials: {text}"
    );

    let wrong = format!("oci://{address}/plugins/units@sha256:{}", "0".repeat(64));
    let (ok, text) = check(dir, &trusted, &wrong, "cache-d");
    assert!(
        !ok && text.contains("cannot pull"),
        "an unknown digest: {text}"
    );

    // Pinned and cached: loads with the registry gone.
    drop(registry);
    let (ok, text) = check(dir, &anonymous, &pinned, "cache-a");
    assert!(
        ok && text.contains("convert_units"),
        "from the cache: {text}"
    );

    // The cache is not trusted: a changed component is refused on the bytes compiled, and
    // a changed manifest is not used (and with the registry gone, cannot be pulled again).
    let stem = digest.replace(':', "-");
    let cached = dir.join("cache-a").join("oci").join(format!("{stem}.wasm"));
    let mut bytes = std::fs::read(&cached).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&cached, &bytes).unwrap();
    let (ok, text) = check(dir, &anonymous, &pinned, "cache-a");
    assert!(
        !ok && text.contains("SHA-256 is"),
        "a changed cached component: {text}"
    );
    let manifest = dir
        .join("cache-a")
        .join("oci")
        .join(format!("{stem}.manifest.json"));
    std::fs::write(&manifest, b"{}").unwrap();
    let (ok, text) = check(dir, &anonymous, &pinned, "cache-a");
    assert!(
        !ok && text.contains("cannot pull"),
        "a changed cached manifest: {text}"
    );
}

#[test]
fn a_sigstore_bundle_travels_with_the_plugin_it_signs() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let registry = registry(dir);
    let address = registry.address.clone();
    let trusted = docker_config(&dir.join("docker"), Some(&address));
    let component = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins/units.wasm"
    ))
    .unwrap();
    let authority = Authority::new();
    std::fs::write(
        dir.join("trusted_root.json"),
        authority.trust_root().to_string(),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("signed")).unwrap();
    std::fs::write(dir.join("signed/units.wasm"), &component).unwrap();
    std::fs::write(
        dir.join("signed/units.wasm.sigstore.json"),
        Signing::honest(&authority).bundle(&component).to_string(),
    )
    .unwrap();
    std::fs::write(dir.join("units.wasm"), &component).unwrap();
    let push = |file: &str, tag: &str| {
        let reference = format!("oci://{address}/plugins/{tag}");
        let (ok, stdout, stderr) = outrig(dir, &trusted, &["plugin", "push", file, &reference]);
        assert!(ok, "{stderr}");
        let pinned = format!(
            "oci://{address}/plugins/{}@{}",
            tag.split(':').next().unwrap(),
            stdout.trim()
        );
        (pinned, stderr)
    };
    let (signed, said) = push("signed/units.wasm", "signed:v1");
    assert!(said.contains("with its Sigstore bundle"), "{said}");
    let (unsigned, said) = push("units.wasm", "unsigned:v1");
    assert!(!said.contains("Sigstore"), "{said}");

    // `host check` under a grants file requiring a keyless signature by `identity`.
    let keyless = |path: &str, identity: &str, cache: &str| {
        std::fs::write(
            dir.join("outrig-host.toml"),
            format!(
                "cache_dir = \"{cache}\"\n[[plugin]]\npath = \"{path}\"\nsigner = {{ identity = \"{identity}\", issuer = \"{ISSUER}\", trust_root = \"trusted_root.json\" }}\n"
            ),
        )
        .unwrap();
        let (ok, stdout, stderr) = outrig(
            dir,
            &trusted,
            &["host", "check", "--config", "outrig-host.toml"],
        );
        (ok, stdout + &stderr)
    };
    let (ok, text) = keyless(&signed, IDENTITY, "cache-a");
    assert!(ok && text.contains("convert_units"), "{text}");
    let other = IDENTITY.replace("outrig-dev", "someone-else");
    let (ok, text) = keyless(&signed, &other, "cache-b");
    assert!(
        !ok && text.contains(&format!("signed by {IDENTITY}")),
        "{text}"
    );
    let (ok, text) = keyless(&unsigned, IDENTITY, "cache-c");
    assert!(!ok && text.contains("no Sigstore bundle"), "{text}");
}
