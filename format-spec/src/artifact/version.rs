//! The artifact format version and the rule deciding which versions a
//! runtime reads.
//!
//! A version is a `major.minor` pair. A runtime reads an artifact when the
//! majors are equal and the artifact's minor is not newer than its own.
//! Within one major, a minor bump may only add things an older artifact
//! never contains (new optional sections, new enum variants appended at the
//! end, new allowed relocation kinds or libcalls); it never changes how an
//! existing field is encoded. Anything else is a major bump.

use std::fmt;

use super::ArtifactError;

/// A `major.minor` artifact format version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FormatVersion {
    /// Bumped by any change an older reader would misread.
    pub major: u16,
    /// Bumped by additions that older artifacts never use.
    pub minor: u16,
}

/// The format version this crate writes and reads: 3.0 (3.0: the XXH64
/// checksum and function names in `.kiln.names`, decoded on first use;
/// 2.0: the prelinked image, `.kiln.image` and the `.got` table; 1.1
/// added the optional `.kiln.sites`).
pub const FORMAT_VERSION: FormatVersion = FormatVersion { major: 3, minor: 0 };

impl FormatVersion {
    /// Whether a reader at version `reader` may read an artifact at `self`:
    /// equal majors, and `self.minor <= reader.minor`.
    pub fn is_readable_by(self, reader: FormatVersion) -> bool {
        self.major == reader.major && self.minor <= reader.minor
    }

    /// [`is_readable_by`](Self::is_readable_by) as a check, failing with
    /// [`ArtifactError::UnsupportedVersion`].
    pub fn check_readable_by(self, reader: FormatVersion) -> Result<(), ArtifactError> {
        if self.is_readable_by(reader) {
            Ok(())
        } else {
            Err(ArtifactError::UnsupportedVersion {
                found: self,
                supported: reader,
            })
        }
    }
}

impl fmt::Display for FormatVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u16, minor: u16) -> FormatVersion {
        FormatVersion { major, minor }
    }

    #[test]
    fn same_major_older_or_equal_minor_is_readable() {
        assert!(v(1, 0).is_readable_by(v(1, 0)));
        assert!(v(1, 0).is_readable_by(v(1, 3)));
        assert!(v(1, 3).is_readable_by(v(1, 3)));
        assert!(!v(1, 4).is_readable_by(v(1, 3)));
        assert!(!v(2, 0).is_readable_by(v(1, 9)));
        assert!(!v(0, 9).is_readable_by(v(1, 9)));
    }

    #[test]
    fn refusal_names_both_versions() {
        let err = v(2, 1).check_readable_by(v(1, 3)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unsupported artifact format version 2.1: this runtime reads \
             versions 1.0 through 1.3; recompile the module with a matching kilnc"
        );
    }
}
