//! Estimates of the bytes a structure holds on the heap, for charging aggregate states to
//! PostgreSQL's memory accounting. Each is O(1): it reads lengths and capacities only.

/// Bytes of a `BTreeMap<K, V>` (or `BTreeSet<K>` with `V = ()`) of `len` entries: the standard
/// library's nodes hold up to 11 entries and are about two thirds full on average, so an entry
/// costs about 1.5 times its key and value plus its share of the node header and child edges.
pub fn btree_bytes<K, V>(len: usize) -> usize {
    len * ((std::mem::size_of::<K>() + std::mem::size_of::<V>()) * 3 / 2 + 8)
}

/// Bytes of a `Vec<T>` with this capacity.
pub fn vec_bytes<T>(capacity: usize) -> usize {
    capacity * std::mem::size_of::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_grow_with_entries() {
        assert_eq!(btree_bytes::<i64, f64>(0), 0);
        assert_eq!(btree_bytes::<i64, f64>(1000), 32_000);
        assert_eq!(btree_bytes::<String, ()>(10), 440);
        assert_eq!(vec_bytes::<f64>(128), 1024);
    }
}
