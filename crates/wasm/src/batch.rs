//! One `poll`'s actions for JavaScript, NUL-joined, as one-byte text while every field
//! fits (ASCII; event JSON also as Latin-1 with escapes, from the first event of 64 KiB or
//! more on), else as UTF-16LE. The JS engine makes a string of either with a copy, where
//! decoding UTF-8 that holds any non-ASCII character costs it ~2.8 ns a byte.

use crate::latin1::push_latin1;
use crate::utf16::push_utf16;
use outrig_api::scan::plain_prefix;

/// Event JSON from which a batch holds its other characters as `\uXXXX`: about where its
/// UTF-16 string would pass V8's large-object threshold (128 KB).
const ESCAPE_FROM: usize = 64 * 1024;

/// A batch of NUL-joined fields, its memory reused from one poll to the next.
#[derive(Default)]
pub(crate) struct Batch {
    narrow: Vec<u8>,
    wide: Vec<u8>,
    is_wide: bool,
    /// Whether event JSON is written as Latin-1 with escapes (from a big event on).
    escaping: bool,
    /// Where each field ends, in units: JavaScript cuts the batch's string there instead of
    /// searching it for NULs (~0.4 ns a character in a UTF-16 string).
    ends: Vec<u32>,
}

impl Batch {
    /// Empties the batch, back to one-byte text.
    pub(crate) fn clear(&mut self) {
        self.narrow.clear();
        self.wide.clear();
        self.is_wide = false;
        self.escaping = false;
        self.ends.clear();
    }

    /// Appends a field; a raw NUL in it (only malformed text holds one) becomes U+FFFD.
    /// Returns whether there was none.
    pub(crate) fn push(&mut self, text: &str) -> bool {
        let no_nul = self.push_text(text);
        self.ends.push(self.units() as u32);
        no_nul
    }

    /// Appends an event's two fields: `event, json`; or, from the first event of
    /// [`ESCAPE_FROM`] bytes on while the batch is one-byte text, `escaped, json` with the
    /// JSON's other characters as `\uXXXX` (see `latin1`: such JSON holds no `\u` of its
    /// own, so JavaScript can undo them). Returns whether the JSON holds no raw NUL.
    pub(crate) fn push_event(&mut self, json: &str) -> bool {
        self.escaping |= json.len() >= ESCAPE_FROM;
        if self.escaping && !self.is_wide && plain_prefix(json.as_bytes()) < json.len() {
            let units = self.units();
            self.push("escaped");
            self.narrow.push(0);
            if push_latin1(&mut self.narrow, json) {
                self.ends.push(self.units() as u32);
                return true;
            }
            self.truncate(units);
        }
        self.push("event");
        self.push(json)
    }

    /// Appends a field's text, NUL-separated, as [`Batch::push`] says.
    fn push_text(&mut self, text: &str) -> bool {
        if !self.is_wide && plain_prefix(text.as_bytes()) == text.len() {
            if !self.narrow.is_empty() {
                self.narrow.push(0);
            }
            self.narrow.extend_from_slice(text.as_bytes());
            return true;
        }
        if !self.is_wide {
            self.is_wide = true;
            // Latin-1 widens to UTF-16 unit by unit.
            for &byte in &self.narrow {
                self.wide.extend_from_slice(&[byte, 0]);
            }
        }
        if !self.wide.is_empty() {
            self.wide.extend_from_slice(&[0, 0]);
        }
        push_utf16(&mut self.wide, text)
    }

    /// How many UTF-16 code units (or one-byte characters, the same count) the batch holds.
    pub(crate) fn units(&self) -> usize {
        if self.is_wide {
            self.wide.len() / 2
        } else {
            self.narrow.len()
        }
    }

    /// Cuts the batch back to its first `units`.
    #[inline(never)]
    pub(crate) fn truncate(&mut self, units: usize) {
        self.narrow.truncate(units);
        self.wide.truncate(2 * units);
        self.ends.retain(|&end| end as usize <= units);
    }

    /// Where each field ends, in units (the last one is the batch's length).
    pub(crate) fn ends(&self) -> &[u32] {
        &self.ends
    }

    /// The batch's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        if self.is_wide {
            &self.wide
        } else {
            &self.narrow
        }
    }

    /// The batch's length in bytes, negated when it is UTF-16LE (else it is Latin-1).
    pub(crate) fn signed_length(&self) -> i32 {
        let length = self.bytes().len() as i32;
        if self.is_wide {
            -length
        } else {
            length
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Batch, ESCAPE_FROM};

    /// The batch's fields, read back as JavaScript would (Latin-1 or UTF-16LE).
    fn fields(batch: &Batch) -> Vec<String> {
        let bytes = batch.bytes();
        let text: String = if batch.signed_length() < 0 {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        } else {
            bytes.iter().map(|&b| char::from(b)).collect()
        };
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut start = 0;
        let mut out = Vec::new();
        for &end in batch.ends() {
            out.push(String::from_utf16(&units[start..end as usize]).unwrap());
            start = end as usize + 1;
        }
        out
    }

    fn big(text: &str) -> String {
        let pad = "x".repeat(ESCAPE_FROM);
        format!(r#"{{"text":"{text}","pad":"{pad}"}}"#)
    }

    #[test]
    fn a_big_event_and_those_after_it_are_escaped_one_byte_text() {
        let mut batch = Batch::default();
        let (first, second) = (big("déjà — ✓"), r#"{"text":"—"}"#);
        assert!(batch.push_event(&first) && batch.push_event(second));
        assert!(batch.signed_length() > 0, "one-byte text");
        let read = fields(&batch);
        assert_eq!(read[0], "escaped");
        assert_eq!(
            read[1],
            first.replace('—', "\\u2014").replace('✓', "\\u2713")
        );
        assert_eq!(read[2..], ["escaped", r#"{"text":"\u2014"}"#]);
    }

    #[test]
    fn small_events_and_json_with_its_own_u_escapes_stay_as_they_are() {
        let mut batch = Batch::default();
        let (small, own) = (r#"{"text":"—"}"#, big(r"\u00e9 é"));
        assert!(batch.push_event(small) && batch.push_event(&own));
        assert!(
            batch.signed_length() < 0,
            "UTF-16, for the small non-ASCII event"
        );
        assert_eq!(fields(&batch), ["event", small, "event", own.as_str()]);
        let mut batch = Batch::default();
        assert!(batch.push_event(&own));
        assert_eq!(fields(&batch), ["event", own.as_str()]);
    }
}
