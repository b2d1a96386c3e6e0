//! The loop most merchants build first, against the fake and through the SDK: a member
//! registers, earns stamps with a transaction, sees what they can redeem, redeems a
//! reward and cancels it, gets a voucher and validates it. Then the list operations'
//! streams walk every page.

use futures_util::TryStreamExt;
use serde_json::json;
use stamps::fake::{FakeStamps, NewMember, NewReward};
use stamps::types::Gender;
use stamps::{RewardRef, UserId};

const STORE: u64 = 3;

async fn register(fake: &FakeStamps) -> UserId {
    fake.client()
        .register_member()
        .body_map(|b| {
            b.name("Dewi Lestari")
                .email("dewi@example.com")
                .mobile_number("0812-1111-2222")
                .birthday(stamps::Date::from_ymd(1990, 1, 31).unwrap())
                .gender(Gender::Female)
                .merchant(fake.merchant())
                .store(stamps::StoreId::new(STORE))
        })
        .send()
        .await
        .expect("registered")
        .into_inner()
        .id
        .expect("an id")
}

async fn earn(fake: &FakeStamps, user: UserId, invoice: &str, value: u64) -> u64 {
    let created = "2024-03-01T10:00:00+07"
        .parse::<stamps::DateTime>()
        .unwrap();
    let answer = fake
        .client()
        .add_transaction()
        .body_map(|b| {
            // `user` is optional on this page (a transaction may have no member).
            b.user(user)
                .store(STORE)
                .invoice_number(invoice)
                .total_value(value as f64)
                .number_of_people(1)
                .created(created)
        })
        .send()
        .await
        .expect("the transaction is recorded")
        .into_inner();
    answer
        .transaction
        .and_then(|t| t.stamps_earned)
        .expect("stamps earned") as u64
}

#[tokio::test]
async fn a_member_earns_redeems_cancels_and_uses_a_voucher() {
    let fake = FakeStamps::start().await;
    let coffee = fake.add_reward(NewReward::new("Free coffee", 5).code("COFFEE"));
    let cake = fake.add_reward(NewReward::new("Cake", 50));
    let client = fake.client();

    // 1. Register.
    let dewi = register(&fake).await;
    assert_eq!(fake.stamps(dewi), Some(0));

    // 2. Earn: 80,000 at the fake's default rule (one stamp per 10,000) is 8 stamps.
    assert_eq!(earn(&fake, dewi, "INV-1", 80_000).await, 8);
    assert_eq!(fake.stamps(dewi), Some(8));

    // 3. What can Dewi redeem? Coffee (5), not cake (50).
    let rewards = client
        .list_rewards()
        .user(dewi.to_string())
        .merchant(fake.merchant())
        .store(STORE)
        .send()
        .await
        .expect("the rewards")
        .into_inner()
        .rewards;
    let redeemable: Vec<(Option<String>, Option<bool>)> = rewards
        .iter()
        .map(|r| (r.name.clone(), r.redeemable))
        .collect();
    assert_eq!(
        redeemable,
        [
            (Some("Free coffee".to_owned()), Some(true)),
            (Some("Cake".to_owned()), Some(false))
        ]
    );

    // 4. Redeem the coffee by its code: the stamps go down.
    let redemption = client
        .redeem_reward()
        .body_map(|b| {
            b.user(dewi)
                .store(STORE)
                .reward(RewardRef::code("COFFEE").unwrap())
        })
        .send()
        .await
        .expect("redeemed")
        .into_inner();
    assert_eq!(fake.stamps(dewi), Some(3));
    let redemption_id = redemption
        .redemption
        .and_then(|r| r.id)
        .expect("a redemption id");
    assert_eq!(redemption.membership.and_then(|m| m.stamps), Some(3));

    // Cake costs more than Dewi has: the documented 400 shape.
    let refused = client
        .redeem_reward()
        .body_map(|b| b.user(dewi).store(STORE).reward(cake.id))
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(refused.message(), Some("Insufficient stamps"));
    assert_eq!(fake.stamps(dewi), Some(3));

    // 5. Cancel the redemption: the stamps come back, once.
    let canceled = client
        .cancel_redemption()
        .body_map(|b| b.id(redemption_id.clone()))
        .send()
        .await
        .expect("canceled")
        .into_inner();
    assert_eq!(fake.stamps(dewi), Some(8));
    assert_eq!(canceled.customer.and_then(|c| c.stamps_remaining), Some(8));
    let again = client
        .cancel_redemption()
        .body_map(|b| b.id(redemption_id))
        .send()
        .await;
    assert!(again.is_err(), "a redemption is cancelled once");
    assert_eq!(fake.stamps(dewi), Some(8));

    // 6. Issue a voucher and validate it (the fake's voucher code is its id).
    let issued = client
        .issue_voucher()
        .body_map(|b| {
            b.user(dewi)
                .voucher_template(1)
                .start_date("2024-03-01")
                .quantity(1)
        })
        .send()
        .await
        .expect("issued")
        .into_inner();
    let voucher = issued.voucher.and_then(|v| v.id).expect("a voucher id");
    let valid = client
        .validate_voucher()
        .voucher_code(voucher.to_string())
        .merchant(fake.merchant())
        .store(STORE)
        .send()
        .await
        .expect("valid")
        .into_inner();
    assert_eq!(valid.is_redeemable, Some(true));
    assert_eq!(
        valid.user.and_then(|u| u.email).as_deref(),
        Some("dewi@example.com")
    );

    // Cancelling the transaction takes its stamps back.
    client
        .cancel_transaction()
        .body_map(|b| b.invoice_number("INV-1").date("2024-03-01"))
        .send()
        .await
        .expect("canceled");
    assert_eq!(fake.stamps(dewi), Some(0));
    let _ = coffee;
}

#[tokio::test]
async fn the_transaction_stream_walks_three_pages() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    for n in 0..25 {
        earn(&fake, alice.id, &format!("INV-{n}"), 10_000).await;
    }
    let before = fake.calls().len();
    let all: Vec<_> = fake
        .client()
        .list_member_transactions()
        .user("alice@example.com")
        .stream()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(all.len(), 25);
    let invoices: Vec<_> = all
        .iter()
        .map(|t| t.invoice_number.clone().unwrap())
        .collect();
    let expected: Vec<_> = (0..25).rev().map(|n| format!("INV-{n}")).collect();
    assert_eq!(invoices, expected, "newest first, none twice");

    // One call per page, 10 a page, each from the last id of the page before.
    let calls: Vec<_> = fake.calls()[before..].to_vec();
    assert_eq!(calls.len(), 3);
    let cursors: Vec<Option<&str>> = calls
        .iter()
        .map(|c| c.query_param("last_transaction_id"))
        .collect();
    let tenth = all[9].id.clone().unwrap().0.to_string();
    let twentieth = all[19].id.clone().unwrap().0.to_string();
    assert_eq!(
        cursors,
        [None, Some(tenth.as_str()), Some(twentieth.as_str())]
    );
    assert!(
        calls
            .iter()
            .all(|c| c.query_param("user") == Some("alice@example.com")),
        "filters are kept"
    );
}

#[tokio::test]
async fn the_activity_stream_walks_two_pages_and_the_reward_pages_stop() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    for n in 0..25 {
        earn(&fake, alice.id, &format!("INV-{n}"), 20_000).await;
    }
    let before = fake.calls().len();
    let feed: Vec<_> = fake
        .client()
        .list_activities()
        .user("alice@example.com")
        .stream()
        .try_collect()
        .await
        .expect("the feed");
    assert_eq!(feed.len(), 25);
    assert!(feed.iter().all(|a| a.type_ == Some(0)), "transactions");
    let calls = &fake.calls()[before..];
    // 20 a page: page 1, page 2 (5), then an empty page ends the walk.
    let cursors: Vec<Option<&str>> = calls.iter().map(|c| c.query_param("older_than")).collect();
    let twentieth = feed[19].id.unwrap().to_string();
    let last = feed[24].id.unwrap().to_string();
    assert_eq!(
        cursors,
        [None, Some(twentieth.as_str()), Some(last.as_str())]
    );

    for n in 0..3 {
        fake.add_reward(NewReward::new(format!("Reward {n}"), 1));
    }
    let pages: Vec<_> = fake
        .client()
        .list_rewards()
        .merchant(fake.merchant())
        .store(STORE)
        .per_page(2)
        .pages()
        .try_collect()
        .await
        .expect("the reward pages");
    let sizes: Vec<usize> = pages.iter().map(|p| p.rewards.len()).collect();
    assert_eq!(sizes, [2, 1]);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    for n in 0..15 {
        earn(&fake, alice.id, &format!("INV-{n}"), 10_000).await;
    }
    let client = fake.client_builder().max_retries(0).build().unwrap();
    let mut stream = client
        .list_member_transactions()
        .user("alice@example.com")
        .stream();
    let mut seen = 0;
    // The first page is answered; the second fails.
    while seen < 10 {
        stream.try_next().await.expect("page 1").expect("an item");
        seen += 1;
    }
    fake.fail_next(
        "list_member_transactions",
        1,
        stamps::fake::Failure::json(400, &json!({"detail": "nope"})),
    );
    let error = stream.try_next().await.expect_err("page 2 fails");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "the stream ends"
    );
}
