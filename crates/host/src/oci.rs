//! Plugins from OCI registries (`path = "oci://REGISTRY/REPO@sha256:…"`, or `:TAG`), through
//! `oci-client`: pulled with the credentials of the Docker config (`DOCKER_CONFIG`, its
//! `auths` and credential helpers), checked against the manifest's digest, and cached by
//! that digest, so a pinned plugin loads offline once pulled. A cached manifest is used
//! only while its bytes hash to the pinned digest, and the component's layer digest is
//! pinned on the bytes the loader compiles: the cache is never trusted. The artifact is the usual Wasm
//! OCI layout (one `application/wasm` layer), with the component's Sigstore bundle as a
//! second layer when it has one. Grants the author *requests* travel in the manifest's
//! annotations: they are shown, never granted.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use oci_client::client::{ClientConfig, ClientProtocol, Config, ImageLayer};
use oci_client::manifest::{OciDescriptor, OciImageManifest, OCI_IMAGE_MEDIA_TYPE};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use outrig_api::digest::sha256_hex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scheme that marks a plugin path as a registry reference.
pub const SCHEME: &str = "oci://";
/// The layer's media type (the Wasm OCI artifact layout).
pub const WASM_LAYER: &str = "application/wasm";
/// The media type of the optional second layer: the component's Sigstore bundle, cached
/// beside the pulled component where the `signer` check looks for it.
pub const SIGSTORE_BUNDLE_LAYER: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// The config's media type.
pub const WASM_CONFIG: &str = "application/vnd.wasm.config.v0+json";
/// The manifest annotation holding the grants the author requests (TOML, base64: the
/// canonical JSON manifests are written in cannot hold a line break; shown only).
pub const REQUESTED_GRANTS: &str = "dev.outrig.plugin.requested-grants";

/// A plugin's local file: the path given, or the component pulled from a registry.
#[derive(Debug)]
pub struct Local {
    /// The component file.
    pub path: PathBuf,
    /// For a pulled component, the SHA-256 (hex) its bytes must have: the layer digest of
    /// the manifest it was pulled at. The loader pins it, so the bytes compiled are checked,
    /// and a cached copy changed since is refused.
    pub sha256: Option<String>,
}

/// Whether `path` names a registry artifact.
pub fn is_reference(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.starts_with(SCHEME))
}

/// Where pulled components are cached: `oci` inside the compiled-code cache directory
/// (`compiled`, or its default).
pub fn cache_dir(compiled: Option<&Path>) -> PathBuf {
    compiled
        .map(Path::to_path_buf)
        .unwrap_or_else(outrig_sandbox::engine::ToolEngine::default_cache_dir)
        .join("oci")
}

/// The local file of a plugin path: `path` itself, or for an `oci://` reference the
/// component pulled into `cache` (the grants it requests are printed, never applied).
pub async fn local_path(path: &Path, cache: &Path) -> anyhow::Result<Local> {
    if !is_reference(path) {
        return Ok(Local {
            path: path.to_path_buf(),
            sha256: None,
        });
    }
    let reference = path.display().to_string();
    let image = parse(&reference)?;
    let cached = match image.digest() {
        Some(digest) => cached_manifest(cache, digest),
        None => None,
    };
    let (digest, manifest) = match cached {
        Some(found) => found,
        None => pull(&reference, &image, cache).await?,
    };
    let (layer, _) = layers(&reference, &manifest)?;
    if let Some(grants) = requested_grants(&manifest) {
        eprintln!(
            "{reference} requests these grants (not granted: only the grants file grants):\n{}",
            grants.trim_end()
        );
    }
    Ok(Local {
        path: cache_file(cache, &digest, "wasm"),
        sha256: Some(layer.digest.trim_start_matches("sha256:").to_string()),
    })
}

/// A cached manifest of `digest`, if there is one whose bytes still hash to it.
fn cached_manifest(cache: &Path, digest: &str) -> Option<(String, OciImageManifest)> {
    let raw = std::fs::read(cache_file(cache, digest, "manifest.json")).ok()?;
    if format!("sha256:{}", sha256_hex(&raw)) != digest {
        return None;
    }
    Some((digest.to_string(), serde_json::from_slice(&raw).ok()?))
}

/// Pulls the manifest and the component of `image` into `cache`: the manifest checked
/// against the pinned digest, the component against the manifest's layer digest.
async fn pull(
    reference: &str,
    image: &Reference,
    cache: &Path,
) -> anyhow::Result<(String, OciImageManifest)> {
    let cannot = |e: oci_client::errors::OciDistributionError| {
        anyhow::anyhow!("{reference}: cannot pull: {e}")
    };
    let auth = credentials(image)?;
    let client = client(image);
    let (raw, _) = client
        .pull_manifest_raw(image, &auth, &[OCI_IMAGE_MEDIA_TYPE])
        .await
        .map_err(cannot)?;
    let digest = format!("sha256:{}", sha256_hex(&raw));
    if let Some(pinned) = image.digest() {
        anyhow::ensure!(
            pinned == digest,
            "{reference}: the registry served manifest {digest}, not the pinned {pinned}"
        );
    }
    let manifest: OciImageManifest = serde_json::from_slice(&raw)
        .map_err(|e| anyhow::anyhow!("{reference}: not an OCI image manifest: {e}"))?;
    let (layer, bundle) = layers(reference, &manifest)?;
    let pull_checked = async |layer: &OciDescriptor| -> anyhow::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        client
            .pull_blob(image, layer, &mut bytes)
            .await
            .map_err(cannot)?;
        let actual = format!("sha256:{}", sha256_hex(&bytes));
        anyhow::ensure!(
            actual == layer.digest,
            "{reference}: the layer's bytes hash to {actual}, but the manifest says {}",
            layer.digest
        );
        Ok(bytes)
    };
    let component = pull_checked(layer).await?;
    std::fs::create_dir_all(cache)?;
    // The layers first: a manifest in the cache means they are there too.
    let component_file = cache_file(cache, &digest, "wasm");
    if let Some(bundle) = bundle {
        let bytes = pull_checked(bundle).await?;
        write_atomically(
            &outrig_sandbox::sigstore::bundle_path(&component_file),
            &bytes,
        )?;
    }
    write_atomically(&component_file, &component)?;
    write_atomically(&cache_file(cache, &digest, "manifest.json"), &raw)?;
    if image.digest().is_none() {
        eprintln!("{reference} resolved to {digest} (pin it: @{digest})");
    }
    Ok((digest, manifest))
}

/// The manifest's one `application/wasm` layer, and its Sigstore bundle layer if any.
fn layers<'m>(
    reference: &str,
    manifest: &'m OciImageManifest,
) -> anyhow::Result<(&'m OciDescriptor, Option<&'m OciDescriptor>)> {
    match manifest.layers.as_slice() {
        [layer] if layer.media_type == WASM_LAYER => Ok((layer, None)),
        [layer, bundle]
            if layer.media_type == WASM_LAYER && bundle.media_type == SIGSTORE_BUNDLE_LAYER =>
        {
            Ok((layer, Some(bundle)))
        }
        layers => anyhow::bail!(
            "{reference}: an Outrig plugin artifact has one `{WASM_LAYER}` layer (and maybe a `{SIGSTORE_BUNDLE_LAYER}` one), this one has {} layer(s) of other types",
            layers.len()
        ),
    }
}

/// The grants the artifact requests (the annotation, decoded), if any.
fn requested_grants(manifest: &OciImageManifest) -> Option<String> {
    let encoded = manifest.annotations.as_ref()?.get(REQUESTED_GRANTS)?;
    let decoded = BASE64.decode(encoded.as_bytes()).ok()?;
    Some(String::from_utf8_lossy(&decoded).into_owned())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = path.with_extension(format!("part{}", std::process::id()));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// Pushes `component` to `oci://REGISTRY/REPO:TAG`, with its Sigstore bundle as a second
/// layer when given and the grants it requests (TOML) as an annotation; returns the
/// manifest digest.
pub async fn push(
    component: &[u8],
    sigstore_bundle: Option<&[u8]>,
    reference: &str,
    requested_grants: Option<&str>,
) -> anyhow::Result<String> {
    let image = parse(reference)?;
    let mut layers = vec![ImageLayer::new(component.to_vec(), WASM_LAYER.into(), None)];
    if let Some(bundle) = sigstore_bundle {
        layers.push(ImageLayer::new(
            bundle.to_vec(),
            SIGSTORE_BUNDLE_LAYER.into(),
            None,
        ));
    }
    let config = Config::new(b"{}".to_vec(), WASM_CONFIG.into(), None);
    let annotations = requested_grants
        .map(|grants| BTreeMap::from([(REQUESTED_GRANTS.to_string(), BASE64.encode(grants))]));
    let mut manifest = OciImageManifest::build(&layers, &config, annotations);
    // Registries (distribution 2.x) refuse an OCI manifest that does not say it is one.
    manifest.media_type = Some(OCI_IMAGE_MEDIA_TYPE.to_string());
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

/// The cache file of a manifest digest, by extension (`wasm`, `manifest.json`).
fn cache_file(cache: &Path, digest: &str, extension: &str) -> PathBuf {
    cache.join(format!("{}.{extension}", digest.replace(':', "-")))
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
