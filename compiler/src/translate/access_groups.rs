//! The accesses of a versioned loop grouped by base, so the check before
//! the loop tests each group's span once instead of every access.
//!
//! Two accesses whose addresses differ only in the constant (`T + c₁`,
//! `T + c₂`, the same locals and coefficients) move together. Let `cₘ` be
//! the least constant of a group (as a signed `i32`), `S = zext(T + cₘ)`
//! its start and `dⱼ = cⱼ − cₘ`. If `S + max(dⱼ + offsetⱼ + sizeⱼ)` is at
//! most the memory's length (at most 2³²), then `S + dⱼ < 2³²` for every
//! member, so `T + cⱼ` does not wrap: its address is exactly `S + dⱼ`, and
//! every member's bytes lie between `S` and that end. One comparison per
//! end of the span therefore checks the whole group, in iteration 0 and in
//! any other (the span moves by the common stride).
//!
//! A group spans at most [`MAX_SPREAD`] bytes of constants: a wider one
//! (addresses meant to wrap around 2³²) would fail a check its members
//! pass one by one, so it is split.

use super::affine::{Access, Affine};

/// The widest spread of constants in one group.
const MAX_SPREAD: i64 = 1 << 16;

/// Accesses sharing a base: the span checked before the loop.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Group {
    /// The address of the member with the least constant.
    pub start: Affine,
    /// Bytes advanced per iteration (the same for every member).
    pub stride: Affine,
    /// From `start` to the end of the furthest member's bytes.
    pub width: u64,
    /// Each member: its index among the loop's accesses, and `dⱼ`.
    pub members: Vec<(usize, u64)>,
}

/// Groups `accesses`, in order of each group's first member.
pub(crate) fn groups(accesses: &[Access]) -> Vec<Group> {
    // The accesses of each base (the same locals and coefficients).
    let mut by_base: Vec<Vec<usize>> = Vec::new();
    for (j, a) in accesses.iter().enumerate() {
        let same = |m: &&mut Vec<usize>| accesses[m[0]].address.terms == a.address.terms;
        match by_base.iter_mut().find(same) {
            Some(members) => members.push(j),
            None => by_base.push(vec![j]),
        }
    }
    let constant = |j: usize| i64::from(accesses[j].address.constant as i32);
    let mut out = Vec::new();
    for mut members in by_base {
        members.sort_by_key(|&j| (constant(j), j));
        let mut run: Vec<usize> = Vec::new();
        for j in members {
            if run
                .first()
                .is_some_and(|&f| constant(j) - constant(f) > MAX_SPREAD)
            {
                out.push(group(accesses, &run));
                run.clear();
            }
            run.push(j);
        }
        out.push(group(accesses, &run));
    }
    out.sort_by_key(|g| g.members.iter().map(|m| m.0).min());
    out
}

/// The group of `run` (sorted by constant, not empty).
fn group(accesses: &[Access], run: &[usize]) -> Group {
    let first = &accesses[run[0]];
    let base = first.address.constant as i32;
    let members: Vec<(usize, u64)> = run
        .iter()
        .map(|&j| {
            let c = accesses[j].address.constant as i32;
            (j, (i64::from(c) - i64::from(base)) as u64)
        })
        .collect();
    let width = members
        .iter()
        .map(|&(j, d)| d + accesses[j].offset + accesses[j].size)
        .max()
        .unwrap_or(0);
    Group {
        start: first.address.clone(),
        stride: first.stride.clone(),
        width,
        members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(op: usize, constant: i32, terms: &[(u32, u32)], offset: u64, size: u64) -> Access {
        Access {
            op,
            address: Affine {
                constant: constant as u32,
                terms: terms.to_vec(),
            },
            offset,
            size,
            store: false,
            stride: Affine {
                constant: 4,
                terms: Vec::new(),
            },
        }
    }

    #[test]
    fn constants_apart_share_one_span() {
        // a[i], a[i+1], a[i-1] with i in local 0 (byte addresses), and b[i].
        let a = [
            access(0, 0, &[(0, 4)], 0, 4),
            access(1, 4, &[(0, 4)], 0, 4),
            access(2, -4, &[(0, 4)], 0, 4),
            access(3, 0, &[(1, 1)], 8, 8),
        ];
        let g = groups(&a);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].start.constant, -4i32 as u32);
        assert_eq!(g[0].members, vec![(2, 0), (0, 4), (1, 8)]);
        assert_eq!(g[0].width, 12);
        assert_eq!(g[1].members, vec![(3, 0)]);
        assert_eq!(g[1].width, 16);
    }

    #[test]
    fn the_furthest_end_counts_offsets_and_sizes() {
        let a = [
            access(0, 16, &[(2, 1)], 100, 1),
            access(1, 0, &[(2, 1)], 0, 8),
        ];
        let g = groups(&a);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].members, vec![(1, 0), (0, 16)]);
        assert_eq!(g[0].width, 16 + 100 + 1);
    }

    #[test]
    fn constants_far_apart_are_split() {
        let a = [
            access(0, 0, &[(0, 1)], 0, 4),
            access(1, -8, &[(0, 1)], 0, 4),
            access(2, i32::MIN, &[(0, 1)], 0, 4),
        ];
        let g = groups(&a);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, vec![(1, 0), (0, 8)]);
        assert_eq!(g[1].members, vec![(2, 0)]);
        assert!(g.iter().all(|g| g.width <= MAX_SPREAD as u64 + 4));
    }

    /// Whenever a group's span passes the check (`S + width <= len`),
    /// every member's address is `S + d` exactly and its bytes are in
    /// bounds: the check the loop makes is as strong as one per access.
    #[test]
    fn a_span_in_bounds_puts_every_member_in_bounds() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        const CONSTANTS: [i32; 9] = [0, 1, -4, 8, 4096, -65536, 65536, i32::MAX, i32::MIN];
        let mut passed = 0;
        for _ in 0..20_000 {
            let a: Vec<Access> = (0..1 + next() % 5)
                .map(|op| {
                    let c = CONSTANTS[(next() % 9) as usize].wrapping_add((next() % 3) as i32);
                    access(op as usize, c, &[(0, 1)], next() % 40, 1 << (next() % 4))
                })
                .collect();
            let t = match next() % 3 {
                0 => next() as u32,
                1 => (next() % 70_000) as u32,
                _ => 0u32.wrapping_sub((next() % 70_000) as u32),
            };
            let len = [0u64, 65_536, 1 << 32][(next() % 3) as usize];
            for g in groups(&a) {
                let s = u64::from(t.wrapping_add(g.start.constant));
                if s + g.width > len {
                    continue;
                }
                passed += 1;
                for &(j, d) in &g.members {
                    let exact = u64::from(t.wrapping_add(a[j].address.constant));
                    assert_eq!(exact, s + d, "{a:?} t={t}");
                    assert!(exact + a[j].offset + a[j].size <= len, "{a:?} t={t}");
                }
            }
        }
        assert!(passed > 1000, "{passed}");
    }
}
