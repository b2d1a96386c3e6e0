//! Accounts API v2 (docs file 004): the documented request on the wire, the documented
//! answer decoded, the documented errors decoded.

use crate::common;

use common::Api;
use stamps::UserRef;
use stamps::types::OtpChannel;

#[tokio::test]
async fn request_mobile_number_change_otp_sends_the_documented_body_and_decodes_the_otp() {
    let api = Api::start().await;
    let mock = api.expect_documented("request_mobile_number_change_otp");

    let answer = api
        .client
        .request_mobile_number_change_otp()
        .body_map(|b| {
            // `identifier` is optional here (the table lists `mobile_number` instead), so
            // it takes a `UserRef`, not a literal or a string.
            b.identifier(UserRef::id(123))
                .type_(OtpChannel::Sms)
                .template_code("OTP_1")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.otp, "1234");
    assert_eq!(answer.status, None);
}

#[tokio::test]
async fn change_mobile_number_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("change_mobile_number");

    let changed = api
        .client
        .change_mobile_number()
        .body_map(|b| b.identifier(123).new_number("+628123454321").otp("1234"))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(changed.status, "ok");
}

#[tokio::test]
async fn request_email_change_otp_sends_the_documented_body_and_decodes_the_otp() {
    let api = Api::start().await;
    let mock = api.expect_documented("request_email_change_otp");

    let answer = api
        .client
        .request_email_change_otp()
        .body_map(|b| {
            b.new_email("alice@stamps.co.id")
                .template_code("OTP_1".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.otp, "123456");
    assert_eq!(answer.status, None);
}

#[tokio::test]
async fn change_email_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("change_email");

    let changed = api
        .client
        .change_email()
        .body_map(|b| b.user(123).new_email("alice@stamps.co.id").otp("123456"))
        .send()
        .await
        .unwrap()
        .into_inner();

    mock.assert();
    assert_eq!(changed.status, "ok");
}

#[tokio::test]
async fn account_changes_refuse_bad_input_before_sending() {
    let api = Api::start().await;
    let anything = api.fail_anything_else();
    let bad_user = api
        .client
        .change_email()
        .body_map(|b| {
            b.user(UserRef::email("alice@stamps"))
                .new_email("alice@stamps.co.id")
                .otp("123456")
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(bad_user, stamps::Error::InvalidInput { .. }),
        "{bad_user:?}"
    );
    assert!(
        bad_user
            .to_string()
            .contains("the domain is not a dotted name"),
        "{bad_user}"
    );
    let bad_identifier = api
        .client
        .change_mobile_number()
        .body_map(|b| {
            b.identifier(UserRef::mobile("0812-34"))
                .new_number("+628123454321")
                .otp("1234")
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(bad_identifier, stamps::Error::InvalidInput { .. }),
        "{bad_identifier:?}"
    );
    assert!(
        bad_identifier.to_string().contains("8 to 15 digits"),
        "{bad_identifier}"
    );
    let no_otp = api
        .client
        .change_email()
        .body_map(|b| b.user(123).new_email("alice@stamps.co.id"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(no_otp, stamps::Error::InvalidInput { .. }),
        "{no_otp:?}"
    );
    // The builder's missing-field message, exactly (its default is allocation-free).
    assert!(
        no_otp.to_string().contains("no value supplied for otp"),
        "{no_otp}"
    );
    let no_channel = api
        .client
        .request_mobile_number_change_otp()
        .body_map(|b| b.identifier(UserRef::id(123)).template_code("OTP_1"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(no_channel, stamps::Error::InvalidInput { .. }),
        "{no_channel:?}"
    );
    assert!(
        no_channel
            .to_string()
            .contains("no value supplied for type_"),
        "{no_channel}"
    );
    anything.assert_calls(0);
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("request_mobile_number_change_otp", async |client| {
        client
            .request_mobile_number_change_otp()
            .body_map(|b| {
                b.identifier(UserRef::id(123))
                    .type_(OtpChannel::Whatsapp)
                    .template_code("OTP_1")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("change_mobile_number", async |client| {
        client
            .change_mobile_number()
            .body_map(|b| b.identifier(123).new_number("+628123454321").otp("1234"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("request_email_change_otp", async |client| {
        client
            .request_email_change_otp()
            .body_map(|b| b.new_email("alice@stamps.co.id"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("change_email", async |client| {
        client
            .change_email()
            .body_map(|b| b.user(123).new_email("alice@stamps.co.id").otp("123456"))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
