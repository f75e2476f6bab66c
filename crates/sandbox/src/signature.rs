//! Signed plugins (the WebAssembly signature format, through `wasmsign2`): an author signs a
//! component with an Ed25519 key; the operator names the public key as the entry's
//! `signer`, and the host verifies, offline and before compiling, the very bytes it then
//! compiles. The signature is embedded in the component (a custom section first), or
//! detached in `NAME.wasm.sig` beside it. A Sigstore keyless signature ([`crate::sigstore`])
//! is the other kind an operator may require.

use crate::grants::SignerConfig;
use crate::sigstore::Keyless;
use std::path::{Path, PathBuf};
use wasmsign2::{KeyPair, Module, PublicKey, SecretKey, WSError};

/// What the operator requires of one plugin's signature.
#[derive(Debug, Clone)]
pub enum Signer {
    /// An Ed25519 key's signature (embedded, or `PATH.sig`).
    Key(KeySigner),
    /// A Sigstore keyless signature by a pinned identity (`PATH.sigstore.json`).
    Keyless(Keyless),
}

impl Signer {
    /// The signer an entry's `signer` names.
    pub fn from_config(config: &SignerConfig) -> anyhow::Result<Signer> {
        Ok(match config {
            SignerConfig::Key(file) => Signer::Key(KeySigner::from_file(file)?),
            SignerConfig::Keyless {
                identity,
                issuer,
                trust_root,
            } => Signer::Keyless(Keyless::new(identity, issuer, trust_root)?),
        })
    }

    /// Checks `bytes` (the component read from `path`); `Err` says why it fails.
    pub fn verify(&self, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Signer::Key(key) => key.verify(path, bytes),
            Signer::Keyless(keyless) => keyless.verify(path, bytes),
        }
    }
}

/// The operator's trusted key for one plugin.
#[derive(Debug, Clone)]
pub struct KeySigner {
    key: PublicKey,
    file: PathBuf,
}

impl KeySigner {
    /// Reads a public key: PEM, DER, raw or OpenSSH (`ssh-ed25519 …`).
    pub fn from_file(file: &Path) -> anyhow::Result<KeySigner> {
        let key = PublicKey::from_any_file(file).map_err(|e| {
            anyhow::anyhow!("signer {}: not an Ed25519 public key ({e})", file.display())
        })?;
        Ok(KeySigner {
            key,
            file: file.to_path_buf(),
        })
    }

    /// Checks `bytes` (the component read from `path`) against this key, with the detached
    /// signature `path.sig` when the component has none embedded. `Err` says why it fails.
    pub fn verify(&self, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        let shown = path.display();
        let signer = format!("{} (key {})", self.file.display(), key_id_hex(&self.key));
        let embedded = self.key.verify(&mut &bytes[..], None);
        let outcome = match embedded {
            Err(WSError::NoSignatures) => match std::fs::read(detached_path(path)) {
                Ok(detached) => self.key.verify(&mut &bytes[..], Some(&detached)),
                Err(_) => anyhow::bail!(
                    "{shown}: not signed (no embedded signature, no {} beside it), but the grants file requires a signature by {signer}",
                    detached_path(path).display()
                ),
            },
            other => other,
        };
        outcome.map_err(|e| match e {
            WSError::VerificationFailed | WSError::VerificationFailedForPredicates => {
                anyhow::anyhow!(
                    "{shown}: its signature is not by {signer}, or the component was changed after signing"
                )
            }
            other => anyhow::anyhow!("{shown}: its signature cannot be read ({other})"),
        })
    }
}

/// A key's id, stored with each signature it makes: the first 8 bytes of the SHA-256 of
/// the raw public key, shown in hex by `keygen`, `sign` and `inspect`.
fn key_id(key: &PublicKey) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(key.to_bytes())[..8].to_vec()
}

fn key_id_hex(key: &PublicKey) -> String {
    hex(&key_id(key))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a detached signature of `component` is looked for: `component.sig`.
pub fn detached_path(component: &Path) -> PathBuf {
    let mut name = component.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

/// Writes a new key pair: the secret key to `secret` (PEM, mode 0600) and the public key to
/// `public` (PEM). Returns the key's id (hex).
pub fn generate_key_pair(secret: &Path, public: &Path) -> anyhow::Result<String> {
    let pair = KeyPair::generate();
    write_private(secret, pair.sk.to_pem().as_bytes())?;
    std::fs::write(public, pair.pk.to_pem())
        .map_err(|e| anyhow::anyhow!("{}: {e}", public.display()))?;
    Ok(key_id_hex(&pair.pk))
}

/// Signs `component` with the secret key in `secret`: the signed component, or with
/// `detached`, the component unchanged and the signature to write beside it.
pub fn sign(component: &[u8], secret: &Path, detached: bool) -> anyhow::Result<Vec<u8>> {
    let key = SecretKey::from_any_file(secret)
        .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 secret key ({e})", secret.display()))?;
    let module = Module::deserialize(&mut &component[..])
        .map_err(|e| anyhow::anyhow!("not a WebAssembly component or module ({e})"))?;
    let public = PublicKey {
        pk: key.sk.public_key(),
        key_id: None,
    };
    let signed = key.sign(module, Some(&key_id(&public)))?;
    if detached {
        let (_, signature) = signed.detach_signature()?;
        return Ok(signature);
    }
    let mut out = Vec::new();
    signed.serialize(&mut out)?;
    Ok(out)
}

/// Who signed the component at `path`: the key ids (hex) of its embedded signature, or of
/// the detached one beside it, and which of the two; `None` when it is not signed.
pub fn signed_by(path: &Path, component: &[u8]) -> Option<(Vec<String>, &'static str)> {
    let embedded = Module::deserialize(&mut &component[..])
        .ok()
        .and_then(|module| module.detach_signature().ok())
        .map(|(_, signature)| (signature, "embedded"));
    let (signature, place) = embedded.or_else(|| {
        let detached = std::fs::read(detached_path(path)).ok()?;
        Some((detached, "detached"))
    })?;
    let info = wasmsign2::signature_info_from_detached(&signature).ok()?;
    let mut ids: Vec<String> = info.key_ids().iter().map(|id| hex(id)).collect();
    ids.extend((ids.len()..info.signature_count()).map(|_| "(no key id)".to_string()));
    Some((ids, place))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}
