//! One `poll`'s actions for JavaScript, NUL-joined: ASCII while every field is, else
//! UTF-16LE. The JS engine makes a string of either with a copy, where decoding UTF-8 that
//! holds any non-ASCII character costs it ~2.8 ns a byte.

use crate::utf16::push_utf16;
use outrig_api::scan::plain_prefix;

/// A batch of NUL-joined fields, its memory reused from one poll to the next.
#[derive(Default)]
pub(crate) struct Batch {
    ascii: Vec<u8>,
    wide: Vec<u8>,
    is_wide: bool,
    /// Where each field ends, in units: JavaScript cuts the batch's string there instead of
    /// searching it for NULs (~0.4 ns a character in a UTF-16 string).
    ends: Vec<u32>,
}

impl Batch {
    /// Empties the batch, back to ASCII.
    pub(crate) fn clear(&mut self) {
        self.ascii.clear();
        self.wide.clear();
        self.is_wide = false;
        self.ends.clear();
    }

    /// Appends a field; a raw NUL in it (only malformed text holds one) becomes U+FFFD.
    /// Returns whether there was none.
    pub(crate) fn push(&mut self, text: &str) -> bool {
        let no_nul = self.push_text(text);
        self.ends.push(self.units() as u32);
        no_nul
    }

    /// Appends a field's text, NUL-separated, as [`Batch::push`] says.
    fn push_text(&mut self, text: &str) -> bool {
        if !self.is_wide && plain_prefix(text.as_bytes()) == text.len() {
            if !self.ascii.is_empty() {
                self.ascii.push(0);
            }
            self.ascii.extend_from_slice(text.as_bytes());
            return true;
        }
        if !self.is_wide {
            self.is_wide = true;
            for &byte in &self.ascii {
                self.wide.extend_from_slice(&[byte, 0]);
            }
        }
        if !self.wide.is_empty() {
            self.wide.extend_from_slice(&[0, 0]);
        }
        push_utf16(&mut self.wide, text)
    }

    /// How many UTF-16 code units (or ASCII bytes, the same count) the batch holds.
    pub(crate) fn units(&self) -> usize {
        if self.is_wide {
            self.wide.len() / 2
        } else {
            self.ascii.len()
        }
    }

    /// Cuts the batch back to its first `units`.
    pub(crate) fn truncate(&mut self, units: usize) {
        self.ascii.truncate(units);
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
            &self.ascii
        }
    }

    /// The batch's length in bytes, negated when it is UTF-16LE.
    pub(crate) fn signed_length(&self) -> i32 {
        let length = self.bytes().len() as i32;
        if self.is_wide {
            -length
        } else {
            length
        }
    }
}
