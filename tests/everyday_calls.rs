//! The calls a point of sale makes most, written as a new user writes them: `?` into an
//! application's own error type, the merchant set once on the client, customers named
//! the same way everywhere, rewards redeemed by the id their listing gave, and a sale's
//! items and payments built with builders.

use httpmock::Method::{GET, POST};
use serde_json::{Value, json};
use stamps::fake::{FakeStamps, NewMember, NewReward};
use stamps::types::{TransactionItem, TransactionPayment};
use stamps::{Client, Error, UserRef};

use crate::common::{Api, TOKEN, builder, response_example, spec};

/// An application's own function: it returns `Box<dyn Error>`, as most do.
async fn member_name(
    client: &Client,
    user: &str,
) -> Result<Option<String>, Box<dyn std::error::Error + Send + Sync>> {
    let details = client.get_member_details().user(user).send().await?;
    Ok(details.into_inner().user.and_then(|u| u.name))
}

#[tokio::test]
async fn an_unknown_customer_through_question_mark_keeps_the_api_code_and_message() {
    let fake = FakeStamps::start().await;
    let client = fake.client();

    let error = member_name(&client, "nobody@example.com")
        .await
        .expect_err("no such member");

    let stamps = error
        .downcast_ref::<Error>()
        .expect("a stamps::Error, not progenitor's");
    assert_eq!(stamps.status().map(|s| s.as_u16()), Some(400));
    assert!(stamps.code().is_some(), "{stamps:?}");
    let shown = error.to_string();
    let code = stamps.code().unwrap().to_string();
    assert!(shown.contains(&code), "{shown}");
    assert!(shown.contains(stamps.message().unwrap()), "{shown}");
    // Nothing invented: the message speaks of the API's answer, not a made-up URL.
    assert!(!shown.contains("no.url.provided"), "{shown}");
    assert!(!shown.contains("Unexpected Response"), "{shown}");
}

/// A client for `api`'s server whose merchant is 14.
fn merchant_14(api: &Api) -> Client {
    builder(&api.server)
        .token(TOKEN)
        .merchant(14)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_client_level_merchant_goes_on_every_call_that_takes_one() {
    let api = Api::start().await;
    let details = api.server.mock(|when, then| {
        when.method(GET)
            .path("/api/v2/memberships/details")
            .query_param("user", "alice@example.com")
            .query_param("merchant", "14")
            .header("authorization", format!("Token {TOKEN}"));
        then.status(200)
            .json_body(response_example("get_member_details", "200", "docs"));
    });
    let credit = api.server.mock(|when, then| {
        when.method(POST)
            .path("/api/balances/credit")
            .json_body(json!({"user": "alice@example.com", "amount": 1000, "type": "stamps", "merchant": 14, "store": 3}));
        then.status(200)
            .json_body(response_example("credit_balance", "200", "docs"));
    });
    let client = merchant_14(&api);

    client
        .get_member_details()
        .user("alice@example.com")
        .send()
        .await
        .expect("merchant 14 from the client");
    client
        .credit_balance()
        .body_map(|b| b.user("alice@example.com").amount(1000).store(3))
        .send()
        .await
        .expect("merchant 14 from the client, in the body");

    details.assert();
    credit.assert();
}

#[tokio::test]
async fn a_call_that_sets_the_merchant_overrides_the_client() {
    let api = Api::start().await;
    let mock = api.server.mock(|when, then| {
        when.method(GET)
            .path("/api/v2/memberships/details")
            .query_param("merchant", "99");
        then.status(200)
            .json_body(response_example("get_member_details", "200", "docs"));
    });
    let client = merchant_14(&api);
    client
        .get_member_details()
        .user("alice@example.com")
        .merchant(99)
        .send()
        .await
        .expect("the call's merchant");
    mock.assert();
}

#[tokio::test]
async fn access_token_from_sets_the_client_merchant_too() {
    let fake = FakeStamps::start().await;
    let client = Client::builder()
        .access_token_from(fake.token(), fake.merchant())
        .base_url(fake.base_url())
        .build()
        .unwrap();
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let details = client
        .get_member_details()
        .user("alice@example.com")
        .send()
        .await
        .expect("the merchant of the exchange")
        .into_inner();
    assert_eq!(details.user.and_then(|u| u.id), Some(alice.id));
}

#[tokio::test]
async fn every_missing_input_is_named_at_once_and_nothing_is_sent() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();

    let error = api.client.get_member_details().send().await.unwrap_err();
    let Error::InvalidInput { message } = &error else {
        panic!("{error:?}")
    };
    assert!(
        message.contains("merchant was not initialized"),
        "{message}"
    );
    assert!(message.contains("ClientBuilder::merchant"), "{message}");
    assert!(message.contains("user was not initialized"), "{message}");

    let error = api
        .client
        .credit_balance()
        .body_map(|b| b.store(3))
        .send()
        .await
        .unwrap_err();
    let Error::InvalidInput { message } = &error else {
        panic!("{error:?}")
    };
    for field in ["user", "amount", "merchant"] {
        assert!(
            message.contains(&format!("no value supplied for {field}")),
            "{field}: {message}"
        );
    }
    anything.assert_calls(0);
}

#[tokio::test]
async fn a_customer_is_named_the_same_way_in_queries_and_bodies() {
    let api = Api::start().await;
    let by_mobile = api.server.mock(|when, then| {
        when.method(GET)
            .path("/api/transactions/by-user")
            .query_param("user", "+6281234567890");
        then.status(200)
            .json_body(response_example("list_member_transactions", "200", "docs"));
    });
    let rewards = api.server.mock(|when, then| {
        when.method(GET)
            .path("/api/rewards/")
            .query_param("user", "alice@example.com");
        then.status(200)
            .json_body(response_example("list_rewards", "200", "docs"));
    });
    let sale = api.server.mock(|when, then| {
        when.method(POST)
            .path("/api/v2/transactions/add")
            .body_includes(r#""user":"alice@example.com""#);
        then.status(200)
            .json_body(response_example("add_transaction", "200", "docs"));
    });

    api.client
        .list_member_transactions()
        .user(UserRef::mobile("0812-3456-7890").unwrap())
        .send()
        .await
        .expect("a UserRef in a query");
    api.client
        .list_rewards()
        .user("alice@example.com")
        .merchant(14)
        .store(3)
        .send()
        .await
        .expect("a &str in a query");
    api.client
        .add_transaction()
        .body_map(|b| {
            b.user("alice@example.com")
                .store(3)
                .invoice_number("INV-1")
                .total_value(10_000.0)
                .number_of_people(1)
                .created(
                    "2024-03-01T10:00:00+07"
                        .parse::<stamps::DateTime>()
                        .unwrap(),
                )
        })
        .send()
        .await
        .expect("a &str in an optional body field");

    by_mobile.assert();
    rewards.assert();
    sale.assert();
}

/// Every parameter or body property that names an existing customer is a
/// `UserIdentifier`, so its setter takes what `UserRef` takes.
#[test]
fn every_customer_field_of_the_spec_is_a_user_identifier() {
    let doc = spec();
    let is_identifier = |schema: &Value| {
        let r = schema["$ref"]
            .as_str()
            .or(schema["allOf"][0]["$ref"].as_str());
        r == Some("#/components/schemas/UserIdentifier")
    };
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or(method);
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "user" {
                    checked += 1;
                    if !is_identifier(&p["schema"]) {
                        wrong.push(format!("{id} {path}: parameter user"));
                    }
                }
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            let body = crate::common::resolve(body);
            for name in ["user", "identifier"] {
                let property = &body["properties"][name];
                // `register_member_partial`'s `user` is the new member's contact, not
                // an existing customer.
                if property.is_null() || id == "register_member_partial" {
                    continue;
                }
                checked += 1;
                if !is_identifier(property) {
                    wrong.push(format!("{id} {path}: body {name}"));
                }
            }
        }
    }
    assert!(checked > 50, "{checked}");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn a_reward_is_redeemed_by_the_id_its_listing_returned() {
    let fake = FakeStamps::start().await;
    fake.add_reward(NewReward::new("Free coffee", 5).code("COFFEE"));
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com").stamps(8));
    let client = fake.client();

    let listing = client
        .list_rewards()
        .user("alice@example.com")
        .store(3)
        .send()
        .await
        .expect("the rewards")
        .into_inner();
    // The listing speaks of the member asked about.
    let customer = listing.customer.expect("the customer");
    assert_eq!(customer.id, Some(alice.id));
    assert_eq!(customer.stamps, Some(8));
    let coffee = &listing.rewards[0];

    client
        .redeem_reward()
        .body_map(|b| b.user("alice@example.com").store(3).reward(coffee))
        .send()
        .await
        .expect("redeemed by the listed reward");
    client
        .redeem_reward()
        .body_map(|b| {
            b.user("alice@example.com")
                .store(3)
                .reward(coffee.id.clone())
        })
        .send()
        .await
        .expect_err("3 stamps left: not enough for another");
    assert_eq!(fake.stamps(alice.id), Some(3));
}

#[tokio::test]
async fn a_sale_with_two_items_and_two_payments_built_with_builders() {
    let fake = FakeStamps::start().await;
    let alice = fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let client = fake.client();

    let sale = client
        .add_transaction()
        .body_map(|b| {
            b.user("alice@example.com")
                .store(3)
                .invoice_number("POS-0001")
                .total_value(85_000.0)
                .number_of_people(2)
                .created(
                    "2024-03-01T10:00:00+07"
                        .parse::<stamps::DateTime>()
                        .unwrap(),
                )
                .items([
                    TransactionItem::builder()
                        .product_name("Latte")
                        .quantity(2.0)
                        .subtotal(60_000.0),
                    TransactionItem::builder()
                        .product_name("Croissant")
                        .quantity(1.0)
                        .subtotal(25_000.0),
                ])
                .payments([
                    TransactionPayment::builder()
                        .value(50_000.0)
                        .payment_method(10),
                    TransactionPayment::builder()
                        .value(35_000.0)
                        .payment_method(43),
                ])
        })
        .send()
        .await
        .expect("the sale is recorded")
        .into_inner();

    assert_eq!(sale.transaction.and_then(|t| t.stamps_earned), Some(8));
    assert_eq!(fake.stamps(alice.id), Some(8));
}

#[tokio::test]
async fn a_builder_missing_a_field_is_invalid_input_naming_it() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let error = api
        .client
        .add_transaction()
        .body_map(|b| {
            b.store(3)
                .invoice_number("POS-0002")
                .total_value(1.0)
                .number_of_people(1)
                .created(
                    "2024-03-01T10:00:00+07"
                        .parse::<stamps::DateTime>()
                        .unwrap(),
                )
                .items([TransactionItem::builder().quantity(1.0)])
        })
        .send()
        .await
        .unwrap_err();
    let Error::InvalidInput { message } = &error else {
        panic!("{error:?}")
    };
    assert!(message.contains("items"), "{message}");
    assert!(message.contains("product_name"), "{message}");
    anything.assert_calls(0);
}

#[tokio::test]
async fn a_transaction_without_a_customer_is_an_open_one() {
    let fake = FakeStamps::start().await;
    let answer = fake
        .client()
        .add_transaction()
        .body_map(|b| {
            b.store(3)
                .invoice_number("OPEN-1")
                .total_value(50_000.0)
                .number_of_people(1)
                .created(
                    "2024-03-01T10:00:00+07"
                        .parse::<stamps::DateTime>()
                        .unwrap(),
                )
        })
        .send()
        .await
        .expect("an open transaction is accepted")
        .into_inner();
    assert_eq!(answer.customer, None);
    let transaction = answer.transaction.expect("the transaction");
    assert_eq!(transaction.stamps_earned, Some(0));
}

#[tokio::test]
async fn a_refusal_shows_its_field_errors() {
    let fake = FakeStamps::start().await;
    fake.add_member(NewMember::new("Alice").email("alice@example.com"));
    let error = fake
        .client()
        .redeem_reward()
        .body_map(|b| b.user("alice@example.com").store(3).reward(404))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.field_errors().get("reward"),
        Some(&vec!["Reward not found".to_owned()])
    );
    let shown = error.to_string();
    assert!(shown.ends_with(": Reward not found (reward)"), "{shown}");
}
