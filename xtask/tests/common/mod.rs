//! What the xtask test files share: running the built `xtask` binary.

use std::process::Command;

/// Output of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    #[allow(dead_code, reason = "not every test file reads it")]
    pub stderr: String,
}

/// Runs `xtask` with `args`.
pub fn xtask(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}
