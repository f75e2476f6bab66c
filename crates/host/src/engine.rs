//! The wasmtime engine: pooling allocator, epoch interruption driven by a 1 ms ticker (each
//! tick lets a running plugin yield to the async runtime, and stops it past its deadline),
//! and a cache of precompiled components keyed by content hash and engine compatibility.

use sha2::{Digest, Sha256};
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
    cache_dir: PathBuf,
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
        std::fs::create_dir_all(&cache_dir)?;
        Ok(ToolEngine {
            engine,
            cache_dir,
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
    /// precompiled copy is cached. Returns it with the hex SHA-256 of the file and whether
    /// the cache was used.
    pub async fn load(&self, path: &Path) -> anyhow::Result<(Component, String, bool)> {
        let (engine, cache_dir, path) = (
            self.engine.clone(),
            self.cache_dir.clone(),
            path.to_path_buf(),
        );
        tokio::task::spawn_blocking(move || load_cached(&engine, &cache_dir, &path)).await?
    }
}

fn load_cached(
    engine: &Engine,
    cache_dir: &Path,
    path: &Path,
) -> anyhow::Result<(Component, String, bool)> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("cannot read plugin {}: {e}", path.display()))?;
    let sha = hex(&Sha256::digest(&bytes));
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let cached = cache_dir.join(format!("{sha}-{:016x}.cwasm", hasher.finish()));
    let hit = cached.is_file();
    if !hit {
        let compiled = engine
            .precompile_component(&bytes)
            .map_err(|e| anyhow::anyhow!("{} is not a valid component: {e:#}", path.display()))?;
        let partial = cached.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&partial, compiled)?;
        std::fs::rename(&partial, &cached)?;
    }
    // SAFETY: the file was written by `precompile_component` of an engine with the same
    // compatibility hash (it is in the name), into a cache directory only we write.
    let component = unsafe { Component::deserialize_file(engine, &cached)? };
    Ok((component, sha, hit))
}

impl Drop for ToolEngine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
