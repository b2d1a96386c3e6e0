//! Feedback API (docs page feedback_api): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::Api;

#[tokio::test]
async fn add_feedback_sends_the_documented_body_and_decodes_the_feedback() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_feedback");

    let added = api
        .client
        .add_feedback()
        .body_map(|b| {
            // `score` is optional (1 to 5, a `NonZeroU64`): the setter takes any integer
            // that converts, and refuses 0.
            b.user("customer@stamps.co.id")
                .score(5u64)
                .content("Very happy with Stamps!".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let feedback = added.feedback.expect("the created feedback");
    assert_eq!(feedback.id, Some(17));
    assert_eq!(feedback.score, Some(5));
    assert_eq!(feedback.content.as_deref(), Some("Very happy with Stamps!"));
    assert_eq!(added.detail, None);
    assert_eq!(added.validation_errors, None);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_feedback", async |client| {
        client
            .add_feedback()
            .body_map(|b| {
                b.user("customer@stamps.co.id")
                    .score(5u64)
                    .content("Very happy with Stamps!".to_owned())
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
}
