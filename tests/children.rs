//! Children API (docs file 000): the documented request on the wire, the documented
//! answer decoded, the documented errors decoded.

use crate::common;

use common::Api;
use stamps::types::ChildGender;
use stamps::{ChildId, UserRef};

#[tokio::test]
async fn add_child_sends_the_documented_body_and_decodes_the_child() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_child");

    let added = api
        .client
        .add_child()
        .body_map(|b| {
            b.user(123)
                .name("child")
                .birthday("1991-10-19")
                .gender(ChildGender::F)
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let child = added.child;
    assert_eq!(child.id, Some(ChildId::new(1)));
    assert_eq!(child.name.as_deref(), Some("Child 1"));
    assert_eq!(child.birthday.as_deref(), Some("2099-09-09"));
    assert_eq!(child.gender.as_deref(), Some("f"));
}

#[tokio::test]
async fn add_child_refuses_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let cases = [
        ("", "1991-10-19", "empty user identifier"),
        ("a@", "1991-10-19", "no domain"),
        ("alice@example.com", "1991-02-30", "not a real date"),
    ];
    for (user, birthday, expected) in cases {
        let error = api
            .client
            .add_child()
            .body_map(|b| {
                b.user(user)
                    .name("child")
                    .birthday(birthday)
                    .gender(ChildGender::M)
            })
            .send()
            .await
            .expect_err("invalid input");
        assert!(
            matches!(error, stamps::Error::InvalidInput { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains(expected), "{error}");
    }
    let missing = api
        .client
        .add_child()
        .body_map(|b| b.user(UserRef::id(1)).name("x"))
        .send()
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("birthday"), "{missing}");
    anything.assert_calls(0);
}

#[tokio::test]
async fn delete_child_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("delete_child");

    let deleted = api
        .client
        .delete_child()
        .body_map(|b| b.child(123))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(deleted.status, "ok");
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_child", async |client| {
        client
            .add_child()
            .body_map(|b| {
                b.user(123)
                    .name("child")
                    .birthday("1991-10-19")
                    .gender(ChildGender::F)
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("delete_child", async |client| {
        client
            .delete_child()
            .body_map(|b| b.child(123))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
