//! Sigstore keyless signatures, offline, through `plugin call --grants` and `plugin
//! inspect`: a trust root made here (a P-384 CA as Fulcio's, a P-256 log key as Rekor's),
//! a short-lived certificate naming a workflow identity and its OIDC issuer (Fulcio's
//! extension), a bundle as `cosign sign-blob --bundle` writes it. The plugin loads only with
//! the pinned identity and issuer; a flipped byte, no bundle, another identity or issuer, a
//! certificate from another CA, a timestamp not by the log, a log entry for other bytes and
//! a signing time outside the certificate are each refused, saying why.

mod common;

use common::sigstore::{Authority, Signing, IDENTITY, ISSUER, SIGNED_AT};
use serde_json::Value;
use std::path::Path;

/// A v0.3 bundle in cosign's earlier format: `base64Signature`, `cert` (base64 PEM) and
/// `rekorBundle` (the signed entry timestamp and its payload).
fn cosign_format(bundle: &Value) -> Value {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let entry = &bundle["verificationMaterial"]["tlogEntries"][0];
    let der = b64
        .decode(
            bundle["verificationMaterial"]["certificate"]["rawBytes"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        b64.encode(der)
    );
    let log_id = b64
        .decode(entry["logId"]["keyId"].as_str().unwrap())
        .unwrap();
    serde_json::json!({
        "base64Signature": bundle["messageSignature"]["signature"],
        "cert": b64.encode(pem),
        "rekorBundle": {
            "SignedEntryTimestamp": entry["inclusionPromise"]["signedEntryTimestamp"],
            "Payload": {
                "body": entry["canonicalizedBody"],
                "integratedTime": entry["integratedTime"].as_str().unwrap().parse::<i64>().unwrap(),
                "logIndex": entry["logIndex"].as_str().unwrap().parse::<i64>().unwrap(),
                "logID": common::sigstore::hex(&log_id),
            }
        }
    })
}

/// A copy that must be refused: its file name, bytes and bundle, the identity and issuer
/// the grants file requires, and what the refusal must say.
type Refused<'a> = (&'a str, Vec<u8>, Option<Value>, &'a str, &'a str, &'a str);

use common::outrig_in as outrig;

/// `plugin call FILE convert_units` under a grants file requiring this identity and issuer.
fn call(dir: &Path, file: &str, identity: &str, issuer: &str) -> (bool, String) {
    let signer = format!("{{ identity = \"{identity}\", issuer = \"{issuer}\", trust_root = \"trusted_root.json\" }}");
    common::call_units_signed(dir, file, &signer)
}

#[test]
fn only_plugins_signed_by_the_pinned_identity_load() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let component = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins/units.wasm"
    ))
    .unwrap();
    let trusted = Authority::new();
    let stranger = Authority::new();
    std::fs::write(
        dir.join("trusted_root.json"),
        trusted.trust_root().to_string(),
    )
    .unwrap();
    let place = |name: &str, bytes: &[u8], bundle: Option<Value>| {
        std::fs::write(dir.join(name), bytes).unwrap();
        if let Some(bundle) = bundle {
            std::fs::write(
                dir.join(format!("{name}.sigstore.json")),
                bundle.to_string(),
            )
            .unwrap();
        }
    };
    let honest = Signing::honest(&trusted);
    place("units.wasm", &component, Some(honest.bundle(&component)));

    let (ok, text) = call(dir, "units.wasm", IDENTITY, ISSUER);
    assert!(ok, "{text}");
    assert!(text.contains("100 F = 37.777778 C"), "{text}");
    // The same signature in cosign's earlier bundle format (`sign-blob --bundle` without
    // `--new-bundle-format`) loads too.
    place(
        "cosign.wasm",
        &component,
        Some(cosign_format(&honest.bundle(&component))),
    );
    let (ok, text) = call(dir, "cosign.wasm", IDENTITY, ISSUER);
    assert!(ok && text.contains("100 F = 37.777778 C"), "{text}");
    let mut flipped = component.clone();
    flipped[10] ^= 1;
    place(
        "cosign-flipped.wasm",
        &flipped,
        Some(cosign_format(&honest.bundle(&component))),
    );
    let (ok, text) = call(dir, "cosign-flipped.wasm", IDENTITY, ISSUER);
    assert!(!ok && text.contains("signature does not verify"), "{text}");

    let (ok, text) = outrig(dir, &["plugin", "inspect", "units.wasm"]);
    assert!(
        ok && text.contains(&format!(
            "a Sigstore bundle beside it names {IDENTITY} (issuer {ISSUER})"
        )),
        "{text}"
    );

    let refusals: Vec<Refused> = vec![
        {
            let mut flipped = component.clone();
            let middle = flipped.len() / 2;
            flipped[middle] ^= 1;
            let bundle = honest.bundle(&component);
            ("flipped.wasm", flipped, Some(bundle), IDENTITY, ISSUER, "the component was changed after signing")
        },
        ("unsigned.wasm", component.clone(), None, IDENTITY, ISSUER, "no Sigstore bundle"),
        (
            "other-identity.wasm",
            component.clone(),
            Some(honest.bundle(&component)),
            "https://github.com/someone-else/plugins/.github/workflows/release.yml@refs/tags/v1.0.0",
            ISSUER,
            "(issuer https://token.actions.githubusercontent.com), but the grants file requires https://github.com/someone-else",
        ),
        (
            "other-issuer.wasm",
            component.clone(),
            Some(honest.bundle(&component)),
            IDENTITY,
            "https://accounts.google.com",
            "but the grants file requires",
        ),
        (
            "foreign-ca.wasm",
            component.clone(),
            Some(Signing { ca: &stranger, log: &trusted, ..Signing::honest(&trusted) }.bundle(&component)),
            IDENTITY,
            ISSUER,
            "was not issued by a CA of the trust root",
        ),
        (
            "foreign-log.wasm",
            component.clone(),
            Some(Signing { log: &stranger, ..Signing::honest(&trusted) }.bundle(&component)),
            IDENTITY,
            ISSUER,
            "signed timestamp does not verify",
        ),
        (
            "other-entry.wasm",
            component.clone(),
            Some(Signing { logged_bytes: Some(b"other bytes"), ..Signing::honest(&trusted) }.bundle(&component)),
            IDENTITY,
            ISSUER,
            "records another signature, certificate or digest",
        ),
        (
            "late.wasm",
            component.clone(),
            Some(Signing { signed_at: SIGNED_AT + 2 * 86_400, ..Signing::honest(&trusted) }.bundle(&component)),
            IDENTITY,
            ISSUER,
            "outside its certificate's validity",
        ),
    ];
    for (name, bytes, bundle, identity, issuer, why) in refusals {
        place(name, &bytes, bundle);
        let (ok, text) = call(dir, name, identity, issuer);
        assert!(!ok, "{name} loaded: {text}");
        assert!(text.contains(name) && text.contains(why), "{name}: {text}");
    }
}
