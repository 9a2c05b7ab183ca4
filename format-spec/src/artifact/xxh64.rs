//! XXH64 (seed 0), fed piece by piece: the artifact checksum's hash.
//!
//! Four 64-bit lanes each take one 8-byte word of every 32-byte stripe
//! (multiply, rotate, multiply), so the hash runs at well under one
//! instruction per byte on any 64-bit CPU without special instructions;
//! the tail and the final mix follow the published algorithm, whose test
//! vectors the tests below check.

const P1: u64 = 0x9e37_79b1_85eb_ca87;
const P2: u64 = 0xc2b2_ae3d_27d4_eb4f;
const P3: u64 = 0x1656_67b1_9e37_79f9;
const P4: u64 = 0x85eb_ca77_c2b2_ae63;
const P5: u64 = 0x27d4_eb2f_1656_67c5;

const STRIPE: usize = 32;

fn round(acc: u64, word: u64) -> u64 {
    acc.wrapping_add(word.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn merge(hash: u64, lane: u64) -> u64 {
    (hash ^ round(0, lane)).wrapping_mul(P1).wrapping_add(P4)
}

fn word(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

/// The hash of the bytes given so far.
#[derive(Clone, Debug)]
pub struct Xxh64 {
    lanes: [u64; 4],
    /// The start of a stripe not yet complete.
    pending: [u8; STRIPE],
    pending_len: usize,
    total: u64,
}

impl Default for Xxh64 {
    fn default() -> Self {
        Xxh64 {
            lanes: [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)],
            pending: [0; STRIPE],
            pending_len: 0,
            total: 0,
        }
    }
}

impl Xxh64 {
    fn stripe(&mut self, bytes: &[u8]) {
        for (i, lane) in self.lanes.iter_mut().enumerate() {
            *lane = round(*lane, word(bytes, i * 8));
        }
    }

    /// Adds `bytes` after those given before.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (STRIPE - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < STRIPE {
                return;
            }
            let stripe = self.pending;
            self.stripe(&stripe);
            self.pending_len = 0;
        }
        let mut stripes = bytes.chunks_exact(STRIPE);
        for s in &mut stripes {
            self.stripe(s);
        }
        let rest = stripes.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// The hash of every byte given.
    pub fn finish(&self) -> u64 {
        let [v1, v2, v3, v4] = self.lanes;
        let mut h = if self.total >= STRIPE as u64 {
            let h = v1
                .rotate_left(1)
                .wrapping_add(v2.rotate_left(7))
                .wrapping_add(v3.rotate_left(12))
                .wrapping_add(v4.rotate_left(18));
            self.lanes.iter().fold(h, |h, &lane| merge(h, lane))
        } else {
            P5
        };
        h = h.wrapping_add(self.total);
        let tail = &self.pending[..self.pending_len];
        let mut at = 0;
        while at + 8 <= tail.len() {
            h = (h ^ round(0, word(tail, at)))
                .rotate_left(27)
                .wrapping_mul(P1)
                .wrapping_add(P4);
            at += 8;
        }
        if at + 4 <= tail.len() {
            let mut w = [0u8; 4];
            w.copy_from_slice(&tail[at..at + 4]);
            h = (h ^ u64::from(u32::from_le_bytes(w)).wrapping_mul(P1))
                .rotate_left(23)
                .wrapping_mul(P2)
                .wrapping_add(P3);
            at += 4;
        }
        for &b in &tail[at..] {
            h = (h ^ u64::from(b).wrapping_mul(P5))
                .rotate_left(11)
                .wrapping_mul(P1);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(P2);
        h ^= h >> 29;
        h = h.wrapping_mul(P3);
        h ^ (h >> 32)
    }
}

/// XXH64 with seed 0 of `bytes`.
pub fn xxh64(bytes: &[u8]) -> u64 {
    let mut h = Xxh64::default();
    h.update(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_test_vectors() {
        assert_eq!(xxh64(b""), 0xef46_db37_51d8_e999);
        assert_eq!(xxh64(b"a"), 0xd24e_c4f1_a98c_6e5b);
        assert_eq!(xxh64(b"abc"), 0x44bc_2cf5_ad77_0999);
        assert_eq!(xxh64(b"foo"), 0x33bf_00a8_59c4_ba3f);
        assert_eq!(xxh64(b"xxhash"), 0x32dd_3895_2c4b_c720);
        assert_eq!(
            xxh64(b"abcdefghijklmnopqrstuvwxyz12345"),
            0x4676_0590_1b01_d6f6
        );
        assert_eq!(
            xxh64(b"0123456789abcdefghijklmnopqrstuvwxyz"),
            0x6919_6c1b_3af0_bff9
        );
    }

    #[test]
    fn any_split_gives_the_same_hash() {
        let data: Vec<u8> = (0u32..200)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        let whole = xxh64(&data);
        for a in [0, 1, 7, 31, 32, 33, 64, 100, 199, 200] {
            for b in [a, a + 1, a + 32, 150, 200] {
                let b = b.clamp(a, data.len());
                let mut h = Xxh64::default();
                h.update(&data[..a]);
                h.update(&data[a..b]);
                h.update(&data[b..]);
                assert_eq!(h.finish(), whole, "{a} {b}");
            }
        }
    }
}
