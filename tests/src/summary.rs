//! Counting passes and failures of a file or of a whole run.

use std::fmt;

/// The outcome of one file or of a whole run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Assertions that held.
    pub passed: usize,
    /// Assertions (or other directives) that failed.
    pub failed: usize,
    /// Directives deliberately not run.
    pub skipped: usize,
    /// One description per failure: `file:line:col: reason`.
    pub failures: Vec<String>,
}

impl Summary {
    /// Records one failure.
    pub fn fail(&mut self, description: String) {
        self.failed += 1;
        self.failures.push(description);
    }

    /// Adds `other`'s counts and failures to this summary.
    pub fn absorb(&mut self, other: Summary) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.failures.extend(other.failures);
    }
}

/// `N passed, M failed`, with `, K skipped` only when something was skipped.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)?;
        if self.skipped > 0 {
            write!(f, ", {} skipped", self.skipped)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_only_shows_when_nonzero() {
        let mut s = Summary {
            passed: 3,
            ..Summary::default()
        };
        s.fail("a.wast:1:1: boom".into());
        assert_eq!(s.to_string(), "3 passed, 1 failed");
        s.absorb(Summary {
            skipped: 2,
            ..Summary::default()
        });
        assert_eq!(s.to_string(), "3 passed, 1 failed, 2 skipped");
        assert_eq!(s.failures.len(), 1);
    }
}
