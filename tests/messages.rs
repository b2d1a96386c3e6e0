//! Messages API (docs page messages_api): the documented request on the wire, the
//! documented answer decoded, the documented errors decoded.

use crate::common;

use common::Api;
use serde_json::json;
use stamps::types;

/// The documentation's template context (free-form JSON).
fn otp_context() -> types::MessageTemplateContext {
    serde_json::from_value(json!({"otp": "123123"})).unwrap()
}

#[tokio::test]
async fn send_message_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("send_message");

    let sent = api
        .client
        .send_message()
        .body_map(|b| {
            b.template("otp_wa")
                .recipient("+628123456789")
                .context(otp_context())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(sent.status, "ok");
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("send_message", async |client| {
        client
            .send_message()
            .body_map(|b| {
                b.template("otp_wa")
                    .recipient("+628123456789")
                    .context(otp_context())
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
}
