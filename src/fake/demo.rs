//! The fake as a process (`stamps fake`, `examples/fake_server.rs`): started with a
//! seeded member and rewards, announced with `KEY=value` lines that work as a client's
//! environment.

use super::{FakeStamps, NewMember, NewReward};
use crate::types::Gender;

/// A fake started for other processes, and what they need to call it.
#[derive(Debug)]
pub struct Demo {
    /// The server; it stops when this is dropped.
    pub fake: FakeStamps,
    /// `STAMPS_BASE_URL`, `STAMPS_TOKEN`, `STAMPS_MERCHANT`, `STAMPS_STORE`, then the
    /// seeded member's identifiers (`STAMPS_USER`, `STAMPS_USER_ID`,
    /// `STAMPS_USER_EMAIL`, `STAMPS_USER_MOBILE`, `STAMPS_USER_MEMBER_ID`).
    pub env: Vec<(&'static str, String)>,
}

impl Demo {
    /// Starts the fake on 127.0.0.1:`port` (0: a free port) accepting `token` (`None`:
    /// a random one), with the member Alice Tan (alice@example.com, balance 1000,
    /// level 100 `Blue`) and the rewards "Free coffee" (5 stamps) and "Birthday cake"
    /// (40), so that a first call such as `get-member-details` works out of the box.
    pub async fn start(port: u16, token: Option<String>) -> std::io::Result<Demo> {
        let mut builder = FakeStamps::builder().port(port);
        if let Some(token) = token {
            builder = builder.token(token);
        }
        let fake = builder.start().await?;
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
        // Rewards, so that a client can redeem (merchants set theirs up in the dashboard).
        fake.add_reward(NewReward::new("Free coffee", 5).code("COFFEE"));
        fake.add_reward(NewReward::new("Birthday cake", 40).code("CAKE"));
        let env = vec![
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
        Ok(Demo { fake, env })
    }

    /// Writes the `KEY=value` lines and flushes them, so that a reader of a pipe sees
    /// them while the server runs.
    pub fn announce(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        for (key, value) in &self.env {
            writeln!(out, "{key}={value}")?;
        }
        out.flush()
    }

    /// The port and token a process was asked for: `--port`/`--token` in `args`,
    /// else `STAMPS_FAKE_PORT`/`STAMPS_FAKE_TOKEN`; `Ok(None)` for `--help`.
    pub fn settings(
        args: impl IntoIterator<Item = String>,
    ) -> Result<Option<(u16, Option<String>)>, String> {
        let mut port = std::env::var("STAMPS_FAKE_PORT").ok();
        let mut token = std::env::var("STAMPS_FAKE_TOKEN").ok();
        let mut args = args.into_iter();
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
}

/// The usage of a process serving the fake, after its `Usage:` line.
pub const USAGE: &str = "\
Runs the in-memory fake Stamps server on 127.0.0.1, prints KEY=value lines
(STAMPS_BASE_URL, STAMPS_TOKEN, STAMPS_MERCHANT, then a seeded member's identifiers)
on stdout, and serves until killed.

Options:
  --port PORT   listen on PORT (env STAMPS_FAKE_PORT; default: a free port)
  --token KEY   accept KEY as the merchant key (env STAMPS_FAKE_TOKEN; default: random)
  --help        show this help
";

/// Serves the fake as a process until it is killed, taking `args` (after the program
/// or subcommand name): `--port`, `--token`, `--help`. `program` names it in the usage
/// (`stamps fake`). Returns the process's exit code: 0, 2 for bad arguments, 1 when
/// the port cannot be bound or stdout is closed.
pub async fn run(program: &str, args: impl IntoIterator<Item = String>) -> u8 {
    let usage = format!("Usage: {program} [--port PORT] [--token KEY]\n\n{USAGE}");
    let (port, token) = match Demo::settings(args) {
        Ok(Some(settings)) => settings,
        Ok(None) => {
            print!("{usage}");
            return 0;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{usage}");
            return 2;
        }
    };
    let demo = match Demo::start(port, token).await {
        Ok(demo) => demo,
        Err(error) => {
            eprintln!("error: cannot start the fake server on 127.0.0.1:{port}: {error}");
            return 1;
        }
    };
    if demo.announce(&mut std::io::stdout().lock()).is_err() {
        return 1;
    }
    eprintln!(
        "fake Stamps server listening on {}; stop it with Ctrl-C",
        demo.fake.base_url()
    );
    // Ctrl-C and SIGTERM end the process; there is nothing to save.
    std::future::pending::<()>().await;
    0
}
