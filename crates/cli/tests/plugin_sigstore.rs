//! Sigstore keyless signatures, offline, through `plugin call --grants` and `plugin
//! inspect`: a trust root made here (a P-384 CA as Fulcio's, a P-256 log key as Rekor's),
//! a short-lived certificate naming a workflow identity and its OIDC issuer (Fulcio's
//! extension), a bundle as `cosign sign-blob --bundle` writes it. The plugin loads only with
//! the pinned identity and issuer; a flipped byte, no bundle, another identity or issuer, a
//! certificate from another CA, a timestamp not by the log, a log entry for other bytes and
//! a signing time outside the certificate are each refused, saying why.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CustomExtension, DnType, IsCa, Issuer,
    KeyPair, PublicKeyData, SanType, SigningKey,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

const IDENTITY: &str =
    "https://github.com/outrig-dev/plugins/.github/workflows/release.yml@refs/tags/v1.0.0";
const ISSUER: &str = "https://token.actions.githubusercontent.com";
/// 2026-01-01T12:00:00Z, inside the certificate's day.
const SIGNED_AT: i64 = 1_767_268_800;

/// A CA standing for Fulcio, and a key standing for Rekor's.
struct Authority {
    ca_key: KeyPair,
    ca_params: CertificateParams,
    ca_der: Vec<u8>,
    log_key: KeyPair,
}

impl Authority {
    fn new() -> Authority {
        let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "outrig test fulcio");
        let ca_der = ca_params.self_signed(&ca_key).unwrap().der().to_vec();
        let log_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        Authority {
            ca_key,
            ca_params,
            ca_der,
            log_key,
        }
    }

    fn log_id(&self) -> Vec<u8> {
        Sha256::digest(self.log_key.subject_public_key_info()).to_vec()
    }

    /// `trusted_root.json` listing this CA and log.
    fn trust_root(&self) -> Value {
        json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [{
                "baseUrl": "https://rekor.example",
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": B64.encode(self.log_key.subject_public_key_info()),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": {"start": "2025-01-01T00:00:00Z"}
                },
                "logId": {"keyId": B64.encode(self.log_id())}
            }],
            "certificateAuthorities": [{
                "subject": {"organization": "outrig", "commonName": "outrig test fulcio"},
                "uri": "https://fulcio.example",
                "certChain": {"certificates": [{"rawBytes": B64.encode(&self.ca_der)}]},
                "validFor": {"start": "2025-01-01T00:00:00Z"}
            }],
            "ctlogs": [],
            "timestampAuthorities": []
        })
    }
}

/// How a bundle is made (each field a way to get it wrong).
struct Signing<'a> {
    ca: &'a Authority,
    log: &'a Authority,
    identity: &'a str,
    issuer: &'a str,
    signed_at: i64,
    /// The log entry records these bytes' digest instead.
    logged_bytes: Option<&'a [u8]>,
}

impl<'a> Signing<'a> {
    fn honest(authority: &'a Authority) -> Signing<'a> {
        Signing {
            ca: authority,
            log: authority,
            identity: IDENTITY,
            issuer: ISSUER,
            signed_at: SIGNED_AT,
            logged_bytes: None,
        }
    }

    /// The bundle of `component`, as `cosign sign-blob --bundle` writes it (v0.3).
    fn bundle(&self, component: &[u8]) -> Value {
        let leaf_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = CertificateParams::default();
        params.not_before = date_time_ymd(2026, 1, 1);
        params.not_after = date_time_ymd(2026, 1, 2);
        params.subject_alt_names = vec![SanType::URI(self.identity.try_into().unwrap())];
        let mut issuer = vec![0x0c, self.issuer.len() as u8];
        issuer.extend_from_slice(self.issuer.as_bytes());
        params.custom_extensions = vec![CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 57264, 1, 8],
            issuer,
        )];
        let ca = Issuer::new(self.ca.ca_params.clone(), &self.ca.ca_key);
        let leaf = params.signed_by(&leaf_key, &ca).unwrap();
        let signature = leaf_key.sign(component).unwrap();
        let logged = self.logged_bytes.unwrap_or(component);
        let body = json!({
            "apiVersion": "0.0.1",
            "kind": "hashedrekord",
            "spec": {
                "data": {"hash": {"algorithm": "sha256", "value": hex(&Sha256::digest(logged))}},
                "signature": {
                    "content": B64.encode(&signature),
                    "publicKey": {"content": B64.encode(leaf.pem())}
                }
            }
        })
        .to_string();
        let log_index = 4242;
        let set_payload = format!(
            r#"{{"body":"{}","integratedTime":{},"logID":"{}","logIndex":{log_index}}}"#,
            B64.encode(&body),
            self.signed_at,
            hex(&self.ca.log_id()),
        );
        let set = self.log.log_key.sign(set_payload.as_bytes()).unwrap();
        json!({
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {
                "certificate": {"rawBytes": B64.encode(leaf.der())},
                "tlogEntries": [{
                    "logIndex": log_index.to_string(),
                    "logId": {"keyId": B64.encode(self.ca.log_id())},
                    "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"},
                    "integratedTime": self.signed_at.to_string(),
                    "inclusionPromise": {"signedEntryTimestamp": B64.encode(set)},
                    "canonicalizedBody": B64.encode(&body)
                }]
            },
            "messageSignature": {
                "messageDigest": {"algorithm": "SHA2_256", "digest": B64.encode(Sha256::digest(component))},
                "signature": B64.encode(&signature)
            }
        })
    }
}

/// A copy that must be refused: its file name, bytes and bundle, the identity and issuer
/// the grants file requires, and what the refusal must say.
type Refused<'a> = (&'a str, Vec<u8>, Option<Value>, &'a str, &'a str, &'a str);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn outrig(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// `plugin call FILE convert_units` under a grants file requiring this identity and issuer.
fn call(dir: &Path, file: &str, identity: &str, issuer: &str) -> (bool, String) {
    let grants = dir.join(format!("{file}.toml"));
    std::fs::write(
        &grants,
        format!(
            "[[plugin]]\npath = \"{file}\"\nsigner = {{ identity = \"{identity}\", issuer = \"{issuer}\", trust_root = \"trusted_root.json\" }}\n"
        ),
    )
    .unwrap();
    let grants = grants.display().to_string();
    let input = r#"{"value": 100, "from": "F", "to": "C"}"#;
    outrig(
        dir,
        &[
            "plugin",
            "call",
            file,
            "convert_units",
            input,
            "--grants",
            &grants,
        ],
    )
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
