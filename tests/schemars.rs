//! The `schemars` feature: the schema schemars produces for a request type accepts
//! that operation's documented example, and refuses it with a required field taken
//! out. Run with `cargo test --features schemars --test schemars` (CI does);
//! without the feature, cargo skips this binary (`required-features`).

mod common;

use serde_json::Value;

fn validator<T: schemars::JsonSchema>() -> jsonschema::Validator {
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    jsonschema::validator_for(&schema).expect("schemars writes a valid JSON Schema")
}

/// `example` is valid, and invalid without each of `required`.
fn check(validator: &jsonschema::Validator, example: &Value, required: &[&str]) {
    let errors: Vec<String> = validator
        .iter_errors(example)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{example}: {errors:?}");
    for field in required {
        let mut without = example.clone();
        without.as_object_mut().unwrap().remove(*field);
        assert!(
            !validator.is_valid(&without),
            "valid without {field}: {without}"
        );
    }
}

#[test]
fn request_schemas_accept_the_docs_examples_and_refuse_them_without_a_required_field() {
    check(
        &validator::<stamps::types::BalanceUpdateRequest>(),
        &common::request_example("credit_balance", "docs"),
        &["user", "amount", "merchant", "store"],
    );
    check(
        &validator::<stamps::types::AddTransactionRequest>(),
        &common::request_example("add_transaction", "docs"),
        &["store", "invoice_number", "total_value", "created"],
    );
    check(
        &validator::<stamps::types::AuthorizeRedemptionRequest>(),
        &common::request_example("authorize_redemption", "docs"),
        &["pin"],
    );
}

#[test]
fn the_hand_written_types_describe_themselves_with_the_specs_schema() {
    let user = validator::<stamps::UserRef>();
    assert!(user.is_valid(&serde_json::json!("customer@stamps.co.id")));
    assert!(user.is_valid(&serde_json::json!(6)));
    assert!(
        !user.is_valid(&serde_json::json!(0)),
        "a primary key starts at 1"
    );
    let date = validator::<stamps::Date>();
    assert!(date.is_valid(&serde_json::json!("1991-10-19")));
    let created = validator::<stamps::DateTime>();
    assert!(created.is_valid(&serde_json::json!("2013-02-15T13:01:01+07")));
    assert!(!created.is_valid(&serde_json::json!("yesterday")));
    let reward = validator::<stamps::RewardRef>();
    assert!(
        reward.is_valid(&serde_json::json!(12)) && reward.is_valid(&serde_json::json!("COFFEE"))
    );
    assert!(validator::<stamps::Secret>().is_valid(&serde_json::json!("123456")));
}
