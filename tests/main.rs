//! The integration tests, linked into one binary: each file of `tests/` is a module
//! here (one per docs page, the client layer, reliability, the fake), sharing `common`.
//!
//! One binary, not one per file: each test binary links the whole client, the fake and
//! their dependencies, so a binary per file multiplied the linking and the disk by the
//! number of files.
//! Three files stay binaries of their own (`[[test]]` in Cargo.toml), for what is
//! process-wide: `leaks.rs` installs the global `tracing` subscriber, `bounded_memory.rs`
//! measures the process's memory, and `schemars.rs` needs `--features schemars`.
//!
//! A new docs page: add `tests/<page>.rs` and its `mod` line below;
//! `every_file_of_tests_runs` fails for a file that is neither.

mod common;

mod access_tokens;
mod accounts;
mod activities;
mod adversarial;
mod auth;
mod balances;
mod bookings;
mod cards;
mod children;
mod client_builder;
mod concurrency;
mod earn_and_spend;
mod errors;
mod everyday_calls;
mod expiration_journals;
mod fake;
mod fake_as_server;
mod feedbacks;
mod hobbies;
mod identifiers;
mod inventory;
mod klg;
mod legacy_members;
mod managed_jwt;
mod memberships;
mod memberships_legacy;
mod merchants;
mod messages;
mod no_double_writes;
mod omni_orders;
mod pets;
mod promo_codes;
mod properties;
mod published_spec;
mod readme;
mod redemptions;
mod redemptions_legacy;
mod retries;
mod rewards;
mod stamps;
mod stores;
mod surveys;
mod testing;
mod tracing;
mod transactions;
mod transactions_legacy;
mod vouchers;
mod webhooks;

/// A file of `tests/` that is neither a module here nor a `[[test]]` of Cargo.toml would
/// never compile nor run (`autotests = false`).
#[test]
fn every_file_of_tests_runs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let main = include_str!("main.rs");
    let manifest = include_str!("../Cargo.toml");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/") {
        let path = entry.expect("an entry of tests/").path();
        let (Some(stem), Some("rs")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let module = main.contains(&format!("\nmod {stem};\n"));
        let binary = manifest.contains(&format!("path = \"tests/{stem}.rs\""));
        if stem != "main" && module == binary {
            missing.push(stem.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "in neither tests/main.rs nor a [[test]], or in both: {missing:?}"
    );
}
