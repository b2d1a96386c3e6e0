//! A merchant's day with the Stamps SDK: register a customer, look them up, move their
//! balance, record their family, tag them, and handle an error.
//!
//! ```text
//! cargo run --example quickstart                    # against an embedded fake server
//! STAMPS_TOKEN=... STAMPS_MERCHANT=14 STAMPS_USER=alice@example.com \
//!     cargo run --example quickstart                # read-only calls against Stamps
//! STAMPS_TOKEN=... STAMPS_MERCHANT=14 STAMPS_STORE=3 \
//!     cargo run --example quickstart -- --write     # every call, on a new demo member
//! ```
//!
//! Environment:
//!
//! - `STAMPS_TOKEN`: your merchant key. Unset, the example starts the SDK's in-memory
//!   fake server (`stamps::fake`) and runs every step against it.
//! - `STAMPS_BASE_URL`: the API's address; `https://stamps.co.id` unless set.
//! - `STAMPS_MERCHANT`: your merchant id; required with `STAMPS_TOKEN`.
//! - `STAMPS_USER`: an existing customer (email, mobile number, card number or id)
//!   for the read-only calls; required with `STAMPS_TOKEN`, unless `--write`.
//! - `STAMPS_STORE`: the store id the writes are made from; required with `--write`.
//!
//! With `STAMPS_TOKEN` set, only the reads (GETs) run. The writes (registration,
//! credit, debit, children, pets, tags) run only with `--write`, and then on a new
//! demo member that the example registers: it never changes an existing customer's
//! balance.

use std::error::Error;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use stamps::fake::{FakeStamps, NewMember};
use stamps::types::{ChildGender, Gender, PetGender};
use stamps::{Client, ClientInfo, MerchantId, StoreId, UserRef};

const USAGE: &str = "\
Usage: cargo run --example quickstart [-- --write]

Walks a merchant's flow through the Stamps SDK. Without STAMPS_TOKEN it runs
against an in-memory fake server; with it, against Stamps (read-only calls unless
--write is given).

Options:
  --write    against a real server, also run the writing calls, on a new demo member
  --help     show this help

Environment:
  STAMPS_TOKEN      your merchant key (unset: use the embedded fake server)
  STAMPS_BASE_URL   the API's address (default https://stamps.co.id)
  STAMPS_MERCHANT   your merchant id (required with STAMPS_TOKEN)
  STAMPS_USER       an existing customer for the read-only calls: email, mobile
                    number, card number or id (required with STAMPS_TOKEN, unless --write)
  STAMPS_STORE      the store id for the writing calls (required with --write)
";

#[tokio::main]
async fn main() -> ExitCode {
    let mut write = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--write" => write = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("error: unknown argument {other:?}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let setup = match Setup::from_env(write).await {
        Ok(setup) => setup,
        Err(error) => {
            eprintln!("error: {error}\n(run with --help for the settings)");
            return ExitCode::from(2);
        }
    };
    match tour(&setup).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Where the example runs, and what it may do there.
struct Setup {
    client: Client,
    merchant: MerchantId,
    store: StoreId,
    /// Whether the writing calls run: always on the fake, with `--write` elsewhere.
    writes: bool,
    /// The existing customer for a read-only run.
    user: Option<UserRef>,
    /// The embedded fake server, kept alive while the example runs.
    fake: Option<FakeStamps>,
}

impl Setup {
    async fn from_env(write: bool) -> Result<Setup, Box<dyn Error>> {
        let Some(token) = env("STAMPS_TOKEN") else {
            if env("STAMPS_BASE_URL").is_some() {
                return Err(
                    "STAMPS_BASE_URL is set but STAMPS_TOKEN is not: set both to use a server"
                        .into(),
                );
            }
            return Ok(Setup::fake().await);
        };
        let merchant = required("STAMPS_MERCHANT", "your merchant id")?
            .parse()
            .map_err(|e| format!("STAMPS_MERCHANT: {e}"))?;
        let store = match env("STAMPS_STORE") {
            Some(store) => store.parse().map_err(|e| format!("STAMPS_STORE: {e}"))?,
            None if write => {
                return Err(
                    "--write needs STAMPS_STORE, the store id the writes are made from".into(),
                );
            }
            None => StoreId::new(0),
        };
        let user = match env("STAMPS_USER") {
            Some(user) => Some(user.parse().map_err(|e| format!("STAMPS_USER: {e}"))?),
            None if write => None,
            None => {
                return Err(
                    "STAMPS_USER must name an existing customer (email, mobile number, \
                            card number or id) for the read-only calls"
                        .into(),
                );
            }
        };
        let mut builder = Client::builder().token(token);
        if let Some(base_url) = env("STAMPS_BASE_URL") {
            builder = builder.base_url(base_url);
        }
        let client = builder.build()?;
        println!("Stamps quickstart against {}", client.baseurl());
        if !write {
            println!(
                "Read-only: the writing calls are skipped (pass --write to run them on a new demo member)."
            );
        }
        Ok(Setup {
            client,
            merchant,
            store,
            writes: write,
            user,
            fake: None,
        })
    }

    /// The embedded fake, with two customers already registered for the suggestions.
    async fn fake() -> Setup {
        let fake = FakeStamps::start().await;
        fake.add_member(NewMember::new("Siti Aminah").email("aminah@example.com"));
        fake.add_member(NewMember::new("Budi Santoso").email("budi@example.com"));
        println!(
            "Stamps quickstart against a fake server at {} (set STAMPS_TOKEN to use Stamps)",
            fake.base_url()
        );
        Setup {
            client: fake.client(),
            merchant: fake.merchant(),
            store: StoreId::new(1),
            writes: true,
            user: None,
            fake: Some(fake),
        }
    }
}

/// The walk itself: every call goes through the SDK, and `?` turns any failure into
/// a `stamps::Error`.
async fn tour(setup: &Setup) -> stamps::Result<()> {
    let Setup {
        client,
        merchant,
        store,
        writes,
        ..
    } = setup;
    let (merchant, store) = (*merchant, *store);
    let mut step = Steps::default();

    // 1. A new customer, or the one named in STAMPS_USER.
    let member = match &setup.user {
        Some(user) => user.clone(),
        None => {
            step.next("Register a member (v2)");
            let (email, mobile) = demo_contact(setup.fake.is_some());
            let user = client
                .register_member()
                .body_map(|b| {
                    b.name("Siti Rahma")
                        .email(email)
                        .mobile_number(mobile)
                        .birthday(stamps::Date::from_ymd(1991, 10, 19).unwrap())
                        .gender(Gender::Female)
                        .merchant(merchant)
                        .store(store)
                })
                .send()
                .await?
                .into_inner();
            let id = user.id.expect("a registered customer has an id");
            let card = user.member_ids.first().map_or("none", String::as_str);
            println!("   {} is customer {id}, card {card}", show(&user.name));
            UserRef::from(id)
        }
    };

    step.next("Look up their details");
    let details = client
        .get_member_details()
        .user(&member)
        .merchant(merchant)
        .send()
        .await?
        .into_inner();
    let user = details.user.unwrap_or_default();
    let membership = details.membership.unwrap_or_default();
    let name = user.name.clone().unwrap_or_default();
    println!(
        "   {name} <{}>, {}: level {} ({}), balance {}",
        show(&user.email),
        show(&user.phone),
        show(&membership.status_text),
        show(&membership.status),
        show(&membership.balance),
    );

    let prefix: String = name.chars().take(3).collect();
    step.next(&format!("Suggestions for {prefix:?}"));
    let suggestions = if prefix.is_empty() {
        Vec::new() // An anonymized customer has no name to complete.
    } else {
        client
            .suggest_members()
            .query(prefix.as_str())
            .merchant(merchant)
            .send()
            .await?
            .into_inner()
            .suggestions
    };
    for suggestion in &suggestions {
        println!(
            "   {} <{}>, {}",
            show(&suggestion.name),
            show(&suggestion.email),
            show(&suggestion.membership)
        );
    }
    if suggestions.is_empty() {
        println!("   (none)");
    }

    if *writes {
        step.next("Credit 1000, debit 300, then cancel the debit");
        let credit = client
            .credit_balance()
            .body_map(|b| {
                b.user(&member)
                    .amount(1000u64)
                    .merchant(merchant)
                    .store(store)
            })
            .send()
            .await?
            .into_inner();
        println!("   credit: balance {}", balance_of(&credit));
        let debit = client
            .debit_balance()
            .body_map(|b| {
                b.user(&member)
                    .amount(300u64)
                    .merchant(merchant)
                    .store(store)
            })
            .send()
            .await?
            .into_inner();
        println!("   debit:  balance {}", balance_of(&debit));
        let debit_id = debit
            .balance_update
            .and_then(|u| u.id)
            .expect("a balance update has an id");
        let cancel = client
            .cancel_balance_update()
            .body_map(|b| b.id(debit_id))
            .send()
            .await?
            .into_inner();
        let status = cancel
            .balance_update
            .as_ref()
            .and_then(|u| u.status.clone());
        println!(
            "   cancel update {debit_id}: {}, balance {}",
            show(&status),
            balance_of(&cancel)
        );

        step.next("Add a child and a pet");
        let child = client
            .add_child()
            .body_map(|b| {
                b.user(&member)
                    .name("Budi")
                    .birthday("2015-06-01")
                    .gender(ChildGender::M)
            })
            .send()
            .await?
            .into_inner()
            .child;
        println!(
            "   child {}: {}, born {}",
            show(&child.id),
            show(&child.name),
            show(&child.birthday)
        );
        let pet = client
            .add_pet()
            .body_map(|b| {
                b.user(&member)
                    .name("Kat")
                    .type_("cat")
                    .breed("persia".to_owned())
                    .gender(PetGender::F)
            })
            .send()
            .await?
            .into_inner()
            .pet;
        let kind = pet.type_.and_then(|t| t.name);
        println!(
            "   pet {}: {}, {}",
            show(&pet.id),
            show(&pet.name),
            show(&kind)
        );
    }

    step.next("Read the full profile");
    let profile = client
        .get_full_profile()
        .user(&member)
        .send()
        .await?
        .into_inner();
    let user = profile.user.unwrap_or_default();
    let names = |list: Vec<Option<String>>| -> String {
        let list: Vec<String> = list.into_iter().flatten().collect();
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    println!(
        "   children: {}",
        names(user.children.into_iter().map(|c| c.name).collect())
    );
    println!(
        "   pets:     {}",
        names(user.pets.into_iter().map(|p| p.name).collect())
    );
    let tags = |tags: &[stamps::types::KeyValueTag]| {
        names(
            tags.iter()
                .map(|t| Some(format!("{}={}", show(&t.group), show(&t.tag))))
                .collect(),
        )
    };
    println!("   tags:     {}", tags(&profile.tags));

    if *writes {
        step.next("Tag the membership, then remove the tag");
        let membership = client
            .add_membership_tag()
            .body_map(|b| {
                b.user(&member)
                    .merchant(merchant)
                    .key("segment")
                    .value("vip")
            })
            .send()
            .await?
            .into_inner();
        println!("   added:   tags {:?}", membership.tags);
        client
            .remove_membership_tag()
            .body_map(|b| {
                b.user(&member)
                    .merchant(merchant)
                    .key("segment")
                    .value("vip")
            })
            .send()
            .await?;
        let profile = client
            .get_full_profile()
            .user(&member)
            .send()
            .await?
            .into_inner();
        println!("   removed: tags {}", tags(&profile.tags));
    }

    step.next("Handle an error: an unknown customer");
    let unknown = client
        .get_member_details()
        .user("nobody@example.invalid")
        .merchant(merchant)
        .send()
        .await;
    match unknown.map_err(stamps::Error::from) {
        Err(stamps::Error::Api(error)) => println!(
            "   {} with error_code {}: {}",
            error.status(),
            error.code().map_or("none", |c| c.as_str()),
            error.message().unwrap_or("no message"),
        ),
        Err(other) => return Err(other),
        Ok(_) => println!("   unexpectedly, Stamps knows nobody@example.invalid"),
    }

    println!("\nDone.");
    Ok(())
}

/// Numbers the steps as they are printed.
#[derive(Default)]
struct Steps(u32);

impl Steps {
    fn next(&mut self, title: &str) {
        self.0 += 1;
        println!("\n{}. {title}", self.0);
    }
}

/// The demo member's email and mobile number: fixed on the fake, unique elsewhere (a
/// real server refuses to register the same ones twice).
fn demo_contact(on_fake: bool) -> (String, String) {
    if on_fake {
        return ("siti@example.com".to_owned(), "0813-1482-2365".to_owned());
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (
        format!("stamps-quickstart+{now}@example.com"),
        format!("+62899{:07}", now % 10_000_000),
    )
}

/// An optional value for display.
fn show<T: std::fmt::Display>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

/// The customer's balance after a balance update.
fn balance_of(result: &stamps::types::BalanceUpdateResult) -> String {
    show(&result.customer.as_ref().and_then(|c| c.balance))
}

/// An environment variable, if set and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn required(name: &str, what: &str) -> Result<String, String> {
    env(name).ok_or_else(|| format!("{name} must be set to {what} when STAMPS_TOKEN is set"))
}
