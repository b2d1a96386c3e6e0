//! The SDK's fake Stamps server (`stamps::fake`) as a process, for testing clients in
//! other languages against it: the same as `stamps fake` of the command line
//! (`cargo install --path cli`), for a checkout without it.
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
//! store and a member who exists from the start (see `stamps::fake::demo::Demo`). The
//! output also works as environment for the quickstart
//! (`env $(head -n 5 out.txt) cargo run --example quickstart`).
//!
//! The port and token are random unless given with `--port`/`--token` or the
//! environment variables `STAMPS_FAKE_PORT`/`STAMPS_FAKE_TOKEN` (arguments win).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = std::env::args().skip(1);
    ExitCode::from(stamps::fake::demo::run("cargo run --example fake_server --", args).await)
}
