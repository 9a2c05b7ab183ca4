//! Diagnostics selected with `KILN_LOG` (a comma-separated list of topics,
//! e.g. `KILN_LOG=jit`), printed to stderr.

use std::sync::OnceLock;

/// Whether `topic` was asked for in `KILN_LOG` (read once per process).
pub fn enabled(topic: &str) -> bool {
    static TOPICS: OnceLock<Vec<String>> = OnceLock::new();
    TOPICS
        .get_or_init(|| {
            std::env::var("KILN_LOG")
                .unwrap_or_default()
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .iter()
        .any(|t| t == topic || t == "all")
}
