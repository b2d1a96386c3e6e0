//! Membership API, legacy v1 (docs file 002): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::{Api, request_example, response_example};
use serde_json::Value;
use stamps::types::{CodeOrLabel, Gender};
use stamps::{UserId, UserRef};

/// The documented body of `operation` as the client sends it: the examples write the
/// gender `"Female"`, the tables (and the client, which shares the v2 `Gender`) the
/// lowercase `"female"`. Everything else is the example, byte for byte.
fn documented_body_with_table_gender(operation: &str) -> Value {
    let mut body = request_example(operation, "docs");
    assert_eq!(body["gender"], "Female", "{operation}: the example changed");
    body["gender"] = "female".into();
    body
}

#[tokio::test]
async fn get_member_status_sends_the_documented_query_and_decodes_the_member() {
    let api = Api::start().await;
    let mock = api.expect_documented("get_member_status");

    let member = api
        .client
        .get_member_status()
        .user("customer@stamps.co.id")
        .merchant(14)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(member.id, Some(UserId::new(2456)));
    assert_eq!(member.name.as_deref(), Some("Alice"));
    assert_eq!(member.stamps, Some(10));
    assert_eq!(member.balance, Some(2000));
    assert_eq!(member.membership_status.as_deref(), Some("Gold"));
    assert_eq!(member.phone.as_deref(), Some("+6281111111"));
    assert_eq!(member.birthday.as_deref(), Some("2000-09-15"));
    assert_eq!(member.address.as_deref(), Some("Baker Street 221B"));
    assert!(
        matches!(member.gender, Some(CodeOrLabel::Code(2))),
        "{:?}",
        member.gender
    );
    assert_eq!(member.member_ids, ["123456789012", "123456789011"]);
    assert_eq!(member.email, None);
    assert_eq!(member.detail, None);
}

#[tokio::test]
async fn get_member_status_refuses_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let bad_user = api
        .client
        .get_member_status()
        .user("customer@")
        .merchant(14)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(bad_user, stamps::Error::InvalidInput { .. }),
        "{bad_user:?}"
    );
    assert!(bad_user.to_string().contains("user"), "{bad_user}");
    let negative_merchant = api
        .client
        .get_member_status()
        .user(UserRef::id(2456))
        .merchant(-14)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(negative_merchant, stamps::Error::InvalidInput { .. }),
        "{negative_merchant:?}"
    );
    assert!(
        negative_merchant.to_string().contains("merchant"),
        "{negative_merchant}"
    );
    let missing = api
        .client
        .get_member_status()
        .user(2456)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, stamps::Error::InvalidInput { .. }),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("merchant"), "{missing}");
    anything.assert_calls(0);
}

#[tokio::test]
async fn register_member_legacy_sends_the_documented_body_and_decodes_the_customer() {
    let api = Api::start().await;
    let mock = api.expect(
        "register_member_legacy",
        |when| when.json_body(documented_body_with_table_gender("register_member_legacy")),
        200,
        &response_example("register_member_legacy", "200", "docs"),
    );

    let registered = api
        .client
        .register_member_legacy()
        .body_map(|b| {
            b.name("me")
                .email("me@mail.com")
                .member_id("123412341234".to_owned())
                .phone("+62215600010".to_owned())
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(14)
                .address("221b Baker Street".to_owned())
                .store(2)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = registered.customer;
    assert_eq!(customer.id, Some(UserId::new(3)));
    assert_eq!(customer.name.as_deref(), Some("me"));
    assert_eq!(customer.email.as_deref(), Some("me@mail.com"));
    assert_eq!(customer.identifier.as_deref(), Some("me@mail.com"));
    assert_eq!(customer.member_id.as_deref(), Some("123412341234"));
    assert_eq!(customer.phone.as_deref(), Some("0215600010"));
    assert_eq!(customer.birthday.as_deref(), Some("1991-10-19"));
    assert!(
        matches!(&customer.gender, Some(CodeOrLabel::Label(Some(g))) if g == "Female"),
        "{:?}",
        customer.gender
    );
}

#[tokio::test]
async fn change_member_legacy_sends_the_documented_body_and_decodes_the_customer() {
    let api = Api::start().await;
    let mock = api.expect(
        "change_member_legacy",
        |when| when.json_body(documented_body_with_table_gender("change_member_legacy")),
        200,
        &response_example("change_member_legacy", "200", "docs"),
    );

    let changed = api
        .client
        .change_member_legacy()
        .body_map(|b| {
            b.id(123)
                .name("me")
                .email("me@mail.com".to_owned())
                .member_id("123412341234".to_owned())
                .phone("+62215600010".to_owned())
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(14)
                .address("221b Baker Street".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let customer = changed.customer;
    assert_eq!(customer.id, Some(UserId::new(3)));
    assert_eq!(customer.name.as_deref(), Some("me"));
    assert_eq!(customer.member_id.as_deref(), Some("123412341234"));
    assert_eq!(customer.phone.as_deref(), Some("0215600010"));
    assert_eq!(customer.identifier, None);
    assert!(
        matches!(&customer.gender, Some(CodeOrLabel::Label(Some(g))) if g == "Female"),
        "{:?}",
        customer.gender
    );
}

#[tokio::test]
async fn legacy_writes_refuse_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let bad_birthday = api
        .client
        .register_member_legacy()
        .body_map(|b| {
            b.name("me")
                .email("me@mail.com")
                .birthday("1991-10-1")
                .gender(Gender::Female)
                .merchant(14)
                .store(2)
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(bad_birthday, stamps::Error::InvalidInput { .. }),
        "{bad_birthday:?}"
    );
    assert!(
        bad_birthday.to_string().contains("expected YYYY-MM-DD"),
        "{bad_birthday}"
    );
    let no_store = api
        .client
        .register_member_legacy()
        .body_map(|b| {
            b.name("me")
                .email("me@mail.com")
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(14)
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(no_store, stamps::Error::InvalidInput { .. }),
        "{no_store:?}"
    );
    assert!(no_store.to_string().contains("store"), "{no_store}");
    let negative_id = api
        .client
        .change_member_legacy()
        .body_map(|b| {
            b.id(-123)
                .name("me")
                .birthday("1991-10-19")
                .gender(Gender::Female)
                .merchant(14)
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(negative_id, stamps::Error::InvalidInput { .. }),
        "{negative_id:?}"
    );
    assert!(
        negative_id
            .to_string()
            .contains("a user id cannot be negative"),
        "{negative_id}"
    );
    anything.assert_calls(0);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("get_member_status", async |client| {
        client
            .get_member_status()
            .user("customer@stamps.co.id")
            .merchant(14)
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("register_member_legacy", async |client| {
        client
            .register_member_legacy()
            .body_map(|b| {
                b.name("me")
                    .email("me@mail.com")
                    .birthday("1991-10-19")
                    .gender(Gender::Female)
                    .merchant(14)
                    .store(2)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("change_member_legacy", async |client| {
        client
            .change_member_legacy()
            .body_map(|b| {
                b.id(123)
                    .name("me")
                    .birthday("1991-10-19")
                    .gender(Gender::Female)
                    .merchant(14)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
}
