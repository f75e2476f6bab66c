//! Text for JavaScript as UTF-16LE bytes, of which the engine makes a string with a copy.

use outrig_api::scan::plain_prefix;

/// Appends `text` to `out` as UTF-16LE, each raw NUL as U+FFFD; returns whether there was
/// none (the batch's fields are NUL-separated). Each run of ASCII is widened whole, then
/// one other character converted.
pub(crate) fn push_utf16(out: &mut Vec<u8>, text: &str) -> bool {
    let bytes = text.as_bytes();
    let start = out.len();
    // A character never takes more bytes in UTF-16 than twice its UTF-8 length; the zeros
    // are the high bytes of the ASCII units.
    out.resize(start + bytes.len() * 2, 0);
    let units = &mut out[start..];
    let (mut read, mut written, mut no_nul) = (0, 0, true);
    loop {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        if let Some((r, w)) = sixteen::convert(&bytes[read..], &mut units[written..]) {
            read += r;
            written += w;
            continue;
        }
        let ascii = plain_prefix(&bytes[read..]);
        for (unit, &byte) in units[written..]
            .chunks_exact_mut(2)
            .zip(&bytes[read..read + ascii])
        {
            unit[0] = byte;
        }
        read += ascii;
        written += 2 * ascii;
        let Some((code, length)) = next_character(&bytes[read..]) else {
            break;
        };
        no_nul &= code != 0;
        read += length;
        let code = if code == 0 { 0xfffd } else { code };
        for unit in units_of(code) {
            put(units, written, unit);
            written += 2;
        }
    }
    out.truncate(start + written);
    no_nul
}

/// The code point of the UTF-8 character that starts `bytes`, and its length in bytes.
#[inline(never)]
pub(crate) fn next_character(bytes: &[u8]) -> Option<(u32, usize)> {
    let lead = u32::from(*bytes.first()?);
    let tail = |at: usize| u32::from(bytes.get(at).copied().unwrap_or(0) & 0x3f);
    Some(match lead {
        0..=0x7f => (lead, 1),
        0xc0..=0xdf => ((lead & 0x1f) << 6 | tail(1), 2),
        0xe0..=0xef => ((lead & 0x0f) << 12 | tail(1) << 6 | tail(2), 3),
        _ => (
            (lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3),
            4,
        ),
    })
}

/// The UTF-16 code units of the code point `code`: one, or a surrogate pair.
#[inline(never)]
pub(crate) fn units_of(code: u32) -> impl Iterator<Item = u32> {
    let pair = code.checked_sub(0x1_0000);
    let first = pair.map_or(code, |offset| 0xd800 | offset >> 10);
    let second = pair.map(|offset| 0xdc00 | (offset & 0x3ff));
    std::iter::once(first).chain(second)
}

/// Writes one UTF-16 code unit at byte `at` of `units` (always in bounds, by the size
/// `push_utf16` reserved).
fn put(units: &mut [u8], at: usize, unit: u32) {
    if let Some(pair) = units.get_mut(at..at + 2) {
        pair.copy_from_slice(&(unit as u16).to_le_bytes());
    }
}

/// Sixteen bytes at a time, with wasm's `simd128`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod sixteen {
    use core::arch::wasm32::*;
    use outrig_api::scan::load;

    /// Converts the characters that start in the first 14 of the next 16 bytes of `bytes`
    /// (a character's first byte), unless those hold a NUL or a four-byte character; returns
    /// how many bytes it read and wrote.
    pub(super) fn convert(bytes: &[u8], units: &mut [u8]) -> Option<(usize, usize)> {
        let input = load(bytes.get(..16)?);
        let zero = u8x16_splat(0);
        if u8x16_bitmask(v128_or(
            u8x16_eq(input, zero),
            u8x16_ge(input, u8x16_splat(0xf0)),
        )) != 0
        {
            return None;
        }
        let out: &mut [u8; 32] = units.get_mut(..32)?.try_into().ok()?;
        if u8x16_bitmask(input) == 0 {
            // SAFETY: both stores are within the 32 bytes of `out`.
            unsafe {
                v128_store(out.as_mut_ptr().cast(), u16x8_extend_low_u8x16(input));
                v128_store(
                    out.as_mut_ptr().add(16).cast(),
                    u16x8_extend_high_u8x16(input),
                );
            }
            return Some((16, 32));
        }
        // Each byte's unit were a character to start there, from it and the two after it.
        let next =
            i8x16_shuffle::<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16>(input, zero);
        let after =
            i8x16_shuffle::<2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17>(input, zero);
        let unit = |b0: v128, b1: v128, b2: v128| {
            let tail = v128_and(b1, u16x8_splat(0x3f));
            let two = v128_or(u16x8_shl(v128_and(b0, u16x8_splat(0x1f)), 6), tail);
            let three = v128_or(
                v128_or(u16x8_shl(b0, 12), u16x8_shl(tail, 6)),
                v128_and(b2, u16x8_splat(0x3f)),
            );
            let wide = v128_bitselect(three, two, u16x8_ge(b0, u16x8_splat(0xe0)));
            v128_bitselect(b0, wide, u16x8_lt(b0, u16x8_splat(0x80)))
        };
        // Continuation bytes (10xxxxxx) are the signed bytes below -64.
        let starts = u32::from(!u8x16_bitmask(i8x16_lt(input, i8x16_splat(-64))));
        let read = (starts & 0xc000).trailing_zeros().min(16) as usize;
        let (low, high) = (starts & 0xff, starts >> 8 & 0x3f);
        // Each half's units where characters start, moved together by a shuffle.
        let table = shuffles();
        let low_units = u8x16_swizzle(
            unit(
                u16x8_extend_low_u8x16(input),
                u16x8_extend_low_u8x16(next),
                u16x8_extend_low_u8x16(after),
            ),
            table[low as usize],
        );
        let high_units = u8x16_swizzle(
            unit(
                u16x8_extend_high_u8x16(input),
                u16x8_extend_high_u8x16(next),
                u16x8_extend_high_u8x16(after),
            ),
            table[high as usize],
        );
        let written = 2 * low.count_ones() as usize;
        // SAFETY: both stores are within the 32 bytes of `out` (`written` is at most 16).
        unsafe {
            v128_store(out.as_mut_ptr().cast(), low_units);
            v128_store(out.as_mut_ptr().add(written).cast(), high_units);
        }
        Some((read, written + 2 * high.count_ones() as usize))
    }

    /// For each set of eight lanes (a mask), the shuffle that moves those lanes' units to
    /// the front in order: made once (4 KiB of memory, not of the package).
    pub(crate) fn shuffles() -> &'static [v128] {
        static SHUFFLES: std::sync::OnceLock<Vec<v128>> = std::sync::OnceLock::new();
        SHUFFLES.get_or_init(|| (0..256).map(shuffle).collect())
    }

    /// The shuffle of [`shuffles`] for one mask.
    fn shuffle(mask: u32) -> v128 {
        let mut lanes = [0x80u8; 16];
        let mut at = 0;
        for lane in (0..8).filter(|lane| mask >> lane & 1 == 1) {
            lanes[at] = 2 * lane as u8;
            lanes[at + 1] = 2 * lane as u8 + 1;
            at += 2;
        }
        load(&lanes)
    }
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
