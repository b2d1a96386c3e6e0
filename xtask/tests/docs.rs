//! `docs/operations.md` is what `cargo xtask docs` renders from the spec (a tidy
//! check in the style of rust-analyzer's: plain `cargo test` catches a stale file).

use std::process::Command;

#[test]
fn the_operations_reference_is_up_to_date() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["docs", "--check"])
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
