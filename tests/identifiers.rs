//! `UserRef`: classifying, validating and normalising how a call names a customer,
//! and plugging into the generated builders.

use crate::common;

use common::Api;
use serde_json::json;
use stamps::{Error, UserId, UserRef};

#[test]
fn parses_and_classifies_identifiers() {
    let cases: &[(&str, UserRef)] = &[
        (
            "alice@stamps.co.id",
            UserRef::Email("alice@stamps.co.id".into()),
        ),
        (
            "  bob@example.com ",
            UserRef::Email("bob@example.com".into()),
        ),
        ("+6281234567890", UserRef::Mobile("+6281234567890".into())),
        (
            "+62 812-3456-7890",
            UserRef::Mobile("+6281234567890".into()),
        ),
        ("081234567890", UserRef::Mobile("+6281234567890".into())),
        ("6281234567890", UserRef::Mobile("+6281234567890".into())),
        ("0812-3456-7890", UserRef::Mobile("+6281234567890".into())),
        ("(0812) 3456 7890", UserRef::Mobile("+6281234567890".into())),
        ("+14155552671", UserRef::Mobile("+14155552671".into())),
        ("123", UserRef::Id(123)),
        ("8120", UserRef::Id(8120)),
        ("999999999", UserRef::Id(999_999_999)),
        ("1234567890", UserRef::MemberId("1234567890".into())),
        ("123456789012", UserRef::MemberId("123456789012".into())),
        ("0123", UserRef::MemberId("0123".into())),
        ("RRR123456", UserRef::MemberId("RRR123456".into())),
        ("AOSVD", UserRef::MemberId("AOSVD".into())),
        ("08123abc", UserRef::MemberId("08123abc".into())),
    ];
    for (input, expected) in cases {
        assert_eq!(&input.parse::<UserRef>().unwrap(), expected, "{input:?}");
    }
}

#[test]
fn refuses_invalid_identifiers_with_a_clear_message() {
    let cases = [
        ("", "empty user identifier"),
        ("   ", "empty user identifier"),
        ("a@", "no domain after the @"),
        ("@example.com", "nothing before the @"),
        ("alice@example", "not a dotted name"),
        ("al ice@example.com", "contains spaces"),
        ("a@b@c.com", "more than one @"),
        ("+62812abc", "contains letters"),
        ("+62 81", "8 to 15 digits"),
        ("+6281234567890123", "8 to 15 digits"),
        ("RRR 123", "contains spaces"),
    ];
    for (input, expected) in cases {
        let error = input.parse::<UserRef>().unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{input:?}");
        assert!(error.to_string().contains(expected), "{input:?}: {error}");
    }
}

#[test]
fn explicit_constructors_validate_what_they_are_told() {
    assert_eq!(
        UserRef::mobile("0812 3456 7890").unwrap().to_string(),
        "+6281234567890"
    );
    assert_eq!(
        UserRef::mobile("(0812) 3456-7890").unwrap().to_string(),
        "+6281234567890"
    );
    assert!(
        UserRef::mobile("0812-CALL-ME")
            .unwrap_err()
            .to_string()
            .contains("contains letters")
    );
    assert!(
        UserRef::mobile("12345678")
            .unwrap_err()
            .to_string()
            .contains("+<country code>")
    );
    assert!(
        UserRef::mobile("")
            .unwrap_err()
            .to_string()
            .contains("empty mobile number")
    );
    assert_eq!(
        UserRef::member_id("12345").unwrap(),
        UserRef::MemberId("12345".into())
    );
    assert!(UserRef::member_id(" ").is_err());
    assert_eq!(UserRef::email("A@B.co").unwrap().to_string(), "A@B.co");
    assert!(
        UserRef::email("")
            .unwrap_err()
            .to_string()
            .contains("empty email")
    );
    assert_eq!(UserRef::id(7), UserRef::Id(7));
    assert_eq!(UserRef::from(UserId::new(9)), UserRef::Id(9));
}

#[test]
fn display_is_the_normalised_form_and_parsing_it_round_trips() {
    for input in [
        "081234567890",
        "alice@stamps.co.id",
        "42",
        "RRR123456",
        "+6281234567890",
    ] {
        let user: UserRef = input.parse().unwrap();
        assert_eq!(
            user.to_string().parse::<UserRef>().unwrap(),
            user,
            "{input}"
        );
    }
}

#[test]
fn a_primary_key_is_a_json_integer_and_the_rest_are_strings() {
    let users = [
        UserRef::Id(123),
        UserRef::email("a@b.co").unwrap(),
        UserRef::mobile("08123456789").unwrap(),
    ];
    assert_eq!(
        serde_json::to_value(users).unwrap(),
        json!([123, "a@b.co", "+628123456789"])
    );
}

#[tokio::test]
async fn builders_take_strings_integers_and_user_refs() {
    let api = Api::start().await;
    // What goes on the wire, and how many of the calls below send it.
    let expected = [
        (json!("a@b.co"), 2),
        (json!(8120), 1),
        (json!("+6281234567890"), 1),
        (json!(77), 1),
    ];
    let mocks: Vec<_> = expected
        .iter()
        .map(|(user, _)| {
            api.server.mock(|when, then| {
                when.path("/api/v2/memberships/anonymize")
                    .json_body(json!({"identifier": user}));
                then.status(200).body(r#"{"status": "ok"}"#);
            })
        })
        .collect();
    let client = &api.client;
    client
        .anonymize_member()
        .body_map(|b| b.identifier("a@b.co"))
        .send()
        .await
        .unwrap();
    client
        .anonymize_member()
        .body_map(|b| b.identifier(8120))
        .send()
        .await
        .unwrap();
    client
        .anonymize_member()
        .body_map(|b| b.identifier(UserRef::mobile("0812-3456-7890")))
        .send()
        .await
        .unwrap();
    client
        .anonymize_member()
        .body_map(|b| b.identifier(UserRef::email("a@b.co").unwrap()))
        .send()
        .await
        .unwrap();
    client
        .anonymize_member()
        .body_map(|b| b.identifier(UserId::new(77)))
        .send()
        .await
        .unwrap();
    for (mock, (_, calls)) in mocks.iter().zip(expected) {
        mock.assert_calls(calls);
    }
}

#[tokio::test]
async fn an_invalid_identifier_fails_the_call_before_sending_and_says_why() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let in_body = api
        .client
        .anonymize_member()
        .body_map(|b| b.identifier(UserRef::email("no-domain@")))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(in_body, Error::InvalidInput { .. }));
    assert!(
        in_body.to_string().contains("no domain after the @"),
        "{in_body}"
    );

    let in_query = api
        .client
        .get_full_profile()
        .user("")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(in_query, Error::InvalidInput { .. }));
    assert_eq!(
        in_query.to_string(),
        "invalid input: conversion to `UserRef` for user failed"
    );

    let negative = api
        .client
        .get_full_profile()
        .user(-5)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(negative, Error::InvalidInput { .. }),
        "{negative:?}"
    );
    anything.assert_calls(0);
}
