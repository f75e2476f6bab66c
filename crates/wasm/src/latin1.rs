//! Event JSON for JavaScript as one-byte text: Latin-1, every other character a `\uXXXX`
//! escape, which `JSON.parse` reads as that same character. V8 puts a string of more than
//! 128 KB (64 Ki UTF-16 units) in its large-object space, where making it costs several
//! times more; one-byte text of a big batch also costs `JSON.parse` less than UTF-16 does.
//! JSON holding a `\u` of its own is not written so: that keeps the escapes undoable, for a
//! malformed event's text as it arrived. Nor is text where escapes are many (Cyrillic, CJK):
//! `JSON.parse` reads each at ~10 ns, and all of them cost it more than UTF-16 would.

use crate::utf16::{next_character, units_of};

/// Appends the JSON `text` to `out` as Latin-1, escaping U+0080..U+009F (which a browser's
/// `latin1` decoder reads as windows-1252) and every character above U+00FF. Returns false,
/// having written part of it and more, at a `\u` of the text's own, once the escapes are
/// more than 64 and one for every 32 bytes read, and where escaping could change what the
/// text means: at a raw NUL (the batch's separator), or at a character to escape right
/// after a backslash (`\—` is not JSON, `\\u2014` is).
pub(crate) fn push_latin1(out: &mut Vec<u8>, text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut read, mut written, mut escapes) = (0, out.len(), 0);
    loop {
        // Room for the rest as one byte a character, and for two blocks or an escape past it.
        let rest = bytes.len() - read;
        if out.len() < written + rest + 32 {
            out.resize(written + rest + rest / 8 + 64, 0);
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        if let Some((r, w)) = sixteen::convert(&bytes[read..], &mut out[written..]) {
            read += r;
            written += w;
            // Short of the block's end it stopped at a character taken here, below.
            if r >= 15 {
                continue;
            }
        }
        // One character at a time (a variable-length copy costs V8 a call out of the wasm).
        let Some((code, length)) = next_character(&bytes[read..]) else {
            out.truncate(written);
            return true;
        };
        if code == 0 || (code == 0x5c && bytes.get(read + 1) == Some(&b'u')) {
            return false;
        }
        if code < 0x80 || (0xa0..=0xff).contains(&code) {
            out[written] = code as u8;
            written += 1;
        } else {
            let backslashes = bytes[..read].iter().rev().take_while(|&&b| b == b'\\');
            escapes += 1;
            if backslashes.count() % 2 == 1 || escapes > 64 + read / 32 {
                return false;
            }
            for unit in units_of(code) {
                let digit = |at: u32| HEX[(unit >> (12 - 4 * at) & 0xf) as usize];
                let escape = [b'\\', b'u', digit(0), digit(1), digit(2), digit(3)];
                out[written..written + 6].copy_from_slice(&escape);
                written += 6;
            }
        }
        read += length;
    }
}

/// Sixteen bytes at a time, with wasm's `simd128`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod sixteen {
    use crate::utf16::sixteen::shuffles;
    use core::arch::wasm32::*;
    use outrig_api::scan::load;

    /// Writes the characters that start in the next 16 bytes of `bytes` (not one led by
    /// the last byte, nor a backslash there) up to the first that is not ASCII other than
    /// NUL or Latin-1 from U+00A0 (two bytes, led by C2 or C3), or a `\u`; returns how many
    /// bytes it read and wrote, or `None` when it would write none.
    pub(super) fn convert(bytes: &[u8], out: &mut [u8]) -> Option<(usize, usize)> {
        let input = load(bytes.get(..16)?);
        let out: &mut [u8; 32] = out.get_mut(..32)?.try_into().ok()?;
        let next = i8x16_shuffle::<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16>(
            input,
            u8x16_splat(0),
        );
        let backslashes = u8x16_eq(input, u8x16_splat(b'\\'));
        let held = v128_or(
            u8x16_eq(input, u8x16_splat(0)),
            v128_and(backslashes, u8x16_eq(next, u8x16_splat(b'u'))),
        );
        // A backslash in the last lane is read with the byte after it, in the next block.
        let open = u8x16_bitmask(backslashes) >> 15;
        if u8x16_bitmask(v128_or(input, held)) == 0 && open == 0 {
            // SAFETY: the store is within the 32 bytes of `out`.
            unsafe { v128_store(out.as_mut_ptr().cast(), input) };
            return Some((16, 16));
        }
        let c3 = u8x16_eq(input, u8x16_splat(0xc3));
        let c2 = v128_and(
            u8x16_eq(input, u8x16_splat(0xc2)),
            u8x16_ge(next, u8x16_splat(0xa0)),
        );
        let leads = v128_or(c2, c3);
        // Other leads, NULs and `\u`s are left to the caller.
        let others = v128_or(v128_andnot(u8x16_ge(input, u8x16_splat(0xc0)), leads), held);
        let stop = (u32::from(u8x16_bitmask(others)) | 1 << 16).trailing_zeros();
        // C3 xx is U+00C0 + (xx - 0x80): xx + 0x40; C2 xx is xx.
        let latin1 = u8x16_add(next, v128_and(c3, u8x16_splat(0x40)));
        let values = v128_bitselect(latin1, input, leads);
        let read = if u8x16_bitmask(leads) >> 15 | open == 1 {
            stop.min(15)
        } else {
            stop
        };
        if read == 0 {
            return None;
        }
        // Continuation bytes (10xxxxxx) are the signed bytes below -64.
        let kept = !u32::from(u8x16_bitmask(i8x16_lt(input, i8x16_splat(-64)))) & ((1 << read) - 1);
        let (low, high) = (kept & 0xff, kept >> 8);
        // The UTF-16 shuffles move lanes' byte pairs (2l, 2l + 1): their even bytes halved
        // move the lanes' bytes (an unused lane's 0x80 becomes 0x40, still out of range).
        let table = shuffles();
        let compaction = |mask: u32, first: u8| {
            let pairs = table[mask as usize];
            let lanes =
                i8x16_shuffle::<0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14>(pairs, pairs);
            u8x16_add(u8x16_shr(lanes, 1), u8x16_splat(first))
        };
        let low_bytes = u8x16_swizzle(values, compaction(low, 0));
        let high_bytes = u8x16_swizzle(values, compaction(high, 8));
        let written = low.count_ones() as usize;
        // SAFETY: both stores are within the 32 bytes of `out` (`written` is at most 8).
        unsafe {
            v128_store(out.as_mut_ptr().cast(), low_bytes);
            v128_store(out.as_mut_ptr().add(written).cast(), high_bytes);
        }
        Some((read as usize, written + high.count_ones() as usize))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::push_latin1;

    /// `text` as `push_latin1` writes it, and whether it could.
    fn written(text: &str) -> (String, bool) {
        let mut out = Vec::new();
        let whole = push_latin1(&mut out, text);
        (out.iter().map(|&b| char::from(b)).collect(), whole)
    }

    #[test]
    fn keeps_latin1_and_escapes_every_other_character() {
        let (text, whole) = written("{\"a\":\"é\u{80}\u{9f}\u{a0}ÿ—🦀 \\\\—\"}");
        assert!(whole);
        assert_eq!(
            text,
            "{\"a\":\"é\\u0080\\u009f\u{a0}ÿ\\u2014\\ud83e\\udd80 \\\\\\u2014\"}"
        );
    }

    #[test]
    fn refuses_a_nul_a_u_escape_of_its_own_and_an_escape_that_a_backslash_would_change() {
        assert!(!written("{\"a\":\"x\0\"}").1);
        assert!(!written("{\"a\":\"\\u00e9 é\"}").1, "its own \\u");
        assert!(
            !written("{\"a\":\"\\\\u00e9\"}").1,
            "an escaped backslash, then u"
        );
        assert!(!written("{\"a\":\"\\—\"}").1);
        assert!(!written("{\"a\":\"\\\\\\—\"}").1);
        assert!(written("{\"a\":\"\\é\"}").1, "Latin-1 is written as it is");
        let sparse = format!(
            "{{\"a\":\"{}\"}}",
            format!("— {}", "a".repeat(38)).repeat(4000)
        );
        assert!(written(&sparse).1, "one escape in 41 bytes");
        assert!(
            !written(&format!("{{\"a\":\"{}\"}}", "привет ".repeat(100))).1,
            "Cyrillic"
        );
        assert!(
            !written(&format!("{{\"a\":\"{}\"}}", "日本語".repeat(100))).1,
            "CJK"
        );
    }
}
