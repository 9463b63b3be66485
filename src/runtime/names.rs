//! Generated names the way Kubernetes makes them: `backend-5d9f8b7c6d` for a ReplicaSet (the
//! pod-template-hash) and `backend-5d9f8b7c6d-x7k2q` for its pods.

/// The alphabet of `k8s.io/apimachinery/pkg/util/rand`: no vowels (no words), no look-alikes.
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `n` random characters from [`ALPHANUMS`], the suffix of `generateName`.
pub fn random_suffix(n: usize) -> String {
    (0..n)
        .map(|_| ALPHANUMS[rand::random_range(0..ALPHANUMS.len())] as char)
        .collect()
}

/// Like Kubernetes' `SafeEncodeString`: each character mapped into [`ALPHANUMS`].
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// 32-bit FNV-1a, the hash Kubernetes uses for pod-template-hash.
pub fn fnv32a(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in data {
        h ^= *b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// The pod-template-hash of a pod template (its JSON form), e.g. `5d9f8b7c6d`.
pub fn template_hash(template: &serde_json::Value, collision_count: i32) -> String {
    let mut data = serde_json::to_vec(template).unwrap_or_default();
    if collision_count > 0 {
        data.extend_from_slice(&collision_count.to_le_bytes());
    }
    safe_encode(&fnv32a(&data).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_reference_vectors() {
        assert_eq!(fnv32a(b""), 0x811c9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c292c);
        assert_eq!(fnv32a(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn names_use_the_safe_alphabet() {
        let s = random_suffix(5);
        assert_eq!(s.len(), 5);
        assert!(s.bytes().all(|b| ALPHANUMS.contains(&b)));
        let h = template_hash(&serde_json::json!({"a": 1}), 0);
        assert!(h.len() >= 8 && h.len() <= 10, "{h}");
        assert_eq!(h, template_hash(&serde_json::json!({"a": 1}), 0));
        assert_ne!(h, template_hash(&serde_json::json!({"a": 2}), 0));
    }
}
