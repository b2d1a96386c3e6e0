//! The two sides of a diff: each a file or a git revision.
//!
//! An argument naming an existing file (from the current directory, or else
//! from the workspace root, like every path of `cargo xtask`) is that file.
//! Anything else is a git revision: `REV:PATH` is read as
//! `git show REV:PATH`, a bare `REV` (`main`, `HEAD~3`, a commit hash, a tag)
//! as `git show REV:openapi/stamps.yaml`. So `cargo xtask diff main
//! openapi/stamps.yaml` compares the committed spec of `main` with the
//! working copy. To name a revision that is also a file name, write
//! `REV:openapi/stamps.yaml`.

use std::path::PathBuf;
use std::process::Command;

use crate::lint::Spec;

/// Where one side of the diff comes from.
#[derive(Debug)]
pub enum Source {
    File(PathBuf),
    /// A `git show` object, `REV:PATH`.
    Git(String),
}

impl Source {
    /// Classifies a command-line argument (see the module documentation).
    pub fn parse(arg: &str) -> Source {
        let path = crate::resolve(arg);
        if path.is_file() {
            return Source::File(path);
        }
        if arg.contains(':') {
            Source::Git(arg.to_owned())
        } else {
            Source::Git(format!("{arg}:{}", crate::SPEC))
        }
    }
}

/// A loaded side: its name in the output and the parsed document.
pub struct Loaded {
    pub shown: String,
    pub spec: Spec,
}

/// Reads and parses one side; `arg` is the argument as the user wrote it.
pub fn load(arg: &str) -> Result<Loaded, String> {
    let (shown, text) = match Source::parse(arg) {
        Source::File(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            (arg.to_owned(), text)
        }
        Source::Git(object) => (object.clone(), git_show(arg, &object)?),
    };
    let spec = Spec::parse(&text)
        .map_err(|e| format!("{shown}:{}: not valid YAML: {}", e.line, e.message))?;
    if !spec.doc.is_object() {
        return Err(format!(
            "{shown} is not an OpenAPI document (not a mapping)"
        ));
    }
    Ok(Loaded { shown, spec })
}

/// `git show OBJECT`, run at the workspace root.
fn git_show(arg: &str, object: &str) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(crate::workspace_root())
        .args(["show", "--no-textconv", object, "--"])
        .output()
        .map_err(|e| {
            format!("`{arg}` is not a file, and git cannot be run to read it as a revision: {e}")
        })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why.lines().next().unwrap_or("git show failed").trim();
        return Err(format!(
            "`{arg}` is neither a file nor a git revision with that file (git show {object}: {why})"
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{object} is not UTF-8"))
}
