//! The set of event ids a stream delivered, built for one insert per event: the ids are
//! kept back to back in one string and found through an open-addressing table of their
//! hashes, so recording one allocates nothing but amortised growth, and growing rehashes no
//! text. (A `HashSet<String>` cost the npm package's stream ~280 ns an event, most of it
//! there.)

use std::ops::Range;

/// The ids of the events a stream delivered: a stream's only de-duplication (the session
/// machine it feeds trusts it).
#[derive(Debug, Default, Clone)]
pub struct SeenIds {
    /// Every id recorded, back to back.
    text: String,
    /// Where each recorded id is in `text` ([`FORGOTTEN`] once forgotten).
    spans: Vec<Range<u32>>,
    /// Open addressing, linear probing, at most half full: 0 is a free slot, else the
    /// id's hash in the high half and its place in `spans` plus one in the low half.
    slots: Vec<u64>,
}

/// The span of a forgotten id: it matches no text.
const FORGOTTEN: Range<u32> = u32::MAX..u32::MAX;

impl SeenIds {
    /// Records `id`; `false` when it was delivered before.
    pub fn insert(&mut self, id: &str) -> bool {
        let hash = hash(id);
        let Err(mut slot) = self.find(id, hash) else {
            return false;
        };
        if 2 * (self.spans.len() + 1) > self.slots.len() {
            self.grow();
            slot = self.find(id, hash).err().unwrap_or_default();
        }
        let start = self.text.len() as u32;
        self.text.push_str(id);
        self.spans.push(start..self.text.len() as u32);
        self.slots[slot] = u64::from(hash) << 32 | self.spans.len() as u64;
        true
    }

    /// Forgets `id` (its copy could not be parsed, so a good one is still delivered).
    pub fn remove(&mut self, id: &str) {
        if let Ok(span) = self.find(id, hash(id)) {
            self.spans[span] = FORGOTTEN;
        }
    }

    /// Whether `id` was delivered.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id, hash(id)).is_ok()
    }

    /// The place of `id` in `spans`, or the free slot where the probe for it ended.
    fn find(&self, id: &str, hash: u32) -> Result<usize, usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return Err(slot);
            }
            let span = (entry as u32 - 1) as usize;
            if (entry >> 32) as u32 == hash {
                let range = self.spans[span].clone();
                if self.text.get(range.start as usize..range.end as usize) == Some(id) {
                    return Ok(span);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Doubles the table (at least 16 slots), placing every entry again by its hash.
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(16);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = self.slots.len() - 1;
        for entry in old.into_iter().filter(|&entry| entry != 0) {
            let mut slot = (entry >> 32) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = entry;
        }
    }
}

/// An id's hash: FxHash's multiply and rotate, eight bytes a step. Ids come from the API
/// the client already trusts, so SipHash's flooding resistance buys nothing here.
fn hash(id: &str) -> u32 {
    let step =
        |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    let mut words = id.as_bytes().chunks_exact(8);
    let mut hash = 0;
    for word in &mut words {
        hash = step(
            hash,
            u64::from_le_bytes(word.try_into().unwrap_or_default()),
        );
    }
    let mut tail = [0; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = step(hash, u64::from_le_bytes(tail) ^ id.len() as u64);
    // The high bits, which the multiplies mix most.
    (hash >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::SeenIds;
    use std::collections::HashSet;

    #[test]
    fn records_forgets_and_finds_as_a_hash_set_does() {
        let mut seen = SeenIds::default();
        let mut model = HashSet::new();
        let mut state = 1u64;
        for round in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            // Ids of every length from a small pool, so some repeat; the empty id too.
            let id = format!("sevt_{}", state >> 50).repeat((state >> 40) as usize % 3);
            if round % 7 == 0 {
                seen.remove(&id);
                model.remove(&id);
            } else {
                assert_eq!(seen.insert(&id), model.insert(id.clone()), "{id}");
            }
            assert!(model.iter().take(3).all(|id| seen.contains(id)));
            assert_eq!(seen.contains(&id), model.contains(&id), "{id}");
        }
        assert!(model.len() > 1000, "the table grew many times");
    }
}
