//! Merchant API (docs page merchant_api): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::Api;

#[tokio::test]
async fn add_or_update_payment_method_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("add_or_update_payment_method");

    let answer = api
        .client
        .add_or_update_payment_method()
        .body_map(|b| b.name("VISA").code("VISA").eligible_for_points(true))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status.as_deref(), Some("ok"));
    assert_eq!(answer.errors, None);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("add_or_update_payment_method", async |client| {
        client
            .add_or_update_payment_method()
            .body_map(|b| b.name("VISA").code("VISA").eligible_for_points(true))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
