//! Reading a module file, binary or text, with errors on one line.

use kiln_runtime::{Engine, Module};
use std::path::Path;

/// Whether `bytes` look like an artifact (ELF, or a WAMR file the loader
/// recognises and refuses by name).
fn is_artifact(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF") || bytes.starts_with(b"\0aot")
}

/// Which AOT artifact may stand in for a wasm file.
#[derive(Clone, Copy, Debug)]
pub enum ArtifactUse<'a> {
    /// This one (`--aot PATH`).
    Given(&'a Path),
    /// The file's `.aot` sibling, when it exists (no mode was asked for).
    Sibling,
    /// None: a running mode was asked for, and it wins.
    Never,
}

/// Loads the module in `path`: an AOT artifact, or wasm (binary if it has
/// the `.wasm` extension or starts with the wasm magic, text otherwise).
/// For wasm, the artifact `aot` allows is used when it matches the wasm and
/// this host; otherwise a one-line warning says why and the wasm runs
/// without it.
pub fn read_module(engine: &Engine, path: &Path, aot: ArtifactUse) -> Result<Module, String> {
    let cannot_read = |e: std::io::Error| format!("cannot read `{}`: {e}", path.display());
    if is_artifact(&magic(path).map_err(cannot_read)?) {
        if let ArtifactUse::Never = aot {
            return Err(format!(
                "`{}` is an AOT artifact: it runs as compiled, without a mode flag",
                path.display()
            ));
        }
        // Mapped, not read: only the pages that run are read in.
        return Module::from_artifact_file(engine, path, None)
            .map_err(|e| format!("{}: {e}", path.display()));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    read_wasm_module(engine, path, bytes, aot)
}

/// The first four bytes of the file at `path` (fewer if it is shorter).
fn magic(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut magic = Vec::with_capacity(4);
    std::fs::File::open(path)?.take(4).read_to_end(&mut magic)?;
    Ok(magic)
}

/// An artifact-only build refuses wasm, binary or text.
#[cfg(not(feature = "wasm"))]
fn read_wasm_module(
    _engine: &Engine,
    path: &Path,
    _bytes: Vec<u8>,
    _aot: ArtifactUse,
) -> Result<Module, String> {
    Err(format!(
        "{}: this build of kiln runs only AOT artifacts; compile the wasm with kilnc",
        path.display()
    ))
}

/// The module of wasm file `path`, with the artifact `aot` allows when it matches.
#[cfg(feature = "wasm")]
fn read_wasm_module(
    engine: &Engine,
    path: &Path,
    bytes: Vec<u8>,
    aot: ArtifactUse,
) -> Result<Module, String> {
    let wasm = read_wasm(path, bytes)?;
    let artifact = match aot {
        ArtifactUse::Given(p) => Some(p.to_path_buf()),
        ArtifactUse::Sibling => Some(path.with_extension("aot")).filter(|s| s.is_file()),
        ArtifactUse::Never => None,
    };
    if let Some(a) = artifact {
        match Module::from_artifact_file(engine, &a, Some(&wasm)) {
            Ok(m) => return Ok(m),
            Err(e) => eprintln!("kiln: warning: not using `{}`: {e}", a.display()),
        }
    }
    Module::new(engine, &wasm).map_err(|e| e.to_string())
}

/// The wasm binary in `bytes`, converting text.
#[cfg(feature = "wasm")]
fn read_wasm(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let binary = bytes.starts_with(b"\0asm") || path.extension().is_some_and(|x| x == "wasm");
    if binary {
        return Ok(bytes);
    }
    text_to_wasm(path, &bytes)
}

#[cfg(feature = "wat")]
fn text_to_wasm(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, String> {
    Ok(wat::Parser::new()
        .parse_bytes(Some(path), bytes)
        .map_err(|e| one_line(&e.to_string()))?
        .into_owned())
}

#[cfg(all(feature = "wasm", not(feature = "wat")))]
fn text_to_wasm(path: &Path, _bytes: &[u8]) -> Result<Vec<u8>, String> {
    Err(format!(
        "{}: not a wasm binary, and this build of kiln reads no text format (feature `wat`)",
        path.display()
    ))
}

/// A text-format error (message, then a `--> file:line:col` line and a
/// source excerpt) as `file:line:col: message`.
pub fn one_line(err: &str) -> String {
    let mut lines = err.lines();
    let message = lines.next().unwrap_or_default().trim();
    match lines.find_map(|l| l.trim().strip_prefix("--> ")) {
        Some(location) => format!("{location}: {message}"),
        None => message.to_string(),
    }
}

#[cfg(all(test, feature = "wat"))]
mod tests {
    use super::*;

    #[test]
    fn text_errors_become_one_line_with_their_position() {
        let err = wat::Parser::new()
            .parse_bytes(Some(Path::new("x.wat")), b"(module\n  (func (i32.const)))")
            .unwrap_err();
        let line = one_line(&err.to_string());
        assert!(line.starts_with("x.wat:2:"), "{line}");
        assert!(!line.contains('\n'));
        assert_eq!(one_line("plain"), "plain");
    }

    #[test]
    fn a_truncated_binary_names_the_offset() {
        let dir = std::env::temp_dir().join(format!("kiln-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cut.wasm");
        std::fs::write(&path, b"\0asm\x01\0\0\0\x01\x05").unwrap();
        let err = read_module(&Engine::default(), &path, ArtifactUse::Sibling)
            .err()
            .unwrap();
        assert!(err.starts_with("invalid module at offset 0x"), "{err}");
        let missing = read_module(
            &Engine::default(),
            &dir.join("none.wasm"),
            ArtifactUse::Sibling,
        )
        .err()
        .unwrap();
        assert!(missing.starts_with("cannot read `"), "{missing}");
    }
}
