//! The hash identifying the wasm an artifact was compiled from.

use sha2::{Digest, Sha256};

/// SHA-256 of the wasm binary `bytes`, exactly as given (custom sections
/// included).
pub fn wasm_hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::error::hex;

    #[test]
    fn matches_known_sha256_vectors() {
        assert_eq!(
            hex(&wasm_hash(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&wasm_hash(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
