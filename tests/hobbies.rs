//! Hobbies API (docs page hobbies_api): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::Api;

/// The documentation's hobby codes.
fn codes() -> Vec<String> {
    vec!["stuff".to_owned(), "things".to_owned()]
}

#[tokio::test]
async fn set_hobbies_sends_the_documented_body_and_decodes_the_hobbies() {
    let api = Api::start().await;
    let mock = api.expect_documented("set_hobbies");

    let set = api
        .client
        .set_hobbies()
        .body_map(|b| b.user(123).hobbies(codes()))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [stuff, things] = set.hobbies.as_slice() else {
        panic!("two hobbies: {:?}", set.hobbies);
    };
    assert_eq!(stuff.id, Some(1));
    assert_eq!(stuff.code.as_deref(), Some("stuff"));
    assert_eq!(stuff.name.as_deref(), Some("Stuff"));
    assert_eq!(things.id, Some(2));
    assert_eq!(things.code.as_deref(), Some("things"));
    assert_eq!(things.name.as_deref(), Some("Things"));
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("set_hobbies", async |client| {
        client
            .set_hobbies()
            .body_map(|b| b.user(123).hobbies(codes()))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
