//! The byte scans every streamed byte goes through: line and string ends, UTF-8 checks,
//! ASCII runs and the ends of nested JSON values. Sixteen bytes at a time with wasm's
//! `simd128` (the npm package's core is built with it: `.cargo/config.toml`), a byte or a
//! word (SWAR) at a time elsewhere; wasm32 has no `memchr` of its own.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use simd::{find_either, load, plain_prefix, utf8, value_end};
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub use swar::{find_either, plain_prefix, utf8, value_end};

/// `text` cut at each `separator` (an ASCII byte), as `str::split` would cut it, with the
/// byte search above (`str::split` brings a second one into the npm package's wasm).
pub fn split_ascii(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let Some(at) = find_either(current.as_bytes(), separator, separator) else {
            rest = None;
            return Some(current);
        };
        rest = current.get(at + 1..);
        current.get(..at)
    })
}

/// `text` before and after its first `separator` (an ASCII byte), as `str::split_once`.
pub fn split_once_ascii(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = find_either(text.as_bytes(), separator, separator)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// Where a JSON array or object ends: the index of the bracket that closes it, or the end
/// of `bytes`. The scan is at `at`, inside a string or not, the byte there escaped or not,
/// `depth` brackets deep.
fn value_end_from(
    bytes: &[u8],
    mut at: usize,
    mut in_string: bool,
    mut escaped: bool,
    mut depth: u32,
) -> usize {
    while let Some(&byte) = bytes.get(at) {
        if escaped {
            escaped = false;
        } else if in_string {
            match byte {
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return at;
                    }
                }
                _ => {}
            }
        }
        at += 1;
    }
    bytes.len()
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod swar {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;

    /// The high bit of each byte of `word` that is zero (the lowest set bit is exact; bits
    /// above it may be false positives, which no caller reads).
    fn zero_bytes(word: u64) -> u64 {
        word.wrapping_sub(LO) & !word & HI
    }

    /// The whole eight-byte words of `bytes`, with where each starts.
    fn words(bytes: &[u8]) -> impl Iterator<Item = (usize, u64)> + '_ {
        bytes
            .chunks_exact(8)
            .map(|word| u64::from_le_bytes(word.try_into().unwrap_or_default()))
            .enumerate()
            .map(|(index, word)| (index * 8, word))
    }

    /// The index of the first byte of `bytes` equal to `a` or `b`.
    pub fn find_either(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
        let (fill_a, fill_b) = (LO * u64::from(a), LO * u64::from(b));
        for (at, word) in words(bytes) {
            let found = zero_bytes(word ^ fill_a) | zero_bytes(word ^ fill_b);
            if found != 0 {
                return Some(at + (found.trailing_zeros() / 8) as usize);
            }
        }
        let at = bytes.len() / 8 * 8;
        bytes[at..]
            .iter()
            .position(|&c| c == a || c == b)
            .map(|p| at + p)
    }

    /// How many of the leading bytes of `bytes` are ASCII other than NUL.
    pub fn plain_prefix(bytes: &[u8]) -> usize {
        for (at, word) in words(bytes) {
            // Subtracting one from each byte borrows at a zero byte.
            let stops = (word | word.wrapping_sub(LO)) & HI;
            if stops != 0 {
                return at + (stops.trailing_zeros() / 8) as usize;
            }
        }
        let at = bytes.len() / 8 * 8;
        at + bytes[at..]
            .iter()
            .take_while(|&&c| c != 0 && c < 0x80)
            .count()
    }

    /// `bytes` as text, if they are UTF-8.
    pub fn utf8(bytes: &[u8]) -> Option<&str> {
        std::str::from_utf8(bytes).ok()
    }

    /// Where the JSON array or object whose text starts `bytes` (after its opening bracket)
    /// ends: the index of the bracket that closes it, or the end of `bytes`.
    pub fn value_end(bytes: &[u8]) -> usize {
        super::value_end_from(bytes, 0, false, false, 1)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    /// Sixteen bytes as a vector (zeros unless `block` is 16 bytes long).
    #[inline(always)]
    pub fn load(block: &[u8]) -> v128 {
        let block: &[u8; 16] = block.try_into().unwrap_or(&[0; 16]);
        // SAFETY: `block` is 16 readable bytes; wasm loads need no alignment.
        unsafe { v128_load(block.as_ptr().cast()) }
    }

    /// The first set bit of the first block of `bytes` where `hits` has one, with the index
    /// of the first byte of the tail (less than 16 bytes) when there is none.
    fn first(bytes: &[u8], hits: impl Fn(v128) -> v128) -> Result<usize, usize> {
        let mut at = 0;
        while let Some(block) = bytes.get(at..at + 16) {
            let found = u8x16_bitmask(hits(load(block)));
            if found != 0 {
                return Ok(at + found.trailing_zeros() as usize);
            }
            at += 16;
        }
        Err(at)
    }

    /// The index of the first byte of `bytes` equal to `a` or `b`.
    #[inline(never)]
    pub fn find_either(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
        let (fill_a, fill_b) = (u8x16_splat(a), u8x16_splat(b));
        match first(bytes, |v| v128_or(u8x16_eq(v, fill_a), u8x16_eq(v, fill_b))) {
            Ok(found) => Some(found),
            Err(at) => bytes[at..]
                .iter()
                .position(|&c| c == a || c == b)
                .map(|p| at + p),
        }
    }

    /// How many of the leading bytes of `bytes` are ASCII other than NUL.
    #[inline(never)]
    pub fn plain_prefix(bytes: &[u8]) -> usize {
        // A byte's high bit is set when it is not ASCII, and by the compare when it is NUL.
        match first(bytes, |v| v128_or(v, u8x16_eq(v, u8x16_splat(0)))) {
            Ok(found) => found,
            Err(at) => {
                at + bytes[at..]
                    .iter()
                    .take_while(|&&c| c != 0 && c < 0x80)
                    .count()
            }
        }
    }

    /// The bits of a block's bytes equal to `byte`.
    fn is(v: v128, byte: u8) -> u32 {
        u32::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(byte))))
    }

    /// The bits of a block's escaped bytes, from its `backslashes` (none of them escaped
    /// itself by the block before: `carried`, which becomes whether this block's last
    /// backslash escapes the next block's first byte). Runs of backslashes that start on an
    /// odd bit, then on an even one, escape alternate bytes the other way round (simdjson's
    /// steps).
    fn escaped(backslashes: u32, carried: &mut u32) -> u32 {
        const EVEN: u32 = 0x5555;
        let follows = (backslashes << 1 | *carried) & 0xffff;
        let odd_starts = backslashes & !EVEN & !follows;
        let sum = odd_starts + backslashes;
        *carried = sum >> 16;
        (EVEN ^ (sum << 1)) & follows
    }

    /// Where the JSON array or object whose text starts `bytes` (after its opening bracket)
    /// ends: the index of the bracket that closes it, or the end of `bytes`. Strings are
    /// told apart by a prefix XOR of each block's unescaped quotes; a block whose closing
    /// brackets are fewer than the depth is passed by counting.
    #[inline(never)]
    pub fn value_end(bytes: &[u8]) -> usize {
        // `inside`: all ones while the block before ended inside a string.
        let (mut at, mut carried, mut inside, mut depth) = (0, 0u32, 0u32, 1u32);
        while let Some(block) = bytes.get(at..at + 16) {
            let v = load(block);
            let backslashes = is(v, b'\\') & !carried;
            let mut strings = is(v, b'"') & !escaped(backslashes, &mut carried);
            for shift in [1, 2, 4, 8] {
                strings ^= strings << shift;
            }
            strings = (strings ^ inside) & 0xffff;
            inside = 0u32.wrapping_sub(strings >> 15);
            // `[` and `]` are `{` and `}` without the 0x20 bit.
            let folded = v128_or(v, u8x16_splat(0x20));
            let (opens, closes) = (is(folded, b'{') & !strings, is(folded, b'}') & !strings);
            if closes.count_ones() < depth {
                depth = depth + opens.count_ones() - closes.count_ones();
                at += 16;
                continue;
            }
            let mut marks = opens | closes;
            while marks != 0 {
                let bit = marks.trailing_zeros();
                if closes >> bit & 1 == 0 {
                    depth += 1;
                } else if depth == 1 {
                    return at + bit as usize;
                } else {
                    depth -= 1;
                }
                marks &= marks - 1;
            }
            at += 16;
        }
        super::value_end_from(bytes, at, inside != 0, carried != 0, depth)
    }

    // The error bits of the UTF-8 check (Keiser and Lemire, "Validating UTF-8 in less than
    // one instruction per byte", 2021): each is set in a table for the first byte's high
    // nibble, one for its low nibble and one for the next byte's high nibble, and a pair
    // of bytes is an error where the three agree.
    const TOO_SHORT: u8 = 1; // a lead byte or ASCII after a lead byte
    const TOO_LONG: u8 = 2; // a continuation after ASCII
    const OVERLONG_3: u8 = 4; // 11100000 100_____
    const TOO_LARGE: u8 = 8; // above U+10FFFF
    const SURROGATE: u8 = 16; // 11101101 101_____
    const OVERLONG_2: u8 = 32; // 1100000_ 10______
    const TOO_LARGE_1000: u8 = 64; // 11110101.. 1000____, and 11110000 1000____ (overlong)
    const TWO_CONTS: u8 = 128; // a continuation after a continuation
    const CARRY: u8 = TOO_SHORT | TOO_LONG | TWO_CONTS;
    const LARGE: u8 = CARRY | TOO_LARGE | TOO_LARGE_1000;

    const FIRST_HIGH: [u8; 16] = [
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TOO_LONG,
        TWO_CONTS,
        TWO_CONTS,
        TWO_CONTS,
        TWO_CONTS,
        TOO_SHORT | OVERLONG_2,
        TOO_SHORT,
        TOO_SHORT | OVERLONG_3 | SURROGATE,
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000,
    ];
    const FIRST_LOW: [u8; 16] = [
        CARRY | OVERLONG_3 | OVERLONG_2 | TOO_LARGE_1000,
        CARRY | OVERLONG_2,
        CARRY,
        CARRY,
        CARRY | TOO_LARGE,
        LARGE,
        LARGE,
        LARGE,
        LARGE,
        LARGE,
        LARGE,
        LARGE,
        LARGE,
        LARGE | SURROGATE,
        LARGE,
        LARGE,
    ];
    const SECOND_HIGH: [u8; 16] = [
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
        TOO_SHORT,
    ];

    /// The error bits of the 16 bytes `input`, which follow `previous` in the text.
    fn errors(input: v128, previous: v128) -> v128 {
        let table = |bytes: [u8; 16], index: v128| u8x16_swizzle(load(&bytes), index);
        let prev1 = i8x16_shuffle::<15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30>(
            previous, input,
        );
        let prev2 = i8x16_shuffle::<14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29>(
            previous, input,
        );
        let prev3 = i8x16_shuffle::<13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28>(
            previous, input,
        );
        let pairs = v128_and(
            v128_and(
                table(FIRST_HIGH, u8x16_shr(prev1, 4)),
                table(FIRST_LOW, v128_and(prev1, u8x16_splat(0x0f))),
            ),
            table(SECOND_HIGH, u8x16_shr(input, 4)),
        );
        // Where the byte two back leads three bytes or more, or the byte three back four,
        // this one must be a continuation: TWO_CONTS there is expected, not an error.
        let third = u8x16_sub_sat(prev2, u8x16_splat(0xe0 - 0x80));
        let fourth = u8x16_sub_sat(prev3, u8x16_splat(0xf0 - 0x80));
        let must_continue = v128_and(v128_or(third, fourth), u8x16_splat(0x80));
        v128_xor(must_continue, pairs)
    }

    /// `bytes` as text, if they are UTF-8.
    #[inline(never)]
    pub fn utf8(bytes: &[u8]) -> Option<&str> {
        let (mut error, mut previous) = (u8x16_splat(0), u8x16_splat(0));
        let blocks = bytes.chunks_exact(16);
        // The zero-padded tail, always checked: a character cut off at the end meets ASCII.
        let mut tail = [0; 16];
        tail[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
        // Where the block before ended inside a character (its last three bytes lead one too
        // long for what follows them in it).
        let mut incomplete = u8x16_splat(0);
        let ends = u8x16(
            255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0xef, 0xdf, 0xbf,
        );
        for block in blocks.chain([&tail[..]]) {
            let input = load(block);
            if u8x16_bitmask(input) == 0 {
                // All ASCII: wrong only where it cuts a character short.
                error = v128_or(error, incomplete);
                incomplete = u8x16_splat(0);
            } else {
                error = v128_or(error, errors(input, previous));
                incomplete = u8x16_sub_sat(input, ends);
            }
            previous = input;
        }
        if v128_any_true(error) {
            return None;
        }
        // SAFETY: checked above to be UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    }
}

#[cfg(test)]
mod tests {
    use super::{find_either, plain_prefix};

    #[test]
    fn finds_the_first_of_either_byte_at_every_offset() {
        for len in 0..40 {
            for at in 0..len {
                for (byte, other) in [(b'\n', b'\r'), (b'\r', b'\n')] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = byte;
                    if at + 1 < len {
                        bytes[at + 1] = other;
                    }
                    assert_eq!(find_either(&bytes, b'\n', b'\r'), Some(at), "{len} {at}");
                }
            }
            assert_eq!(find_either(&vec![b'x'; len], b'\n', b'\r'), None);
        }
        // Bytes just above and below the ones looked for, and high bytes, are not matches.
        let tricky = [0x0b, 0x0c, 0x0e, 0x09, 0x80, 0xff, 0x8a, 0x8d, b'\r'];
        assert_eq!(find_either(&tricky, b'\n', b'\r'), Some(8));
        assert_eq!(find_either("é—\"".as_bytes(), b'"', b'\\'), Some(5));
    }

    #[test]
    fn splits_as_the_standard_library_does() {
        for text in [
            "",
            ",",
            "a",
            "a,b",
            ",a,,b,",
            "é,日,🦀",
            "no separator at all here",
        ] {
            let split: Vec<&str> = super::split_ascii(text, b',').collect();
            assert_eq!(split, text.split(',').collect::<Vec<_>>(), "{text:?}");
            assert_eq!(super::split_once_ascii(text, b','), text.split_once(','));
        }
    }

    #[test]
    fn values_end_at_their_closing_bracket_whatever_their_strings_hold() {
        for pad in 0..20 {
            let x = "x".repeat(pad);
            let value = format!(r#"1,{{"a":"{x}]}}\"\\"}},["}}",[{x}]],"\\"]"#);
            let text = format!("{value}]{x}");
            assert_eq!(super::value_end(text.as_bytes()), value.len() - 1, "{text}");
            assert_eq!(
                super::value_end(value.as_bytes()),
                value.len() - 1,
                "{value}"
            );
            assert_eq!(super::value_end(b"[1,{"), 4, "unclosed");
        }
    }

    #[test]
    fn plain_prefixes_stop_at_the_first_nul_or_non_ascii_byte() {
        for len in 0..40 {
            assert_eq!(plain_prefix(&vec![b'a'; len]), len);
            for at in 0..len {
                for stop in [0, 0x80, 0xc3, 0xff] {
                    let mut bytes = vec![0x7f; len];
                    bytes[at] = stop;
                    assert_eq!(plain_prefix(&bytes), at, "{len} {at} {stop}");
                }
            }
        }
    }
}
