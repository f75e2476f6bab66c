//! Finding a byte fast, eight at a time (SWAR): the SSE decoder's line ends and the
//! envelope scan's string ends, on every target (wasm32 has no `memchr` of its own).

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// A word whose high bit is set in each byte of `word` that is zero (the lowest set bit is
/// exact; bits above it may be false positives, which `find_either` never reads).
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(LO) & !word & HI
}

/// The index of the first byte of `bytes` equal to `a` or `b`. (Not inlined: one copy
/// serves both callers in the npm package's size-budgeted wasm.)
#[inline(never)]
pub fn find_either(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    let (fill_a, fill_b) = (LO * u64::from(a), LO * u64::from(b));
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero_bytes(word ^ fill_a) | zero_bytes(word ^ fill_b);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&c| c == a || c == b)
        .map(|p| at + p)
}

#[cfg(test)]
mod tests {
    use super::find_either;

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
}
