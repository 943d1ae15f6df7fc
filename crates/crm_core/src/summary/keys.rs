//! A compact byte form of ascending distinct keys with counts, for the serialized summaries
//! (what parallel workers and Citus ship, and what a stored summary holds).
//!
//! A key is `N` u64 components (integers and the bits of non-negative floats, whose order is the
//! numbers' order). Each row is: one byte p = how many leading components equal the previous
//! key's; component p as a LEB128 varint of its increase over the previous key's (the component
//! itself for the first row); components p + 1.. as 8 little-endian bytes each; the count as a
//! varint. Sorted keys share prefixes and climb in small steps, so a BG/NBD row takes about 8 to 18
//! bytes instead of 32.

use crate::error::{CrmError, CrmResult};

fn put_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends the rows (ascending, distinct keys) to `out`.
pub fn encode<const N: usize>(rows: impl Iterator<Item = ([u64; N], u64)>, out: &mut Vec<u8>) {
    let mut prev: Option<[u64; N]> = None;
    for (key, count) in rows {
        let p = prev.map_or(0, |prev| key.iter().zip(&prev).take_while(|(a, b)| a == b).count());
        debug_assert!(p < N, "keys are distinct");
        out.push(p as u8);
        put_varint(key[p] - prev.map_or(0, |prev| prev[p]), out);
        for c in &key[p + 1..] {
            out.extend_from_slice(&c.to_le_bytes());
        }
        put_varint(count, out);
        prev = Some(key);
    }
}

/// Reads back `n` rows written by [`encode`] from the start of `bytes`, passing each to `row`
/// (which may reject it); returns the bytes read. Errors (22023) on truncated or malformed input,
/// including keys that do not ascend strictly and zero counts.
pub fn decode<const N: usize>(bytes: &[u8], n: u64, mut row: impl FnMut(u64, [u64; N], u64) -> CrmResult<()>) -> CrmResult<usize> {
    let bad = |i: u64, what: &str| CrmError::invalid("invalid serialized summary").with_detail(format!("row {i}: {what}"));
    let mut pos = 0usize;
    let byte = |pos: &mut usize, i: u64| -> CrmResult<u8> {
        let b = *bytes.get(*pos).ok_or_else(|| bad(i, "truncated"))?;
        *pos += 1;
        Ok(b)
    };
    let mut prev: Option<[u64; N]> = None;
    for i in 0..n {
        let p = usize::from(byte(&mut pos, i)?);
        if p >= N || (prev.is_none() && p != 0) {
            return Err(bad(i, "bad shared prefix"));
        }
        let varint = |pos: &mut usize| -> CrmResult<u64> {
            let mut v = 0u64;
            for shift in (0..64).step_by(7) {
                let b = byte(pos, i)?;
                let part = u64::from(b & 0x7f);
                if shift == 63 && part > 1 {
                    return Err(bad(i, "varint overflow"));
                }
                v |= part << shift;
                if b & 0x80 == 0 {
                    return Ok(v);
                }
            }
            Err(bad(i, "varint too long"))
        };
        let step = varint(&mut pos)?;
        let mut key = prev.unwrap_or([0; N]);
        if prev.is_some() && step == 0 {
            return Err(bad(i, "keys do not ascend"));
        }
        key[p] = key[p].checked_add(step).ok_or_else(|| bad(i, "key overflow"))?;
        for c in key.iter_mut().skip(p + 1) {
            let raw = bytes.get(pos..pos + 8).ok_or_else(|| bad(i, "truncated"))?;
            *c = u64::from_le_bytes(raw.try_into().expect("8 bytes"));
            pos += 8;
        }
        let count = varint(&mut pos)?;
        if count == 0 {
            return Err(bad(i, "zero count"));
        }
        row(i, key, count)?;
        prev = Some(key);
    }
    Ok(pos)
}

/// The u64 (little-endian) at offset `o`: the header fields of the serialized summaries.
pub(crate) fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().expect("8 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_bytes() {
        let mut out = Vec::new();
        encode([([1u64, 5], 1u64), ([1, 300], 2), ([2, 0], 1)].into_iter(), &mut out);
        // row 1: p 0, 1, then 5 raw, count 1; row 2: p 1, 295 = 0xa7 0x02, count 2; row 3: p 0, 1, 0 raw, 1
        assert_eq!(
            out,
            [vec![0, 1], 5u64.to_le_bytes().to_vec(), vec![1, 1, 0xa7, 0x02, 2, 0, 1], 0u64.to_le_bytes().to_vec(), vec![1]].concat()
        );
        let mut back = Vec::new();
        assert_eq!(
            decode::<2>(&out, 3, |_, k, c| {
                back.push((k, c));
                Ok(())
            })
            .unwrap(),
            out.len()
        );
        assert_eq!(back, [([1, 5], 1), ([1, 300], 2), ([2, 0], 1)]);
    }

    #[test]
    fn rejects_malformed_input() {
        let mut out = Vec::new();
        encode([([7u64], 3u64), ([9], 1)].into_iter(), &mut out);
        let ok = |b: &[u8], n| decode::<1>(b, n, |_, _, _| Ok(())).is_ok();
        assert!(ok(&out, 2));
        assert!(!ok(&out[..out.len() - 1], 2), "truncated");
        assert!(!ok(&out, 3), "more rows than written");
        assert!(!ok(&[0, 7, 0], 1), "zero count");
        assert!(!ok(&[0, 7, 1, 0, 0, 1], 2), "a repeated key");
        assert!(!ok(&[1, 7, 1], 1), "a prefix on the first row");
        assert!(!ok(&[0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1], 1), "varint overflow");
    }

    proptest! {
        #[test]
        fn round_trip(mut keys in proptest::collection::vec((0u64..5, any::<u64>(), 1u64..1000), 0..200)) {
            keys.sort();
            keys.dedup_by_key(|k| (k.0, k.1));
            let rows: Vec<([u64; 2], u64)> = keys.iter().map(|&(a, b, c)| ([a, b], c)).collect();
            let mut out = Vec::new();
            encode(rows.iter().copied(), &mut out);
            let mut back = Vec::new();
            prop_assert_eq!(decode::<2>(&out, rows.len() as u64, |_, k, c| {
            back.push((k, c));
            Ok(())
        }).unwrap(), out.len());
            prop_assert_eq!(back, rows);
        }
    }
}
