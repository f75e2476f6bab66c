//! Tools that misbehave on purpose. Each must become an `is_error` result within the
//! host's limits, while the host keeps serving other calls. Never load this in production.
//! Built against the frozen `outrig:tool@0.1.0`, so it also shows that version still loads.

wit_bindgen::generate!({ path: "../../wit/0.1.0", world: "plugin" });

use exports::outrig::tool::tool::Guest;
use outrig::tool::types::{Content, Hints, ToolError, ToolSpec};

struct Hostile;

const TOOLS: &[(&str, &str)] = &[
    ("spin", "loops forever"),
    ("allocate", "allocates until memory runs out"),
    ("recurse", "recurses until the stack overflows"),
    ("flood", "returns 100 MB of text"),
    ("panic", "panics"),
    ("read_passwd", "reads /etc/passwd"),
    ("connect", "opens a TCP socket to 1.1.1.1:80"),
    ("read_env", "reads the SECRET_TOKEN environment variable"),
    ("log_flood", "logs 10 MB"),
    ("log_empty_flood", "logs empty lines forever"),
    ("sleep", "sleeps for an hour in a WASI call"),
    ("read_stdin", "blocks reading stdin"),
    ("confetti", "returns a million empty content blocks"),
    (
        "append_line",
        "appends `line` to /data/side-effects.log, then sleeps `sleep_ms` (not idempotent)",
    ),
    ("ok", "behaves"),
    ("wait_cancel", "works until the host cancels the call"),
    (
        "remember",
        "looks for what an earlier call left in memory, then leaves its own input there",
    ),
];

/// What `remember` leaves in its data segment and, repeated, all over 4 MiB of heap.
static LEFT_BEHIND: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());
const HEAP_BYTES: usize = 4 << 20;

impl Guest for Hostile {
    fn describe() -> Vec<ToolSpec> {
        TOOLS
            .iter()
            .map(|(name, description)| ToolSpec {
                name: name.to_string(),
                description: description.to_string(),
                input_schema: r#"{"type":"object"}"#.into(),
                output_schema: None,
                hints: Hints {
                    read_only: false,
                    destructive: true,
                    idempotent: false,
                },
            })
            .collect()
    }

    fn call(name: String, input: String) -> Result<Vec<Content>, ToolError> {
        match name.as_str() {
            "spin" => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            "allocate" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 16 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "recurse" => Ok(vec![Content::Text(
                recurse(std::hint::black_box(1)).to_string(),
            )]),
            "flood" => Ok(vec![Content::Text("x".repeat(100 << 20))]),
            "panic" => panic!("the hostile plugin panicked on purpose"),
            "read_passwd" => std::fs::read_to_string("/etc/passwd")
                .map(|text| vec![Content::Text(text)])
                .map_err(|e| ToolError::Failed(format!("cannot read /etc/passwd: {e}"))),
            "connect" => std::net::TcpStream::connect("1.1.1.1:80")
                .map(|_| vec![Content::Text("connected".into())])
                .map_err(|e| ToolError::Failed(format!("cannot connect: {e}"))),
            "read_env" => std::env::var("SECRET_TOKEN")
                .map(|v| vec![Content::Text(v)])
                .map_err(|e| ToolError::Failed(format!("no SECRET_TOKEN: {e}"))),
            "log_flood" => {
                let line = "y".repeat(1024);
                for _ in 0..10_240 {
                    outrig::tool::host::log(outrig::tool::host::Level::Info, &line);
                }
                Ok(vec![Content::Text("logged".into())])
            }
            "log_empty_flood" => loop {
                outrig::tool::host::log(outrig::tool::host::Level::Info, "");
            },
            "sleep" => {
                std::thread::sleep(std::time::Duration::from_secs(3600));
                Ok(vec![Content::Text("woke up".into())])
            }
            "read_stdin" => {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .map_err(|e| ToolError::Failed(format!("stdin: {e}")))?;
                Err(ToolError::Failed(format!(
                    "stdin ended after {} bytes",
                    text.len()
                )))
            }
            "confetti" => Ok((0..1_000_000).map(|_| Content::Text(String::new())).collect()),
            "append_line" => append_line(&input),
            "ok" => Ok(vec![Content::Text("fine".into())]),
            "wait_cancel" => {
                while !outrig::tool::host::cancelled() {
                    std::hint::spin_loop();
                }
                Err(ToolError::Failed("stopped: the call was cancelled".into()))
            }
            "remember" => Ok(vec![Content::Text(remember(input))]),
            other => Err(ToolError::InvalidInput(format!("no tool `{other}`"))),
        }
    }
}

/// A side effect a crash must not repeat: appends the input's `line` to a granted file,
/// then sleeps `sleep_ms` (so a test can kill the host mid-call).
fn append_line(input: &str) -> Result<Vec<Content>, ToolError> {
    let field = |key: &str| {
        input
            .split(&format!("\"{key}\":"))
            .nth(1)
            .map(|rest| rest.trim_start_matches('"').split(['"', ',', '}']).next().unwrap_or(""))
            .unwrap_or("")
            .to_string()
    };
    let line = field("line");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open("/data/side-effects.log")
        .map_err(|e| ToolError::Failed(format!("cannot open /data/side-effects.log: {e}")))?;
    std::io::Write::write_all(&mut file, format!("{line}\n").as_bytes())
        .map_err(|e| ToolError::Failed(format!("cannot append: {e}")))?;
    drop(file);
    let sleep_ms: u64 = field("sleep_ms").parse().unwrap_or(0);
    std::thread::sleep(std::time::Duration::from_millis(sleep_ms));
    Ok(vec![Content::Text(format!("appended {line}"))])
}

#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 64]);
    recurse(depth + 1) + frame[3]
}

export!(Hostile);

/// Reports what an earlier call left (in a static, and as bytes in fresh, not zeroed heap),
/// then leaves `input` behind in both. A host that reuses memory without resetting it
/// would let one call read another's data.
fn remember(input: String) -> String {
    let previous = std::mem::replace(&mut *LEFT_BEHIND.lock().unwrap(), input.clone());
    let layout = std::alloc::Layout::from_size_align(HEAP_BYTES, 8).unwrap();
    // SAFETY: a fresh allocation of HEAP_BYTES; reading it before writing is the point
    // (volatile, byte by byte), and it is leaked on purpose.
    let heap = unsafe { std::alloc::alloc(layout) };
    let found = (0..HEAP_BYTES)
        .filter(|&i| unsafe { std::ptr::read_volatile(heap.add(i)) } != 0)
        .count();
    let pattern = if input.is_empty() { "-" } else { &input }.as_bytes();
    for i in 0..HEAP_BYTES {
        unsafe { heap.add(i).write_volatile(pattern[i % pattern.len()]) };
    }
    format!("previous: `{previous}`, nonzero heap bytes: {found}")
}
