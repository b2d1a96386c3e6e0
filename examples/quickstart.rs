//! A merchant's day with the Stamps SDK: register a member and look them up, let them
//! earn stamps with a sale, spend them on a reward (and cancel that), credit and debit
//! their balance, and handle a documented error.
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
//! With `STAMPS_TOKEN` set, only the reads (GETs) run, on `STAMPS_USER`. The writes
//! (registration, transaction, redemption, credit, debit) run only with `--write`,
//! and then on a new demo member that the example registers: never on `STAMPS_USER`
//! or any other existing customer.

use std::error::Error;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use stamps::fake::{FakeStamps, NewReward};
use stamps::types::Gender;
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
    /// Whether a store id was given (the reward list needs one).
    store_given: bool,
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
        let store_given = env("STAMPS_STORE").is_some();
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
            store_given,
            user,
            fake: None,
        })
    }

    /// The embedded fake, with the merchant's rewards (on Stamps they are set up in
    /// the merchant's dashboard).
    async fn fake() -> Setup {
        let fake = FakeStamps::start().await;
        fake.add_reward(NewReward::new("Free coffee", 5).code("COFFEE"));
        fake.add_reward(NewReward::new("Birthday cake", 40).code("CAKE"));
        println!(
            "Stamps quickstart against a fake server at {} (set STAMPS_TOKEN to use Stamps)",
            fake.base_url()
        );
        Setup {
            client: fake.client(),
            merchant: fake.merchant(),
            store: StoreId::new(1),
            writes: true,
            store_given: true,
            user: None,
            fake: Some(fake),
        }
    }
}

/// The walk itself: every call goes through the SDK, and `?` turns any failure into
/// a `stamps::Error`. Writes go only to a demo member this run registers; the reads
/// may use `STAMPS_USER`.
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

    // 1. A new demo member to write to, or only the existing one to read.
    let demo = if *writes {
        step.next("Register a member, then look them up");
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
        println!("   registered {} as customer {id}", show(&user.name));
        Some(UserRef::from(id))
    } else {
        step.next("Look up a member");
        None
    };
    let reader = demo
        .clone()
        .or_else(|| setup.user.clone())
        .expect("a member to read: checked by Setup");
    print_member(client, &reader, merchant).await?;

    if let Some(member) = &demo {
        step.next("Earn: a sale of 50,000");
        let created = stamps::DateTime::from(chrono::Utc::now());
        let earned = client
            .add_transaction()
            .body_map(|b| {
                b.user(member.clone())
                    .store(store)
                    .invoice_number(format!("QS-{}", created.chrono().timestamp()))
                    .total_value(50_000.0)
                    .number_of_people(1)
                    .created(created)
            })
            .send()
            .await?
            .into_inner();
        let transaction = earned.transaction.unwrap_or_default();
        println!(
            "   transaction {}: {} stamps earned",
            show(&transaction.id.map(|id| id.0)),
            show(&transaction.stamps_earned)
        );
        print_member(client, member, merchant).await?;
    }

    if *writes || setup.store_given {
        step.next("Spend: the rewards they can redeem");
        let rewards = client
            .list_rewards()
            .user(reader.to_string())
            .merchant(merchant)
            .store(store)
            .send()
            .await?
            .into_inner()
            .rewards;
        for reward in &rewards {
            println!(
                "   {} for {} stamps{}",
                show(&reward.name),
                show(&reward.stamps_to_redeem),
                if reward.redeemable == Some(true) {
                    ""
                } else {
                    " (not yet)"
                }
            );
        }
        let affordable = rewards.iter().find(|r| r.redeemable == Some(true));
        match (&demo, affordable.and_then(|r| r.id.clone())) {
            (Some(member), Some(reward)) => {
                let redeemed = client
                    .redeem_reward()
                    .body_map(|b| b.user(member).store(store).reward(reward.0))
                    .send()
                    .await?
                    .into_inner();
                let redemption = redeemed.redemption.unwrap_or_default();
                let left = redeemed.membership.and_then(|m| m.stamps);
                println!(
                    "   redeemed {}: {} stamps used, {} left",
                    show(&redemption.id.as_ref().map(|id| id.0)),
                    show(&redemption.stamps_used),
                    show(&left)
                );
                let id = redemption.id.expect("a redemption has an id");
                let canceled = client
                    .cancel_redemption()
                    .body_map(|b| b.id(id.clone()))
                    .send()
                    .await?
                    .into_inner();
                let back = canceled.customer.and_then(|c| c.stamps_remaining);
                println!(
                    "   cancelled redemption {}: {} stamps again",
                    id.0,
                    show(&back)
                );
            }
            (Some(_), None) => println!("   nothing redeemable yet"),
            (None, _) => println!("   (redeeming is a write: pass --write)"),
        }
    }

    if let Some(member) = &demo {
        step.next("Credit 1000 to the balance, then debit 300");
        for (amount, credit) in [(1000u64, true), (300, false)] {
            let update = if credit {
                client
                    .credit_balance()
                    .body_map(|b| {
                        b.user(member)
                            .amount(amount)
                            .merchant(merchant)
                            .store(store)
                    })
                    .send()
                    .await?
            } else {
                client
                    .debit_balance()
                    .body_map(|b| {
                        b.user(member)
                            .amount(amount)
                            .merchant(merchant)
                            .store(store)
                    })
                    .send()
                    .await?
            }
            .into_inner();
            let verb = if credit { "credit" } else { "debit " };
            println!("   {verb} {amount}: balance {}", balance_of(&update));
        }
    }

    step.next("Handle a documented error: an unknown customer");
    let unknown = client
        .get_member_details()
        .user("nobody@example.invalid")
        .merchant(merchant)
        .send()
        .await;
    match unknown {
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

/// Prints what `get_member_details` says of `member`.
async fn print_member(
    client: &Client,
    member: &UserRef,
    merchant: MerchantId,
) -> stamps::Result<()> {
    let details = client
        .get_member_details()
        .user(member)
        .merchant(merchant)
        .send()
        .await?
        .into_inner();
    let user = details.user.unwrap_or_default();
    let membership = details.membership.unwrap_or_default();
    println!(
        "   {} <{}>: level {}, {} stamps, balance {}",
        show(&user.name),
        show(&user.email),
        show(&membership.status_text),
        show(&membership.stamps),
        show(&membership.balance),
    );
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
