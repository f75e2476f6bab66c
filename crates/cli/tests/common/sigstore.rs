//! A Sigstore trust root made here, for the keyless signing tests: a P-384 CA standing for
//! Fulcio, a P-256 key standing for Rekor's, short-lived certificates naming a workflow
//! identity and its OIDC issuer (Fulcio's extension), bundles as `cosign sign-blob
//! --bundle` writes them.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CustomExtension, DnType, IsCa, Issuer,
    KeyPair, PublicKeyData, SanType, SigningKey,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const IDENTITY: &str =
    "https://github.com/outrig-dev/plugins/.github/workflows/release.yml@refs/tags/v1.0.0";
pub const ISSUER: &str = "https://token.actions.githubusercontent.com";
/// 2026-01-01T12:00:00Z, inside the certificate's day.
pub const SIGNED_AT: i64 = 1_767_268_800;

/// A CA standing for Fulcio, and a key standing for Rekor's.
pub struct Authority {
    ca_key: KeyPair,
    ca_params: CertificateParams,
    ca_der: Vec<u8>,
    log_key: KeyPair,
}

impl Authority {
    pub fn new() -> Authority {
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

    pub fn log_id(&self) -> Vec<u8> {
        Sha256::digest(self.log_key.subject_public_key_info()).to_vec()
    }

    /// `trusted_root.json` listing this CA and log.
    pub fn trust_root(&self) -> Value {
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
pub struct Signing<'a> {
    pub ca: &'a Authority,
    pub log: &'a Authority,
    pub identity: &'a str,
    pub issuer: &'a str,
    pub signed_at: i64,
    /// The log entry records these bytes' digest instead.
    pub logged_bytes: Option<&'a [u8]>,
}

impl<'a> Signing<'a> {
    pub fn honest(authority: &'a Authority) -> Signing<'a> {
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
    pub fn bundle(&self, component: &[u8]) -> Value {
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

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
