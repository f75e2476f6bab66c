//! Sigstore keyless signatures, verified offline: an author signs a component with a
//! short-lived certificate that a Fulcio CA issued to their OIDC identity (e.g.
//! `cosign sign-blob --bundle NAME.wasm.sigstore.json NAME.wasm` in a CI workflow), and the
//! signing is recorded in a Rekor transparency log. The operator pins the identity, its
//! issuer and a trust root (`trusted_root.json`: the CAs and log keys, as Sigstore
//! publishes them); the host then checks, before compiling and without network:
//!
//! 1. the bundle's certificate was issued by one of the trust root's CAs;
//! 2. it names the pinned identity (subject alternative name) and issuer (Fulcio's
//!    extension `1.3.6.1.4.1.57264.1.8`, or the older `….1.1`);
//! 3. the signature over the component's very bytes verifies under that certificate;
//! 4. the log entry's signed entry timestamp verifies under a trusted log key, its body
//!    records this signature, certificate and digest, and its time lies within the
//!    certificate's validity (the certificate lives minutes; the log proves it was used
//!    then).
//!
//! X.509 is parsed by `x509-cert` and every signature is checked by `ring`.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use outrig_api::digest::hex;
use ring::signature::{self as alg, UnparsedPublicKey, VerificationAlgorithm};
use serde_json::Value;
use std::path::{Path, PathBuf};
use x509_cert::der::asn1::{ObjectIdentifier, Utf8StringRef};
use x509_cert::der::Decode;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;

/// Fulcio's OIDC issuer extension (DER UTF8String).
const ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
/// Fulcio's first issuer extension (raw bytes).
const ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// Where the bundle of `component` is looked for: `component.sigstore.json`.
pub fn bundle_path(component: &Path) -> PathBuf {
    let mut name = component.as_os_str().to_owned();
    name.push(".sigstore.json");
    PathBuf::from(name)
}

/// The operator's pinned Sigstore identity for one plugin.
#[derive(Debug, Clone)]
pub struct Keyless {
    identity: String,
    issuer: String,
    root: TrustRoot,
    root_file: PathBuf,
}

#[derive(Debug, Clone)]
struct TrustRoot {
    /// Each CA's chain (its root and intermediates, in either order: the one that signed a
    /// certificate is found by its signature).
    authorities: Vec<(Vec<Certificate>, Window)>,
    /// Each log: its key id, key and validity.
    logs: Vec<(Vec<u8>, SubjectPublicKeyInfoOwned, Window)>,
}

/// Seconds since the epoch, from and (maybe) until.
#[derive(Debug, Clone, Copy)]
struct Window(i64, Option<i64>);

impl Window {
    fn holds(self, at: i64) -> bool {
        self.0 <= at && self.1.is_none_or(|end| at <= end)
    }
}

impl Keyless {
    /// Requires `identity` (a certificate's URI or e-mail name) from `issuer` (the OIDC
    /// issuer URL), under the trust root in `trust_root` (Sigstore's `trusted_root.json`).
    pub fn new(identity: &str, issuer: &str, trust_root: &Path) -> anyhow::Result<Keyless> {
        let text = std::fs::read_to_string(trust_root)
            .map_err(|e| anyhow::anyhow!("trust root {}: {e}", trust_root.display()))?;
        let root = TrustRoot::parse(&text)
            .map_err(|e| anyhow::anyhow!("trust root {}: {e}", trust_root.display()))?;
        Ok(Keyless {
            identity: identity.to_string(),
            issuer: issuer.to_string(),
            root,
            root_file: trust_root.to_path_buf(),
        })
    }

    /// Checks `bytes` (the component read from `path`) against the bundle beside it.
    /// `Err` says why it fails.
    pub fn verify(&self, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        let shown = path.display();
        let bundle_file = bundle_path(path);
        let wanted = format!("{} (issuer {})", self.identity, self.issuer);
        let text = std::fs::read_to_string(&bundle_file).map_err(|_| {
            anyhow::anyhow!(
                "{shown}: no Sigstore bundle ({} is missing), but the grants file requires a keyless signature by {wanted}",
                bundle_file.display()
            )
        })?;
        let bundle = Bundle::parse(&text).map_err(|e| {
            anyhow::anyhow!(
                "{}: not a usable Sigstore bundle: {e}",
                bundle_file.display()
            )
        })?;
        self.check(&bundle, bytes, &wanted)
            .map_err(|e| anyhow::anyhow!("{shown}: {e}"))
    }

    fn check(&self, bundle: &Bundle, bytes: &[u8], wanted: &str) -> anyhow::Result<()> {
        let (identity, issuer) = bundle.claims()?;
        anyhow::ensure!(
            identity == self.identity && issuer == self.issuer,
            "signed by {identity} (issuer {issuer}), but the grants file requires {wanted}"
        );
        let issued = self.root.authorities.iter().find(|(chain, window)| {
            window.holds(bundle.integrated_time)
                && chain
                    .iter()
                    .any(|ca| verify_certificate(&bundle.leaf, &bundle.leaf_der, ca))
        });
        anyhow::ensure!(
            issued.is_some(),
            "its certificate was not issued by a CA of the trust root {} (at the time it was logged)",
            self.root_file.display()
        );
        let validity = &bundle.leaf.tbs_certificate.validity;
        let valid = Window(
            validity.not_before.to_unix_duration().as_secs() as i64,
            Some(validity.not_after.to_unix_duration().as_secs() as i64),
        );
        anyhow::ensure!(
            valid.holds(bundle.integrated_time),
            "it was logged at {} s, outside its certificate's validity ({} to {} s)",
            bundle.integrated_time,
            valid.0,
            valid.1.unwrap_or_default()
        );
        let digest = {
            use sha2::Digest;
            sha2::Sha256::digest(bytes).to_vec()
        };
        anyhow::ensure!(
            bundle.digest.as_deref().is_none_or(|d| d == digest),
            "the bundle is for other bytes (its digest differs): the component was changed after signing"
        );
        let key = &bundle.leaf.tbs_certificate.subject_public_key_info;
        anyhow::ensure!(
            verify_with(key, None, bytes, &bundle.signature),
            "its signature does not verify: the component was changed after signing"
        );
        self.check_log_entry(bundle, &digest)
    }

    /// The signed entry timestamp, by a trusted log, over an entry that records this very
    /// signature, certificate and digest.
    fn check_log_entry(&self, bundle: &Bundle, digest: &[u8]) -> anyhow::Result<()> {
        let entry = &bundle.log_entry;
        let (_, log_key, _) = self
            .root
            .logs
            .iter()
            .find(|(id, _, window)| *id == entry.log_id && window.holds(bundle.integrated_time))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "its transparency log entry is from a log the trust root {} does not list",
                    self.root_file.display()
                )
            })?;
        // Rekor signs the canonical JSON (sorted keys, no spaces) of these four fields.
        let payload = format!(
            r#"{{"body":"{}","integratedTime":{},"logID":"{}","logIndex":{}}}"#,
            B64.encode(&entry.body),
            bundle.integrated_time,
            hex(&entry.log_id),
            entry.log_index
        );
        anyhow::ensure!(
            verify_with(log_key, None, payload.as_bytes(), &entry.promise),
            "its transparency log entry's signed timestamp does not verify under the log's key"
        );
        let body: Value = serde_json::from_slice(&entry.body)
            .map_err(|_| anyhow::anyhow!("its log entry's body is not JSON"))?;
        let spec = &body["spec"];
        let recorded_signature = text(&spec["signature"]["content"]).and_then(unbase64);
        let recorded_certificate = text(&spec["signature"]["publicKey"]["content"])
            .and_then(unbase64)
            .and_then(|pem| pem_to_der(&pem));
        anyhow::ensure!(
            body["kind"] == "hashedrekord"
                && spec["data"]["hash"]["algorithm"] == "sha256"
                && text(&spec["data"]["hash"]["value"]) == Some(hex(digest).as_str())
                && recorded_signature.as_deref() == Some(bundle.signature.as_slice())
                && recorded_certificate.as_deref() == Some(bundle.leaf_der.as_slice()),
            "its transparency log entry records another signature, certificate or digest"
        );
        Ok(())
    }
}

impl TrustRoot {
    fn parse(text: &str) -> Result<TrustRoot, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
        let mut authorities = Vec::new();
        for ca in array(&root["certificateAuthorities"]) {
            let chain = array(&ca["certChain"]["certificates"])
                .iter()
                .map(|c| {
                    raw(&c["rawBytes"])
                        .and_then(|der| Certificate::from_der(&der).ok())
                        .ok_or("a CA certificate is not base64 DER X.509")
                })
                .collect::<Result<Vec<_>, _>>()?;
            if !chain.is_empty() {
                authorities.push((chain, window(&ca["validFor"])?));
            }
        }
        let mut logs = Vec::new();
        for log in array(&root["tlogs"]) {
            let id = raw(&log["logId"]["keyId"]).ok_or("a log has no base64 `logId.keyId`")?;
            let key = raw(&log["publicKey"]["rawBytes"])
                .and_then(|der| SubjectPublicKeyInfoOwned::from_der(&der).ok())
                .ok_or("a log key is not base64 DER SubjectPublicKeyInfo")?;
            logs.push((id, key, window(&log["publicKey"]["validFor"])?));
        }
        if authorities.is_empty() || logs.is_empty() {
            return Err("it lists no certificate authority or no transparency log".into());
        }
        Ok(TrustRoot { authorities, logs })
    }
}

/// What a bundle holds, decoded.
struct Bundle {
    leaf: Certificate,
    /// The certificate as received (re-encoding may differ from what was signed).
    leaf_der: Vec<u8>,
    signature: Vec<u8>,
    digest: Option<Vec<u8>>,
    integrated_time: i64,
    log_entry: LogEntry,
}

struct LogEntry {
    log_id: Vec<u8>,
    log_index: i64,
    body: Vec<u8>,
    promise: Vec<u8>,
}

impl Bundle {
    /// Bundles v0.1 to v0.3 of a message signature (not DSSE envelopes), or cosign's own
    /// earlier format (`cosign sign-blob --bundle` without `--new-bundle-format`).
    fn parse(text: &str) -> Result<Bundle, String> {
        let bundle: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
        if bundle.get("base64Signature").is_some() {
            return Bundle::parse_cosign(&bundle);
        }
        let media = text_of(&bundle["mediaType"]);
        if !media.starts_with("application/vnd.dev.sigstore.bundle") {
            return Err(format!("its mediaType is `{media}`"));
        }
        let material = &bundle["verificationMaterial"];
        let leaf = raw(&material["certificate"]["rawBytes"])
            .or_else(|| raw(&material["x509CertificateChain"]["certificates"][0]["rawBytes"]))
            .ok_or("it holds no certificate (a key-signed bundle is not keyless)")?;
        let leaf_der = leaf;
        let leaf = Certificate::from_der(&leaf_der).map_err(|e| format!("its certificate: {e}"))?;
        let message = &bundle["messageSignature"];
        if message.is_null() {
            return Err("it holds no message signature (DSSE envelopes are not supported)".into());
        }
        let signature =
            raw(&message["signature"]).ok_or("no base64 `messageSignature.signature`")?;
        let digest = raw(&message["messageDigest"]["digest"]);
        let entry = &array(&material["tlogEntries"])
            .first()
            .cloned()
            .ok_or("it holds no transparency log entry")?;
        let number = |v: &Value| -> Option<i64> {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        };
        let log_entry = LogEntry {
            log_id: raw(&entry["logId"]["keyId"]).ok_or("its log entry has no `logId.keyId`")?,
            log_index: number(&entry["logIndex"]).ok_or("its log entry has no `logIndex`")?,
            body: raw(&entry["canonicalizedBody"])
                .ok_or("its log entry has no `canonicalizedBody`")?,
            promise: raw(&entry["inclusionPromise"]["signedEntryTimestamp"]).ok_or(
                "its log entry has no signed entry timestamp (`inclusionPromise`), needed offline",
            )?,
        };
        Ok(Bundle {
            leaf,
            leaf_der,
            signature,
            digest,
            integrated_time: number(&entry["integratedTime"])
                .ok_or("its log entry has no `integratedTime`")?,
            log_entry,
        })
    }

    /// cosign's format: `base64Signature`, `cert` (base64 PEM), `rekorBundle` (the signed
    /// entry timestamp and its payload: body, integrated time, log index, hex log id).
    fn parse_cosign(bundle: &Value) -> Result<Bundle, String> {
        let leaf_der = raw(&bundle["cert"])
            .and_then(|pem| pem_to_der(&pem))
            .ok_or(
                "its `cert` is not a base64 PEM certificate (a key-signed bundle is not keyless)",
            )?;
        let leaf = Certificate::from_der(&leaf_der).map_err(|e| format!("its certificate: {e}"))?;
        let rekor = &bundle["rekorBundle"];
        let payload = &rekor["Payload"];
        let log_entry = LogEntry {
            log_id: text(&payload["logID"])
                .and_then(unhex)
                .ok_or("its `rekorBundle` has no hex `Payload.logID`")?,
            log_index: payload["logIndex"]
                .as_i64()
                .ok_or("its `rekorBundle` has no `Payload.logIndex`")?,
            body: raw(&payload["body"]).ok_or("its `rekorBundle` has no base64 `Payload.body`")?,
            promise: raw(&rekor["SignedEntryTimestamp"])
                .ok_or("it has no `rekorBundle.SignedEntryTimestamp`, needed offline")?,
        };
        Ok(Bundle {
            leaf,
            leaf_der,
            signature: raw(&bundle["base64Signature"]).ok_or("no base64 `base64Signature`")?,
            digest: None,
            integrated_time: payload["integratedTime"]
                .as_i64()
                .ok_or("its `rekorBundle` has no `Payload.integratedTime`")?,
            log_entry,
        })
    }

    /// The identity and issuer the certificate names.
    fn claims(&self) -> anyhow::Result<(String, String)> {
        let extensions = self
            .leaf
            .tbs_certificate
            .extensions
            .as_deref()
            .unwrap_or_default();
        let identity = extensions
            .iter()
            .filter(|e| e.extn_id == SUBJECT_ALT_NAME)
            .filter_map(|e| SubjectAltName::from_der(e.extn_value.as_bytes()).ok())
            .flat_map(|names| names.0)
            .find_map(|name| match name {
                GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
                GeneralName::Rfc822Name(mail) => Some(mail.to_string()),
                _ => None,
            })
            .ok_or_else(|| anyhow::anyhow!("its certificate names no identity"))?;
        let issuer = extensions
            .iter()
            .find_map(|e| match e.extn_id {
                id if id == ISSUER_V2 => Utf8StringRef::from_der(e.extn_value.as_bytes())
                    .ok()
                    .map(|s| s.as_str().to_string()),
                id if id == ISSUER_V1 => String::from_utf8(e.extn_value.as_bytes().to_vec()).ok(),
                _ => None,
            })
            .ok_or_else(|| anyhow::anyhow!("its certificate names no OIDC issuer"))?;
        Ok((identity, issuer))
    }
}

/// Who a bundle beside `path` says signed it (unverified): `identity (issuer …)`.
pub fn claimed_by(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(bundle_path(path)).ok()?;
    let (identity, issuer) = Bundle::parse(&text).ok()?.claims().ok()?;
    Some(format!("{identity} (issuer {issuer})"))
}

/// Whether `certificate` (whose DER is `der`, as received) was signed by `issuer`'s key.
fn verify_certificate(certificate: &Certificate, der: &[u8], issuer: &Certificate) -> bool {
    let Some(tbs) = first_element(der) else {
        return false;
    };
    let Some(signature) = certificate.signature.as_bytes() else {
        return false;
    };
    let hash = certificate.signature_algorithm.oid;
    verify_with(
        &issuer.tbs_certificate.subject_public_key_info,
        Some(hash),
        tbs,
        signature,
    )
}

/// Verifies `signature` over `message` with `key` (ECDSA P-256/P-384 or Ed25519). The
/// hash is the signature algorithm's when given, else the curve's own (SHA-256 for P-256,
/// SHA-384 for P-384).
fn verify_with(
    key: &SubjectPublicKeyInfoOwned,
    signature_algorithm: Option<ObjectIdentifier>,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Some(point) = key.subject_public_key.as_bytes() else {
        return false;
    };
    let curve = key
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    let hashed_with = |wanted| signature_algorithm.is_none_or(|h| h == wanted);
    let ec = key.algorithm.oid == EC_PUBLIC_KEY;
    let algorithm: &dyn VerificationAlgorithm = if key.algorithm.oid == ED25519 {
        &alg::ED25519
    } else if ec && curve == Some(P256) && hashed_with(ECDSA_SHA256) {
        &alg::ECDSA_P256_SHA256_ASN1
    } else if ec && curve == Some(P256) && signature_algorithm == Some(ECDSA_SHA384) {
        &alg::ECDSA_P256_SHA384_ASN1
    } else if ec && curve == Some(P384) && hashed_with(ECDSA_SHA384) {
        &alg::ECDSA_P384_SHA384_ASN1
    } else if ec && curve == Some(P384) && signature_algorithm == Some(ECDSA_SHA256) {
        &alg::ECDSA_P384_SHA256_ASN1
    } else {
        return false;
    };
    UnparsedPublicKey::new(algorithm, point)
        .verify(message, signature)
        .is_ok()
}

/// The first element (tag, length and content) inside the DER SEQUENCE `der`: a
/// certificate's `tbsCertificate`, byte for byte as it was signed.
fn first_element(der: &[u8]) -> Option<&[u8]> {
    /// The header length and content length of the TLV at the start of `bytes`.
    fn header(bytes: &[u8]) -> Option<(usize, usize)> {
        let first = *bytes.get(1)?;
        if first < 0x80 {
            return Some((2, usize::from(first)));
        }
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let length = bytes
            .get(2..2 + count)?
            .iter()
            .fold(0usize, |n, b| (n << 8) | usize::from(*b));
        Some((2 + count, length))
    }
    if der.first() != Some(&0x30) {
        return None;
    }
    let (outer, _) = header(der)?;
    let inner = der.get(outer..)?;
    let (head, length) = header(inner)?;
    inner.get(..head.checked_add(length)?)
}

fn window(valid_for: &Value) -> Result<Window, String> {
    let at = |v: &Value| -> Result<Option<i64>, String> {
        match v.as_str() {
            None => Ok(None),
            Some(text) => outrig_api::time::parse_rfc3339_micros(text)
                .map(|micros| Some(micros.div_euclid(1_000_000)))
                .ok_or_else(|| format!("`{text}` is not an RFC 3339 time")),
        }
    };
    Ok(Window(
        at(&valid_for["start"])?.unwrap_or(i64::MIN),
        at(&valid_for["end"])?,
    ))
}

fn array(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

fn text_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn raw(value: &Value) -> Option<Vec<u8>> {
    value.as_str().and_then(unbase64)
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    B64.decode(text.trim()).ok()
}

/// Bytes from lowercase or uppercase hex.
fn unhex(text: &str) -> Option<Vec<u8>> {
    text.len()
        .is_multiple_of(2)
        .then(|| {
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

/// The DER inside a PEM `CERTIFICATE` block, given as bytes.
fn pem_to_der(pem: &[u8]) -> Option<Vec<u8>> {
    outrig_api::pem::certificate_der(std::str::from_utf8(pem).ok()?)
}

/// A real bundle: a wheel signed by a GitHub Actions workflow through the public-good
/// Fulcio and Rekor (2024), against the public-good trust root as the `sigstore` package
/// ships it (`tests/vectors/sigstore`, see its README). Offline.
#[cfg(test)]
mod public_good {
    use super::Keyless;
    use std::path::{Path, PathBuf};

    const IDENTITY: &str =
        "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2";
    const ISSUER: &str = "https://token.actions.githubusercontent.com";

    fn vectors() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/sigstore")
    }

    fn verify(identity: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let dir = vectors();
        Keyless::new(identity, ISSUER, &dir.join("trusted_root.json"))?
            .verify(&dir.join("rfc8785-0.1.2-py3-none-any.whl"), bytes)
    }

    #[test]
    fn a_bundle_from_the_public_good_instance_verifies_offline() {
        let bytes = std::fs::read(vectors().join("rfc8785-0.1.2-py3-none-any.whl")).unwrap();
        verify(IDENTITY, &bytes).unwrap();

        let mut flipped = bytes.clone();
        flipped[100] ^= 1;
        let refused = verify(IDENTITY, &flipped).unwrap_err().to_string();
        assert!(refused.contains("changed after signing"), "{refused}");

        let later = IDENTITY.replace("v0.1.2", "v0.1.3");
        let refused = verify(&later, &bytes).unwrap_err().to_string();
        assert!(
            refused.contains(&format!("signed by {IDENTITY}")),
            "{refused}"
        );
    }
}
