//! Plugins from OCI registries (`path = "oci://REGISTRY/REPO@sha256:…"`, or `:TAG`), through
//! `oci-client`: pulled with the credentials of the Docker config (`DOCKER_CONFIG`, its
//! `auths` and credential helpers), checked against the manifest's digest, and cached by
//! that digest, so a pinned plugin loads offline once pulled. The artifact is the usual Wasm
//! OCI layout (one `application/wasm` layer). Grants the author *requests* travel in the
//! manifest's annotations: they are shown, never granted.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use oci_client::client::{ClientConfig, ClientProtocol, Config, ImageLayer};
use oci_client::manifest::OciImageManifest;
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use outrig_api::digest::sha256_hex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scheme that marks a plugin path as a registry reference.
pub const SCHEME: &str = "oci://";
/// The layer's media type (the Wasm OCI artifact layout).
pub const WASM_LAYER: &str = "application/wasm";
/// The config's media type.
pub const WASM_CONFIG: &str = "application/vnd.wasm.config.v0+json";
/// The manifest annotation holding the grants the author requests (TOML, base64: the
/// canonical JSON manifests are written in cannot hold a line break; shown only).
pub const REQUESTED_GRANTS: &str = "dev.outrig.plugin.requested-grants";

/// A plugin fetched from a registry.
#[derive(Debug)]
pub struct Pulled {
    /// The component in the local cache.
    pub path: PathBuf,
    /// The manifest digest it was pulled at (`sha256:…`).
    pub digest: String,
    /// The grants the artifact requests, if any (never applied).
    pub requested_grants: Option<String>,
}

/// Whether `path` names a registry artifact.
pub fn is_reference(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.starts_with(SCHEME))
}

/// The local file of a plugin path: `path` itself, or for an `oci://` reference the
/// component pulled into `cache` (the grants it requests are printed, never applied).
pub async fn local_path(path: &Path, cache: &Path) -> anyhow::Result<PathBuf> {
    if !is_reference(path) {
        return Ok(path.to_path_buf());
    }
    let reference = path.display().to_string();
    let pulled = pull(&reference, cache).await?;
    if let Some(grants) = &pulled.requested_grants {
        eprintln!(
            "{reference} requests these grants (not granted: only the grants file grants):\n{}",
            grants.trim_end()
        );
    }
    Ok(pulled.path)
}

/// Pulls `oci://…` into `cache` (or finds it there, when pinned by digest).
pub async fn pull(reference: &str, cache: &Path) -> anyhow::Result<Pulled> {
    let image = parse(reference)?;
    if let Some(digest) = image.digest() {
        let cached = cached_path(cache, digest);
        if cached.is_file() {
            return Ok(Pulled {
                requested_grants: std::fs::read_to_string(cached.with_extension("grants.toml"))
                    .ok(),
                path: cached,
                digest: digest.to_string(),
            });
        }
    }
    let auth = credentials(&image)?;
    let data = client(&image)
        .pull(&image, &auth, vec![WASM_LAYER])
        .await
        .map_err(|e| anyhow::anyhow!("{reference}: cannot pull: {e}"))?;
    let digest = data
        .digest
        .ok_or_else(|| anyhow::anyhow!("{reference}: the registry gave no manifest digest"))?;
    if let Some(pinned) = image.digest() {
        anyhow::ensure!(
            pinned == digest,
            "{reference}: the registry served manifest {digest}, not the pinned {pinned}"
        );
    }
    let [layer] = data.layers.as_slice() else {
        anyhow::bail!(
            "{reference}: an Outrig plugin artifact has one `{WASM_LAYER}` layer, this one has {}",
            data.layers.len()
        );
    };
    let expected = data
        .manifest
        .as_ref()
        .and_then(|m| m.layers.first())
        .map(|l| l.digest.clone())
        .unwrap_or_default();
    let actual = format!("sha256:{}", sha256_hex(&layer.data));
    anyhow::ensure!(
        actual == expected,
        "{reference}: the layer's bytes hash to {actual}, but the manifest says {expected}"
    );
    let requested_grants = data
        .manifest
        .and_then(|m| m.annotations)
        .and_then(|a| a.get(REQUESTED_GRANTS).cloned())
        .map(|encoded| {
            let decoded = BASE64.decode(encoded.as_bytes()).unwrap_or_default();
            String::from_utf8_lossy(&decoded).into_owned()
        });
    std::fs::create_dir_all(cache)?;
    let path = cached_path(cache, &digest);
    let partial = path.with_extension(format!("part{}", std::process::id()));
    std::fs::write(&partial, &layer.data)?;
    if let Some(grants) = &requested_grants {
        std::fs::write(path.with_extension("grants.toml"), grants)?;
    }
    std::fs::rename(&partial, &path)?;
    if image.digest().is_none() {
        eprintln!("{reference} resolved to {digest} (pin it: @{digest})");
    }
    Ok(Pulled {
        path,
        digest,
        requested_grants,
    })
}

/// Pushes `component` to `oci://REGISTRY/REPO:TAG`, with the grants it requests (TOML)
/// as an annotation; returns the manifest digest.
pub async fn push(
    component: &[u8],
    reference: &str,
    requested_grants: Option<&str>,
) -> anyhow::Result<String> {
    let image = parse(reference)?;
    let layers = [ImageLayer::new(component.to_vec(), WASM_LAYER.into(), None)];
    let config = Config::new(b"{}".to_vec(), WASM_CONFIG.into(), None);
    let annotations = requested_grants
        .map(|grants| BTreeMap::from([(REQUESTED_GRANTS.to_string(), BASE64.encode(grants))]));
    let mut manifest = OciImageManifest::build(&layers, &config, annotations);
    // Registries (distribution 2.x) refuse an OCI manifest that does not say it is one.
    manifest.media_type = Some(oci_client::manifest::OCI_IMAGE_MEDIA_TYPE.to_string());
    let auth = credentials(&image)?;
    let client = client(&image);
    client
        .push(&image, &layers, config, &auth, Some(manifest))
        .await
        .map_err(|e| anyhow::anyhow!("{reference}: cannot push: {e}"))?;
    let digest = client
        .fetch_manifest_digest(&image, &auth)
        .await
        .map_err(|e| anyhow::anyhow!("{reference}: pushed, but cannot read its digest: {e}"))?;
    Ok(digest)
}

fn parse(reference: &str) -> anyhow::Result<Reference> {
    let rest = reference
        .strip_prefix(SCHEME)
        .ok_or_else(|| anyhow::anyhow!("`{reference}` must start with {SCHEME}"))?;
    rest.parse()
        .map_err(|e| anyhow::anyhow!("`{reference}` is not a registry reference: {e}"))
}

/// The cache file of a manifest digest.
fn cached_path(cache: &Path, digest: &str) -> PathBuf {
    cache.join(format!("{}.wasm", digest.replace(':', "-")))
}

/// Plain HTTP only for a registry on this machine (as Docker does); HTTPS elsewhere.
fn client(image: &Reference) -> Client {
    // reqwest is built without a TLS provider of its own: use ring, as the rest of Outrig.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let host = image.resolve_registry();
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let local = matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    let protocol = if local {
        ClientProtocol::HttpsExcept(vec![host.to_string()])
    } else {
        ClientProtocol::Https
    };
    Client::new(ClientConfig {
        protocol,
        ..Default::default()
    })
}

/// The Docker config's credentials for the image's registry; anonymous without any.
fn credentials(image: &Reference) -> anyhow::Result<RegistryAuth> {
    use docker_credential::{CredentialRetrievalError as Missing, DockerCredential};
    match docker_credential::get_credential(image.resolve_registry()) {
        Ok(DockerCredential::UsernamePassword(user, password)) => {
            Ok(RegistryAuth::Basic(user, password))
        }
        Ok(DockerCredential::IdentityToken(token)) => Ok(RegistryAuth::Bearer(token)),
        Err(Missing::ConfigNotFound | Missing::NoCredentialConfigured) => {
            Ok(RegistryAuth::Anonymous)
        }
        // Never the helper's output: it may hold the secret.
        Err(Missing::HelperFailure { helper, .. }) => Err(anyhow::anyhow!(
            "{}: the Docker credential helper `{helper}` failed",
            image.resolve_registry()
        )),
        Err(error) => Err(anyhow::anyhow!(
            "{}: cannot read the Docker credentials: {error}",
            image.resolve_registry()
        )),
    }
}
