//! The `stamps` binary as a user runs it, against the fake server (in this process,
//! or as `stamps fake`): each run also checks that no output carries the key.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use stamps::fake::{FakeStamps, NewMember};

const STAMPS: &str = env!("CARGO_BIN_EXE_stamps");

/// What a run of `stamps` printed, and its exit code.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `stamps args...` against `fake` (key in `STAMPS_TOKEN`), feeding `stdin`, and
/// checks that neither stream carries the key, `--verbose` included.
async fn stamps(fake: &FakeStamps, args: &[&str], stdin: &str) -> Run {
    let env = [
        ("STAMPS_BASE_URL", fake.base_url()),
        ("STAMPS_TOKEN", fake.token().to_owned()),
        ("STAMPS_MERCHANT", fake.merchant().to_string()),
    ];
    let token = fake.token().to_owned();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let stdin = stdin.to_owned();
    let run = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(STAMPS)
            .args(&args)
            .env_remove("STAMPS_TOKEN")
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the stamps binary runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code().expect("an exit code"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    })
    .await
    .unwrap();
    assert!(
        !run.stdout.contains(&token) && !run.stderr.contains(&token),
        "the key leaked: {run:?}"
    );
    run
}

fn json(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "{run:?}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn register_details_credit_and_a_refusal() {
    let fake = FakeStamps::start().await;

    let registered = json(
        &stamps(
            &fake,
            &[
                "register-member",
                "--name",
                "Budi",
                "--email",
                "budi@example.com",
                "--mobile-number",
                "+6281200000001",
            ],
            "",
        )
        .await,
    );
    assert_eq!(registered["name"], "Budi");
    let member = fake.member("budi@example.com").expect("registered");
    assert_eq!(registered["id"].to_string(), member.id.to_string());

    // The merchant comes from STAMPS_MERCHANT (`ClientBuilder::merchant`).
    let details = json(
        &stamps(
            &fake,
            &["get-member-details", "--user", "budi@example.com"],
            "",
        )
        .await,
    );
    assert_eq!(details["user"]["email"], "budi@example.com");
    assert_eq!(details["membership"]["balance"], 0);

    let verbose = stamps(
        &fake,
        &[
            "--verbose",
            "credit-balance",
            "--user",
            "budi@example.com",
            "--amount",
            "250",
            "--store",
            "1",
        ],
        "",
    )
    .await;
    // `--verbose` logs the call (the key checked absent by `stamps`).
    assert!(
        verbose.stderr.contains("stamps call answered status=200"),
        "{verbose:?}"
    );
    let credit = json(&verbose);
    assert_eq!(credit["customer"]["balance"], 250);
    assert_eq!(fake.balance("budi@example.com"), Some(250));
    let call = fake.calls().pop().unwrap();
    assert_eq!(call.body.as_ref().unwrap()["merchant"], 14, "{call:?}");

    // The body from stdin, with a piped stdout: one compact line.
    let body = r#"{"user": "budi@example.com", "amount": 50, "store": 1, "merchant": 14}"#;
    let credit = stamps(&fake, &["credit-balance", "--body-file", "-"], body).await;
    assert_eq!(json(&credit)["customer"]["balance"], 300);
    assert_eq!(credit.stdout.lines().count(), 1, "{credit:?}");

    // The docs' refusal of an unknown member: the API's message, exit code 3.
    let unknown = stamps(
        &fake,
        &["get-member-details", "--user", "nobody@example.com"],
        "",
    )
    .await;
    assert_eq!(unknown.code, 3, "{unknown:?}");
    assert_eq!(unknown.stdout, "");
    assert_eq!(
        unknown.stderr,
        "error: request refused (400 Bad Request) [invalid_data]: User not found\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_say_who_is_at_fault() {
    let fake = FakeStamps::start().await;
    // The caller: a flag clap does not know, a value the type refuses, a body that
    // does not parse.
    let flag = stamps(&fake, &["get-member-details", "--usr", "x"], "").await;
    assert_eq!(flag.code, 2, "{flag:?}");
    let value = stamps(
        &fake,
        &["credit-balance", "--user", "a@b.c", "--amount", "ten"],
        "",
    )
    .await;
    assert_eq!(value.code, 2, "{value:?}");
    assert!(value.stderr.contains("--amount"), "{value:?}");
    let body = stamps(&fake, &["credit-balance", "--body-file", "-"], "{").await;
    assert_eq!(body.code, 2, "{body:?}");
    assert!(
        body.stderr.starts_with("error: failed to parse -"),
        "{body:?}"
    );

    // Authentication: a key the fake does not know.
    let run = tokio::task::spawn_blocking({
        let url = fake.base_url();
        move || {
            Command::new(STAMPS)
                .args(["get-member-details", "--user", "alice@example.com"])
                .env("STAMPS_BASE_URL", url)
                .env("STAMPS_TOKEN", "not-the-key")
                .env("STAMPS_MERCHANT", "14")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(run.status.code(), Some(4), "{run:?}");
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        "error: unauthorized (401 Unauthorized): Invalid token\n"
    );

    // The network: nothing listens there.
    let run = Command::new(STAMPS)
        .args(["get-member-details", "--user", "alice@example.com"])
        .env("STAMPS_BASE_URL", "http://127.0.0.1:1")
        .env("STAMPS_TOKEN", "k")
        .env("STAMPS_MERCHANT", "14")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(6), "{run:?}");
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.starts_with("error: connection failed: "), "{stderr}");

    // A required input left unset (no merchant on the call nor the client): the SDK's
    // message, the caller's fault.
    let run = Command::new(STAMPS)
        .args(["get-member-details", "--user", "alice@example.com"])
        .env("STAMPS_BASE_URL", fake.base_url())
        .env("STAMPS_TOKEN", fake.token())
        .env_remove("STAMPS_MERCHANT")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        "error: invalid input: merchant was not initialized \
         (set it on the call, or on the client with ClientBuilder::merchant)\n"
    );

    // No key at all.
    let run = Command::new(STAMPS)
        .args(["get-member-details", "--user", "alice@example.com"])
        .env_remove("STAMPS_TOKEN")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_prints_every_item_across_pages() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let created = "2024-03-01T10:00:00+07"
        .parse::<stamps::DateTime>()
        .unwrap();
    for n in 0..25 {
        fake.client()
            .add_transaction()
            .body_map(|b| {
                b.user(alice.id)
                    .store(1)
                    .invoice_number(format!("INV-{n}"))
                    .total_value(10_000.0)
                    .number_of_people(1)
                    .created(created)
            })
            .send()
            .await
            .expect("recorded");
    }
    let before = fake.calls().len();
    let all = stamps(
        &fake,
        &[
            "list-member-transactions",
            "--user",
            "alice@example.com",
            "--all",
        ],
        "",
    )
    .await;
    assert_eq!(all.code, 0, "{all:?}");
    let invoices: Vec<String> = all
        .stdout
        .lines()
        .map(|line| {
            let item: serde_json::Value = serde_json::from_str(line).unwrap();
            item["invoice_number"].as_str().unwrap().to_owned()
        })
        .collect();
    let expected: Vec<String> = (0..25).rev().map(|n| format!("INV-{n}")).collect();
    assert_eq!(invoices, expected, "every item, newest first, none twice");
    assert_eq!(fake.calls().len() - before, 3, "one call per page of 10");

    // Without `--all`: the first page, as the API answers it.
    let first = json(
        &stamps(
            &fake,
            &["list-member-transactions", "--user", "alice@example.com"],
            "",
        )
        .await,
    );
    assert_eq!(first["transactions"].as_array().unwrap().len(), 10);
    assert_eq!(first["has_next"], true);
}

#[test]
fn help_lists_every_operation() {
    let help = Command::new(STAMPS).arg("--help").output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    let listed: Vec<&str> = help
        .lines()
        .filter_map(|line| line.strip_prefix("  ")?.split_whitespace().next())
        .collect();
    for operation in stamps::operations::OPERATIONS {
        let name = operation.id.replace('_', "-");
        assert!(listed.contains(&name.as_str()), "{name} is not in\n{help}");
    }
    assert!(listed.contains(&"fake"));
    assert!(help.contains("Exit codes:"), "{help}");
    // The key is never a flag's value.
    assert!(!help.contains("--token "), "{help}");
}

#[test]
fn the_key_comes_from_a_file_too() {
    let dir = std::env::temp_dir().join(format!("stamps-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeStamps::start());
    let file = dir.join("key");
    std::fs::write(&file, format!("{}\n", fake.token())).unwrap();
    let run = Command::new(STAMPS)
        .arg("--token-file")
        .arg(&file)
        .args([
            "get-member-details",
            "--user",
            "alice@example.com",
            "--merchant",
            "14",
        ])
        .env_remove("STAMPS_TOKEN")
        .env("STAMPS_BASE_URL", fake.base_url())
        .output()
        .unwrap();
    // No member yet: the fake answered, so the key from the file was accepted.
    assert_eq!(run.status.code(), Some(3), "{run:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `stamps fake` prints the same lines as the example, and serves them.
#[test]
fn fake_process_serves_the_seeded_member() {
    let mut fake = Command::new(STAMPS)
        .args(["fake", "--port", "0", "--token", "cli-test-key"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(fake.stdout.take().unwrap()).lines();
    let env: Vec<(String, String)> = (0..9)
        .map(|_| {
            let line = lines.next().unwrap().unwrap();
            let (key, value) = line.split_once('=').unwrap();
            (key.to_owned(), value.to_owned())
        })
        .collect();
    let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "STAMPS_BASE_URL",
            "STAMPS_TOKEN",
            "STAMPS_MERCHANT",
            "STAMPS_STORE",
            "STAMPS_USER",
            "STAMPS_USER_ID",
            "STAMPS_USER_EMAIL",
            "STAMPS_USER_MOBILE",
            "STAMPS_USER_MEMBER_ID"
        ]
    );
    assert_eq!(env[1].1, "cli-test-key");
    let details = Command::new(STAMPS)
        .args(["get-member-details", "--user", "alice@example.com"])
        .envs(env.iter().take(3).cloned())
        .output()
        .unwrap();
    fake.kill().unwrap();
    fake.wait().unwrap();
    assert_eq!(details.status.code(), Some(0), "{details:?}");
    let details: serde_json::Value = serde_json::from_slice(&details.stdout).unwrap();
    assert_eq!(details["membership"]["balance"], 1000);
    assert_eq!(details["user"]["name"], "Alice Tan");
}

#[tokio::test(flavor = "multi_thread")]
async fn access_token_calls_with_the_managed_jwt() {
    let fake = FakeStamps::start().await;
    fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let run = stamps(
        &fake,
        &[
            "--access-token",
            "--verbose",
            "get-member-details",
            "--user",
            "alice@example.com",
        ],
        "",
    )
    .await;
    assert_eq!(json(&run)["user"]["email"], "alice@example.com");
    let operations: Vec<Option<&str>> = fake.calls().iter().map(|c| c.operation).collect();
    assert_eq!(
        operations,
        [Some("get_access_token"), Some("get_member_details")]
    );
    // The JWT is a credential too: never printed.
    for jwt in fake.access_tokens() {
        assert!(!run.stderr.contains(jwt.as_str()), "{run:?}");
    }
}
