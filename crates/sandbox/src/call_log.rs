//! The log of one call: lines a plugin wrote through `host.log`, and the host's own notes
//! (refused HTTP requests), capped by line count and by bytes together, so neither a flood
//! of empty lines nor a few huge ones can grow the host. What is dropped is counted.

use std::sync::{Arc, Mutex};

/// A log shared by a call's store and its caller, which reads it even when the call was
/// stopped and its store dropped.
#[derive(Debug, Clone)]
pub struct CallLog {
    inner: Arc<Mutex<Buffer>>,
}

#[derive(Debug)]
struct Buffer {
    lines: Vec<String>,
    bytes: usize,
    max_lines: usize,
    max_bytes: usize,
    dropped_lines: usize,
    dropped_bytes: usize,
}

impl CallLog {
    /// A log keeping at most `max_lines` lines and `max_bytes` bytes of text.
    pub fn new(max_lines: usize, max_bytes: usize) -> Self {
        CallLog {
            inner: Arc::new(Mutex::new(Buffer {
                lines: Vec::new(),
                bytes: 0,
                max_lines,
                max_bytes,
                dropped_lines: 0,
                dropped_bytes: 0,
            })),
        }
    }

    /// Keeps `[level] message`, or counts it as dropped when either cap is reached.
    pub fn push(&self, level: &str, message: &str) {
        let mut buffer = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if buffer.lines.len() >= buffer.max_lines || buffer.bytes + message.len() > buffer.max_bytes
        {
            buffer.dropped_lines += 1;
            buffer.dropped_bytes += message.len();
            return;
        }
        buffer.bytes += message.len();
        buffer.lines.push(format!("[{level}] {message}"));
    }

    /// The lines kept, followed by a notice of what was dropped, if anything was.
    pub fn lines(&self) -> Vec<String> {
        let buffer = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut lines = buffer.lines.clone();
        if buffer.dropped_lines > 0 {
            lines.push(format!(
                "[warn] {} log lines ({} bytes) dropped over the limits of {} lines and {} bytes",
                buffer.dropped_lines, buffer.dropped_bytes, buffer.max_lines, buffer.max_bytes
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::CallLog;

    #[test]
    fn empty_lines_are_capped_by_count_and_long_ones_by_bytes() {
        let log = CallLog::new(3, 10);
        for _ in 0..1000 {
            log.push("info", "");
        }
        let lines = log.lines();
        assert_eq!(lines.len(), 4);
        assert!(lines[3].contains("997 log lines (0 bytes) dropped"));

        let log = CallLog::new(100, 10);
        log.push("info", "12345");
        log.push("info", "123456");
        log.push("info", "12345");
        assert_eq!(log.lines()[..2], ["[info] 12345", "[info] 12345"]);
        assert!(log.lines()[2].contains("1 log lines (6 bytes) dropped"));
    }
}
