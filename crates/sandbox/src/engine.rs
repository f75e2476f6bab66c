//! The wasmtime engine: pooling allocator, epoch interruption driven by a 1 ms ticker (each
//! tick lets a running plugin yield to the async runtime, and stops it past its deadline),
//! and a cache of precompiled components keyed by content hash and engine compatibility.
//!
//! A cached artifact is native code, so whoever could write the cache could otherwise run
//! code in the host. Each artifact is therefore bound, by an HMAC-SHA256 under a key kept
//! outside the cache ([`cache_key`]), to the SHA-256 of the component it came from and to
//! this engine's compatibility hash; one that does not verify is refused and recompiled,
//! and only the verified bytes (not the file again) are loaded. The cache directory is
//! created `0700`; one that group or others may write is not used at all.

use sha2::Sha256;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::Component;
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, UpdateDeadline,
};

use crate::sandbox::CallState;
use crate::signature::Signer;

/// How often a running plugin yields and its deadline is checked.
pub const TICK: Duration = Duration::from_millis(1);

fn tick_time(ticks: u64) -> Duration {
    Duration::from_nanos((TICK.as_nanos() as u64).saturating_mul(ticks))
}

/// Whole ticks between `start` and now.
fn ticks_since(start: Instant) -> u64 {
    (start.elapsed().as_nanos() / TICK.as_nanos()) as u64
}

/// The shared engine. Dropping it stops the ticker.
pub struct ToolEngine {
    /// The wasmtime engine.
    pub engine: Engine,
    /// `None` when the directory is unsafe (others may write it): every load compiles.
    cache_dir: Option<PathBuf>,
    /// The key binding each cached artifact to its component and this engine.
    cache_key: [u8; 32],
    stop: Arc<AtomicBool>,
}

impl ToolEngine {
    /// An engine caching precompiled plugins in `cache_dir`.
    pub fn new(cache_dir: PathBuf) -> anyhow::Result<Self> {
        let mut pooling = PoolingAllocationConfig::default();
        pooling
            .total_component_instances(512)
            .total_core_instances(4096)
            .total_memories(1024)
            .total_tables(4096)
            .max_core_instances_per_component(64)
            .max_memories_per_component(8)
            .max_tables_per_component(64)
            .table_elements(200_000)
            .max_memory_size(1 << 30)
            // Reset a reused slot by restoring only the pages the call dirtied (Linux
            // PAGEMAP_SCAN), keeping them mapped: no page faults and no madvise per call.
            .pagemap_scan(wasmtime::Enabled::Auto)
            .linear_memory_keep_resident(2 << 20)
            .table_keep_resident(64 << 10);
        let mut config = Config::new();
        config
            .wasm_component_model(true)
            .epoch_interruption(true)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
        let engine = Engine::new(&config)?;
        let stop = Arc::new(AtomicBool::new(false));
        let start = Instant::now();
        let (ticker, stopped) = (engine.clone(), stop.clone());
        std::thread::Builder::new()
            .name("outrig-epoch".into())
            .spawn(move || {
                // The epoch counts whole ticks since the start, so oversleeping (each
                // sleep overshoots by tens of µs) never accumulates into a late deadline.
                let mut ticks: u64 = 0;
                while !stopped.load(Ordering::Relaxed) {
                    let next = start + tick_time(ticks + 1);
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    while ticks < ticks_since(start) {
                        ticker.increment_epoch();
                        ticks += 1;
                    }
                }
            })?;
        let cache_key = cache_key(&default_cache_key_path())?;
        Ok(ToolEngine {
            engine,
            cache_dir: usable_cache_dir(cache_dir),
            cache_key,
            stop,
        })
    }

    /// A store for one call that may run until `deadline`. At every tick the plugin yields
    /// to the async runtime (so other calls and timers run) and, once the deadline has
    /// passed by the clock, is stopped with `Trap::Interrupt`: a call is never stopped
    /// before its limit, however late the ticker runs. A plugin parked in a host call is
    /// stopped by the caller dropping the call's future at the same deadline.
    pub fn store(&self, state: CallState, deadline: Instant) -> Store<CallState> {
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.limits);
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |_| {
            Ok(if Instant::now() >= deadline {
                UpdateDeadline::Interrupt
            } else {
                UpdateDeadline::Yield(1)
            })
        });
        store
    }

    /// The default cache directory, `~/.cache/outrig/plugins`.
    pub fn default_cache_dir() -> PathBuf {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir)
            .join("outrig/plugins")
    }

    /// Loads a component, compiling it (on a blocking thread) only if no compatible
    /// precompiled copy is cached. The bytes must first hash to `pin` (hex SHA-256) and
    /// carry `signer`'s signature, when given: nothing else is ever compiled. Returns it
    /// with the hex SHA-256 of the file and whether the cache was used.
    pub async fn load(
        &self,
        path: &Path,
        signer: Option<Signer>,
        pin: Option<String>,
    ) -> anyhow::Result<(Component, String, bool)> {
        let (engine, cache_dir, key, path) = (
            self.engine.clone(),
            self.cache_dir.clone(),
            self.cache_key,
            path.to_path_buf(),
        );
        tokio::task::spawn_blocking(move || {
            let bytes = std::fs::read(&path)
                .map_err(|e| anyhow::anyhow!("cannot read plugin {}: {e}", path.display()))?;
            // The very bytes compiled below: a file swapped after this check is never used.
            let sha256 = outrig_api::digest::sha256_hex(&bytes);
            if let Some(pin) = pin {
                anyhow::ensure!(
                    pin.eq_ignore_ascii_case(&sha256),
                    "{}: SHA-256 is {sha256}, but it is pinned to {pin}",
                    path.display()
                );
            }
            if let Some(signer) = signer {
                signer.verify(&path, &bytes)?;
            }
            load_cached(&engine, cache_dir.as_deref(), &key, &path, &bytes, sha256)
        })
        .await?
    }
}

fn load_cached(
    engine: &Engine,
    cache_dir: Option<&Path>,
    key: &[u8; 32],
    path: &Path,
    bytes: &[u8],
    sha: String,
) -> anyhow::Result<(Component, String, bool)> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let engine_hash = format!("{:016x}", hasher.finish());
    let compile = || {
        engine
            .precompile_component(bytes)
            .map_err(|e| anyhow::anyhow!("{} is not a valid component: {e:#}", path.display()))
    };
    let Some(cache_dir) = cache_dir else {
        return Ok((Component::new(engine, bytes)?, sha, false));
    };
    let cached = cache_dir.join(format!("{sha}-{engine_hash}.cwasm"));
    let tag = |artifact: &[u8]| artifact_tag(key, &sha, &engine_hash, artifact);
    let verified = read_verified(&cached, &tag);
    let (artifact, hit) = match verified {
        Some(artifact) => (artifact, true),
        None => {
            let artifact = compile()?;
            let mut sealed = tag(&artifact).to_vec();
            sealed.extend_from_slice(&artifact);
            let partial = cached.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&partial, &sealed)?;
            std::fs::rename(&partial, &cached)?;
            (artifact, false)
        }
    };
    // SAFETY: `artifact` is in memory (the file is not read again), and it was either just
    // made by `precompile_component` of this engine or carries a tag, under a key the
    // cache's writers do not have, over this component's hash, this engine's
    // compatibility hash and these very bytes: it was made by this host for this engine.
    let component = unsafe { Component::deserialize(engine, &artifact)? };
    Ok((component, sha, hit))
}

/// The artifact in `cached` (after its 32-byte tag), if the tag verifies. A missing file
/// is a miss; a file whose tag does not verify is refused, said, and recompiled over.
fn read_verified(cached: &Path, tag: &dyn Fn(&[u8]) -> [u8; 32]) -> Option<Vec<u8>> {
    let mut sealed = std::fs::read(cached).ok()?;
    if sealed.len() > 32 {
        let artifact = sealed.split_off(32);
        let expected = tag(&artifact);
        // Constant time: the tag must not be guessable byte by byte.
        if outrig_api::request::constant_time_eq(&expected, &sealed) {
            return Some(artifact);
        }
    }
    tracing::warn!(
        "refused the cached artifact {}: it was not made by this host for this component \
         and engine (tampered, substituted or from another key); recompiling",
        cached.display()
    );
    None
}

/// HMAC-SHA256 under `key` of the component's hash, the engine's hash and the artifact.
fn artifact_tag(
    key: &[u8; 32],
    component_sha: &str,
    engine_hash: &str,
    artifact: &[u8],
) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(component_sha.as_bytes());
    mac.update(b"\0");
    mac.update(engine_hash.as_bytes());
    mac.update(b"\0");
    mac.update(artifact);
    mac.finalize().into_bytes().into()
}

/// Creates `dir` (`0700`) and returns it, or `None` (compile every time, with a warning)
/// when it cannot be made or when group or others may write it.
fn usable_cache_dir(dir: PathBuf) -> Option<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let made = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir);
    let mode = made
        .and_then(|()| std::fs::metadata(&dir))
        .map(|m| m.permissions().mode());
    match mode {
        Ok(mode) if mode & 0o022 == 0 => Some(dir),
        Ok(mode) => {
            tracing::warn!(
                "not using the compile cache {}: its mode {:o} lets others write it",
                dir.display(),
                mode & 0o777
            );
            None
        }
        Err(error) => {
            tracing::warn!("not using the compile cache {}: {error}", dir.display());
            None
        }
    }
}

/// Where the cache key lives: `$XDG_DATA_HOME/outrig/compile-cache.key` (or under
/// `~/.local/share`), outside the cache it protects.
pub fn default_cache_key_path() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir)
        .join("outrig/compile-cache.key")
}

/// The 32-byte cache key at `path`, made (random, `0600`) on first use. Several hosts
/// starting at once agree on one key: it is written aside and linked into place.
pub fn cache_key(path: &Path) -> anyhow::Result<[u8; 32]> {
    use std::os::unix::fs::OpenOptionsExt;
    let read = |path: &Path| -> anyhow::Result<Option<[u8; 32]>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes.try_into().map_err(|_| {
                anyhow::anyhow!("the compile cache key {} is not 32 bytes", path.display())
            })?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(anyhow::anyhow!(
                "cannot read the compile cache key {}: {e}",
                path.display()
            )),
        }
    };
    if let Some(key) = read(path)? {
        return Ok(key);
    }
    let made = (|| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let key: [u8; 32] = rand::random();
        let aside = path.with_extension(format!("tmp{}", std::process::id()));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&aside)?;
        std::io::Write::write_all(&mut file, &key)?;
        file.sync_all()?;
        let linked = std::fs::hard_link(&aside, path);
        std::fs::remove_file(&aside)?;
        match linked {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(()),
        }
    })();
    made.map_err(|e| anyhow::anyhow!("cannot make the compile cache key {}: {e}", path.display()))?;
    read(path)?.ok_or_else(|| anyhow::anyhow!("the compile cache key {} vanished", path.display()))
}

impl Drop for ToolEngine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
