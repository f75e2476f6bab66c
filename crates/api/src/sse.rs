//! Incremental Server-Sent Events decoding (spec §9.4): bytes in any chunking, LF/CRLF/CR
//! line endings, multi-line `data:`, comments, bounded line length.

/// One dispatched SSE message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseMessage {
    /// The `event:` name, if any.
    pub event: Option<String>,
    /// `data:` lines joined with `\n`.
    pub data: String,
    /// The `id:` field, if any.
    pub id: Option<String>,
    /// Byte offset in the stream where this message started.
    pub offset: u64,
}

/// A malformed SSE byte stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SseError {
    /// A line exceeded the configured limit (protects against unbounded buffering).
    #[error("SSE line starting at byte {offset} is longer than the {limit}-byte limit")]
    LineTooLong {
        /// Where the line started.
        offset: u64,
        /// The limit.
        limit: usize,
    },
    /// A line was not valid UTF-8.
    #[error("SSE line starting at byte {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// Where the line started.
        offset: u64,
    },
}

/// Default maximum line length: 16 MiB.
pub const DEFAULT_MAX_LINE: usize = 16 << 20;

/// Feeds bytes in, gets complete messages out. Holds at most one partial line.
#[derive(Debug)]
pub struct SseDecoder {
    line: Vec<u8>,
    line_start: u64,
    consumed: u64,
    skip_lf: bool,
    at_start: bool,
    max_line: usize,
    pending: Pending,
}

#[derive(Debug, Default)]
struct Pending {
    event: Option<String>,
    data: String,
    has_data: bool,
    id: Option<String>,
    started_at: Option<u64>,
}

impl Default for SseDecoder {
    fn default() -> Self {
        SseDecoder::new(DEFAULT_MAX_LINE)
    }
}

impl SseDecoder {
    /// A decoder refusing lines longer than `max_line` bytes.
    pub fn new(max_line: usize) -> Self {
        SseDecoder {
            line: Vec::new(),
            line_start: 0,
            consumed: 0,
            skip_lf: false,
            at_start: true,
            max_line,
            pending: Pending::default(),
        }
    }

    /// Total bytes fed so far.
    pub fn position(&self) -> u64 {
        self.consumed
    }

    /// Feeds a chunk; complete messages are appended to `out`. After an error the decoder
    /// must not be used again.
    pub fn push(&mut self, mut chunk: &[u8], out: &mut Vec<SseMessage>) -> Result<(), SseError> {
        while !chunk.is_empty() {
            if self.skip_lf {
                self.skip_lf = false;
                if chunk[0] == b'\n' {
                    chunk = &chunk[1..];
                    self.consumed += 1;
                    self.line_start = self.consumed;
                    continue;
                }
            }
            match crate::scan::find_either(chunk, b'\n', b'\r') {
                Some(end) => {
                    let (line, rest) = (&chunk[..end], &chunk[end + 1..]);
                    self.skip_lf = chunk[end] == b'\r';
                    if self.line.is_empty() {
                        // The whole line is in this chunk: read it in place, uncopied.
                        self.check_length(line.len())?;
                        self.consumed += end as u64 + 1;
                        self.take_line(line, out)?;
                    } else {
                        self.extend_line(line)?;
                        self.consumed += end as u64 + 1;
                        self.finish_line(out)?;
                    }
                    chunk = rest;
                    self.line_start = self.consumed;
                }
                None => {
                    self.extend_line(chunk)?;
                    self.consumed += chunk.len() as u64;
                    chunk = &[];
                }
            }
        }
        Ok(())
    }

    /// Ends the stream. A message not terminated by a blank line is discarded, as the
    /// SSE standard and the SDKs do; returns whether such a partial message was dropped.
    pub fn finish(&mut self) -> bool {
        let dropped = !self.line.is_empty() || self.pending.started_at.is_some();
        self.line.clear();
        self.pending = Pending::default();
        dropped
    }

    fn check_length(&self, length: usize) -> Result<(), SseError> {
        if length > self.max_line {
            return Err(SseError::LineTooLong {
                offset: self.line_start,
                limit: self.max_line,
            });
        }
        Ok(())
    }

    fn extend_line(&mut self, bytes: &[u8]) -> Result<(), SseError> {
        self.check_length(self.line.len() + bytes.len())?;
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    /// Processes the buffered line (one that spanned chunks).
    fn finish_line(&mut self, out: &mut Vec<SseMessage>) -> Result<(), SseError> {
        let line = std::mem::take(&mut self.line);
        let result = self.take_line(&line, out);
        self.line = line;
        self.line.clear();
        result
    }

    /// Processes one complete line, without a byte-order mark at the stream's start.
    fn take_line(&mut self, mut line: &[u8], out: &mut Vec<SseMessage>) -> Result<(), SseError> {
        if self.at_start {
            self.at_start = false;
            line = line.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(line);
        }
        self.process_line(line, out)
    }

    fn process_line(&mut self, line: &[u8], out: &mut Vec<SseMessage>) -> Result<(), SseError> {
        if line.is_empty() {
            if let Some(offset) = self.pending.started_at.take() {
                let pending = std::mem::take(&mut self.pending);
                out.push(SseMessage {
                    event: pending.event,
                    data: pending.data,
                    id: pending.id,
                    offset,
                });
            }
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let text = crate::scan::utf8(line).ok_or(SseError::InvalidUtf8 {
            offset: self.line_start,
        })?;
        let (field, value) = match crate::scan::split_once_ascii(text, b':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text, ""),
        };
        let pending = &mut self.pending;
        match field {
            "event" => pending.event = Some(value.to_string()),
            "data" => {
                if pending.has_data {
                    pending.data.push('\n');
                }
                pending.data.push_str(value);
                pending.has_data = true;
            }
            "id" if !value.contains('\0') => pending.id = Some(value.to_string()),
            _ => return Ok(()),
        }
        pending.started_at.get_or_insert(self.line_start);
        Ok(())
    }
}
