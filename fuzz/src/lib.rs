//! Differential checking of Kiln's modes on generated modules: the module
//! generator, the per-mode runner, the comparer, and the seeded driver that
//! `kiln-fuzz differential --seeds A..B` and the cargo-fuzz targets share;
//! plus the checks behind the other targets: mutated artifacts through the
//! loader, arbitrary bytes through validation and translation, and WASI
//! calls against a sandbox.

pub mod artifact;
pub mod compare;
pub mod corpus;
pub mod differential;
pub mod execute;
pub mod generate;
pub mod validate;
pub mod values;
pub mod wasi;
