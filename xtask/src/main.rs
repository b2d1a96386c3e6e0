//! Repository chores, run with `cargo xtask <task>`.

fn main() {
    eprintln!("usage: cargo xtask <task>\n\nno tasks yet");
    std::process::exit(2);
}
