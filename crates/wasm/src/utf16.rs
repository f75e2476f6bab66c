//! Text for JavaScript as UTF-16LE bytes, of which the engine makes a string with a copy.

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Appends `text` to `out` as UTF-16LE, each raw NUL as U+FFFD; returns whether there was
/// none (the batch's fields are NUL-separated). The bytes are read eight at a time: each
/// word's leading ASCII bytes are widened in one write, then one other character converted.
pub(crate) fn push_utf16(out: &mut Vec<u8>, text: &str) -> bool {
    let bytes = text.as_bytes();
    let start = out.len();
    // A character never takes more bytes in UTF-16 than twice its UTF-8 length.
    out.resize(start + bytes.len() * 2, 0);
    let units = &mut out[start..];
    let (mut read, mut written, mut no_nul) = (0, 0, true);
    while let Some(&lead) = bytes.get(read) {
        if let (Some(word), Some(wide)) = (
            bytes.get(read..read + 8),
            units.get_mut(written..written + 16),
        ) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            // Written whole; the units from the first stop on are overwritten next.
            wide[..8].copy_from_slice(&widen(word as u32).to_le_bytes());
            wide[8..].copy_from_slice(&widen((word >> 32) as u32).to_le_bytes());
            let ascii = (stops(word).trailing_zeros() / 8) as usize;
            read += ascii;
            written += 2 * ascii;
            if ascii > 0 {
                continue;
            }
        }
        let tail = |at: usize| u32::from(bytes.get(read + at).copied().unwrap_or(0) & 0x3f);
        let lead = u32::from(lead);
        let (code, length) = match lead {
            0 => (0xfffd, 1),
            0x01..=0x7f => (lead, 1),
            0xc0..=0xdf => ((lead & 0x1f) << 6 | tail(1), 2),
            0xe0..=0xef => ((lead & 0x0f) << 12 | tail(1) << 6 | tail(2), 3),
            _ => (
                (lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3),
                4,
            ),
        };
        no_nul &= lead != 0;
        read += length;
        if code >= 0x1_0000 {
            let code = code - 0x1_0000;
            put(units, written, 0xd800 | code >> 10);
            put(units, written + 2, 0xdc00 | (code & 0x3ff));
            written += 4;
        } else {
            put(units, written, code);
            written += 2;
        }
    }
    out.truncate(start + written);
    no_nul
}

/// The high bit of each byte of `word` that is not ASCII or is zero (subtracting one from
/// each byte borrows there). The lowest is exact; bits above a zero byte may be false.
pub(crate) fn stops(word: u64) -> u64 {
    (word | word.wrapping_sub(LOW_BITS)) & HIGH_BITS
}

/// Writes one UTF-16 code unit at byte `at` of `units` (always in bounds, by the size
/// `push_utf16` reserved).
fn put(units: &mut [u8], at: usize, unit: u32) {
    if let Some(pair) = units.get_mut(at..at + 2) {
        pair.copy_from_slice(&(unit as u16).to_le_bytes());
    }
}

/// Four ASCII bytes as four UTF-16 code units.
fn widen(four: u32) -> u64 {
    let x = u64::from(four);
    let x = (x | x << 16) & 0x0000_ffff_0000_ffff;
    (x | x << 8) & 0x00ff_00ff_00ff_00ff
}

#[cfg(test)]
mod tests {
    use super::push_utf16;

    #[test]
    fn converts_as_the_standard_library_does_at_every_alignment() {
        let samples = [
            "",
            "a",
            "é",
            "日",
            "🦀",
            "a\0b",
            "plain ascii text!",
            "x—y“z”é日本✓🦀𝄞\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ];
        for sample in samples {
            for pad in 0..9 {
                let text = format!("{}{sample}{}", "p".repeat(pad), "q".repeat(pad));
                let mut out = vec![7];
                let no_nul = push_utf16(&mut out, &text);
                let expected: Vec<u8> = [7]
                    .into_iter()
                    .chain(
                        text.replace('\0', "\u{fffd}")
                            .encode_utf16()
                            .flat_map(u16::to_le_bytes),
                    )
                    .collect();
                assert_eq!(out, expected, "{text:?}");
                assert_eq!(no_nul, !text.contains('\0'), "{text:?}");
            }
        }
    }
}
