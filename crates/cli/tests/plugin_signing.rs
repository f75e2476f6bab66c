//! Signed plugins, offline: `plugin keygen` and `plugin sign` (embedded and detached), then a
//! grants file whose entry names the `signer`. The signed plugin loads and answers; a copy
//! with one byte flipped, an unsigned copy, one signed by another key and a key file that is
//! not a key are refused at load, each saying why; `plugin inspect` says by which key id.

mod common;

use std::path::Path;

use common::outrig_in as outrig;

/// `plugin call FILE convert_units` under a grants file requiring `signer`.
fn call(dir: &Path, file: &str, signer: &str) -> (bool, String) {
    common::call_units_signed(dir, file, &format!("\"{signer}\""))
}

#[test]
fn only_plugins_signed_by_the_named_key_load() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let original = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins/units.wasm"
    );
    for name in ["units.wasm", "detached.wasm", "unsigned.wasm"] {
        std::fs::copy(original, dir.join(name)).unwrap();
    }
    let mut ids = Vec::new();
    for who in ["author", "stranger"] {
        let (ok, text) = outrig(
            dir,
            &[
                "plugin",
                "keygen",
                "--secret-key",
                &format!("{who}.key"),
                "--public-key",
                &format!("{who}.pub"),
            ],
        );
        assert!(ok, "{text}");
        let id = text.split("key id: ").nth(1).unwrap().trim().to_string();
        assert_eq!(id.len(), 16, "{text}");
        ids.push(id);
    }
    let (author, stranger) = (&ids[0], &ids[1]);
    let (ok, text) = outrig(
        dir,
        &[
            "plugin",
            "keygen",
            "--secret-key",
            "author.key",
            "--public-key",
            "x.pub",
        ],
    );
    assert!(!ok, "a secret key is never overwritten: {text}");

    let (ok, text) = outrig(
        dir,
        &["plugin", "sign", "units.wasm", "--secret-key", "author.key"],
    );
    assert!(ok, "{text}");
    let (ok, text) = outrig(
        dir,
        &[
            "plugin",
            "sign",
            "detached.wasm",
            "--secret-key",
            "author.key",
            "--detached",
        ],
    );
    assert!(ok, "{text}");
    assert_eq!(
        std::fs::read(dir.join("detached.wasm")).unwrap(),
        std::fs::read(original).unwrap()
    );

    let (ok, text) = call(dir, "units.wasm", "author.pub");
    assert!(ok && text.contains("100 F = 37.777778 C"), "{text}");
    let (ok, text) = call(dir, "detached.wasm", "author.pub");
    assert!(ok && text.contains("100 F = 37.777778 C"), "{text}");

    let (ok, text) = call(dir, "units.wasm", "stranger.pub");
    assert!(
        !ok && text.contains("its signature is not by")
            && text.contains(&format!("stranger.pub (key {stranger})")),
        "{text}"
    );
    let (ok, text) = call(dir, "unsigned.wasm", "author.pub");
    assert!(!ok && text.contains("unsigned.wasm: not signed"), "{text}");
    let (ok, text) = call(dir, "units.wasm", "author.key.missing");
    assert!(!ok && text.contains("not an Ed25519 public key"), "{text}");

    // One byte flipped past the signature section, in the component itself.
    let mut bytes = std::fs::read(dir.join("units.wasm")).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    std::fs::write(dir.join("flipped.wasm"), &bytes).unwrap();
    let (ok, text) = call(dir, "flipped.wasm", "author.pub");
    assert!(!ok && text.contains("changed after signing"), "{text}");
    // A detached signature does not follow its component to another file's content.
    std::fs::copy(dir.join("detached.wasm.sig"), dir.join("flipped2.wasm.sig")).unwrap();
    let mut other = std::fs::read(original).unwrap();
    other[at] ^= 0x01;
    std::fs::write(dir.join("flipped2.wasm"), &other).unwrap();
    let (ok, text) = call(dir, "flipped2.wasm", "author.pub");
    assert!(!ok && text.contains("changed after signing"), "{text}");

    let (ok, text) = outrig(dir, &["plugin", "inspect", "units.wasm"]);
    let embedded = format!("signature: embedded, by key {author}");
    assert!(ok && text.contains(&embedded), "{text}");
    let (ok, text) = outrig(dir, &["plugin", "inspect", "detached.wasm"]);
    let detached = format!("signature: detached, by key {author}");
    assert!(ok && text.contains(&detached), "{text}");
    let (ok, text) = outrig(dir, &["plugin", "inspect", "unsigned.wasm"]);
    assert!(ok && text.contains("signature: not signed"), "{text}");
}
