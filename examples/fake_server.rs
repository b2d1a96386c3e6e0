//! The SDK's fake Stamps server (`stamps::fake`) as a process, for testing clients in
//! other languages against it.
//!
//! ```text
//! cargo run --example fake_server -- [--port 8080] [--token KEY]
//! ```
//!
//! Once it listens, it prints `KEY=value` lines on stdout (and flushes them), then
//! serves until it is killed (Ctrl-C, SIGTERM):
//!
//! ```text
//! STAMPS_BASE_URL=http://127.0.0.1:8080
//! STAMPS_TOKEN=fake_...
//! STAMPS_MERCHANT=14
//! STAMPS_STORE=1
//! STAMPS_USER=alice@example.com
//! STAMPS_USER_ID=1
//! STAMPS_USER_EMAIL=alice@example.com
//! STAMPS_USER_MOBILE=+6281234567890
//! STAMPS_USER_MEMBER_ID=RRR123456
//! ```
//!
//! The first two lines are the base URL and token a client needs; the rest name a
//! store and a member who exists from the start (balance 1000, level 100 `Blue`; the
//! rewards "Free coffee", 5 stamps, and "Birthday cake", 40, exist too), so that a GET
//! such as `/api/v2/memberships/details?user=alice@example.com&merchant=14&token=...`
//! works out of the box. The output also works as environment for the quickstart
//! (`env $(head -n 5 out.txt) cargo run --example quickstart`).
//!
//! The port and token are random unless given with `--port`/`--token` or the
//! environment variables `STAMPS_FAKE_PORT`/`STAMPS_FAKE_TOKEN` (arguments win).

use std::io::Write;
use std::process::ExitCode;

use stamps::fake::{FakeStamps, NewMember, NewReward};
use stamps::types::Gender;

const USAGE: &str = "\
Usage: cargo run --example fake_server -- [--port PORT] [--token KEY]

Runs the in-memory fake Stamps server on 127.0.0.1, prints KEY=value lines
(STAMPS_BASE_URL, STAMPS_TOKEN, STAMPS_MERCHANT, then a seeded member's identifiers)
on stdout, and serves until killed.

Options:
  --port PORT   listen on PORT (env STAMPS_FAKE_PORT; default: a free port)
  --token KEY   accept KEY as the merchant key (env STAMPS_FAKE_TOKEN; default: random)
  --help        show this help
";

#[tokio::main]
async fn main() -> ExitCode {
    let (port, token) = match settings() {
        Ok(Some(settings)) => settings,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut builder = FakeStamps::builder().port(port);
    if let Some(token) = token {
        builder = builder.token(token);
    }
    let fake = match builder.start().await {
        Ok(fake) => fake,
        Err(error) => {
            eprintln!("error: cannot start the fake server on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let alice = fake.add_member(
        NewMember::new("Alice Tan")
            .email("alice@example.com")
            .mobile("+6281234567890")
            .member_id("RRR123456")
            .birthday("1990-11-26")
            .gender(Gender::Female)
            .address("Baker Street 221B")
            .balance(1000),
    );
    // Rewards, so that a client can redeem (Stamps merchants set theirs up in the dashboard).
    fake.add_reward(NewReward::new("Free coffee", 5).code("COFFEE"));
    fake.add_reward(NewReward::new("Birthday cake", 40).code("CAKE"));

    let lines = [
        ("STAMPS_BASE_URL", fake.base_url()),
        ("STAMPS_TOKEN", fake.token().to_owned()),
        ("STAMPS_MERCHANT", fake.merchant().to_string()),
        ("STAMPS_STORE", "1".to_owned()),
        ("STAMPS_USER", alice.email.clone().unwrap_or_default()),
        ("STAMPS_USER_ID", alice.id.to_string()),
        ("STAMPS_USER_EMAIL", alice.email.clone().unwrap_or_default()),
        (
            "STAMPS_USER_MOBILE",
            alice.mobile.clone().unwrap_or_default(),
        ),
        (
            "STAMPS_USER_MEMBER_ID",
            alice.member_id().unwrap_or_default().to_owned(),
        ),
    ];
    let mut stdout = std::io::stdout().lock();
    for (key, value) in lines {
        if writeln!(stdout, "{key}={value}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if stdout.flush().is_err() {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    eprintln!(
        "fake Stamps server listening on {}; stop it with Ctrl-C",
        fake.base_url()
    );

    // Ctrl-C and SIGTERM end the process; there is nothing to save.
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

/// The port and token from the arguments and environment; `None` for `--help`.
fn settings() -> Result<Option<(u16, Option<String>)>, String> {
    let mut port = std::env::var("STAMPS_FAKE_PORT").ok();
    let mut token = std::env::var("STAMPS_FAKE_TOKEN").ok();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => port = Some(args.next().ok_or("--port needs a value")?),
            "--token" => token = Some(args.next().ok_or("--token needs a value")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let port = match port.filter(|p| !p.is_empty()) {
        Some(port) => port
            .parse()
            .map_err(|_| format!("the port must be a number from 0 to 65535, got {port:?}"))?,
        None => 0,
    };
    Ok(Some((port, token.filter(|t| !t.is_empty()))))
}
