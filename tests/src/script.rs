//! Running one `.wast` script: parse it, then run its directives in order,
//! one failure per directive that does not hold.

use crate::directives::{Ctx, Outcome};
use crate::{panics, Mode, Summary};
use std::borrow::Cow;
use std::path::Path;
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::Wast;

/// Reads and runs the script at `path`.
pub fn run_path(path: &Path, mode: Mode) -> Summary {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => run(&name, &text, mode),
            Err(_) => failed(&name, "the script is not valid UTF-8".into()),
        },
        Err(e) => failed(&name, format!("cannot read: {e}")),
    }
}

/// Runs the script `source`; failures are prefixed with `name:line:col`.
pub fn run(name: &str, source: &str, mode: Mode) -> Summary {
    let text = modernize(source);
    let mut lexer = Lexer::new(&text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => return failed(name, syntax_error(&e, &text)),
    };
    let script = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(e) => return failed(name, syntax_error(&e, &text)),
    };
    let mut ctx = match Ctx::new(mode) {
        Ok(c) => c,
        Err(e) => return failed(name, e),
    };
    let mut summary = Summary::default();
    for directive in script.directives {
        let (line, col) = directive.span().linecol_in(&text);
        let failure = match panics::catch(|| ctx.run(directive)) {
            Ok(Ok(Outcome::Passed)) => {
                summary.passed += 1;
                continue;
            }
            Ok(Ok(Outcome::Done)) => continue,
            Ok(Err(reason)) | Err(reason) => reason,
        };
        summary.fail(format!("{name}:{}:{}: {failure}", line + 1, col + 1));
    }
    summary
}

/// A summary of one failure for the whole script.
fn failed(name: &str, reason: String) -> Summary {
    let mut s = Summary::default();
    s.fail(format!("{name}: {reason}"));
    s
}

/// A parser error as `line:col: message`.
fn syntax_error(e: &wast::Error, text: &str) -> String {
    let (line, col) = e.span().linecol_in(text);
    format!("{}:{}: {}", line + 1, col + 1, e.message())
}

/// Rewrites the older `assert_uninstantiable` (which the `wast` crate no
/// longer parses) as the `assert_trap` on a module that replaced it, padded
/// so that every line and column stays where it was.
fn modernize(source: &str) -> Cow<'_, str> {
    const OLD: &str = "(assert_uninstantiable";
    const NEW: &str = "(assert_trap";
    if source.contains(OLD) {
        let padded = format!("{NEW}{}", " ".repeat(OLD.len() - NEW.len()));
        Cow::Owned(source.replace(OLD, &padded))
    } else {
        Cow::Borrowed(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uninstantiable_keeps_columns() {
        let src = "(assert_uninstantiable (module) \"x\")";
        let out = modernize(src);
        assert_eq!(out.len(), src.len());
        assert!(out.starts_with("(assert_trap "));
        assert_eq!(out.find("(module)"), src.find("(module)"));
    }

    #[test]
    fn a_script_that_does_not_parse_is_one_failure() {
        let s = run("t.wast", "(module)\n(assert_bogus)", Mode::INTERP);
        assert_eq!((s.passed, s.failed), (0, 1));
        assert!(
            s.failures[0].starts_with("t.wast: 2:2: "),
            "{:?}",
            s.failures
        );
    }
}
