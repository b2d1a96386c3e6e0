//! Auth API (docs page auth_api.rst): a customer's password, PIN and OTPs. The
//! documented request on the wire, the documented answer decoded, the documented errors
//! decoded.
//!
//! Every password, PIN and OTP is `format: password` in the spec, so a `stamps::Secret`:
//! a required one takes a `&str` in the builders, and an answer's OTP is an
//! `Option<Secret>` whose `Debug` shows no digits.

use crate::common;

use common::{Api, request_example, response_example};
use serde_json::json;
use stamps::types::{self, AuthOtpChannel};
use stamps::{Secret, UserId};

#[tokio::test]
async fn validate_password_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("validate_password");

    let answer = api
        .client
        .validate_password()
        .body_map(|b| b.user("customer@stamps.co.id").password("secret123"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn set_pin_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("set_pin");

    let answer = api
        .client
        .set_pin()
        .body_map(|b| b.user(123).pin("123456").confirm_pin("123456"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn change_pin_sends_the_documented_body() {
    // The docs' cURL writes `"confirm_new_pin", "654321"`; the spec's example repairs it.
    let api = Api::start().await;
    let docs = request_example("change_pin", "docs");
    assert_eq!(docs["confirm_new_pin"], "654321");
    let mock = api.expect(
        "change_pin",
        |when| when.json_body(docs),
        200,
        &response_example("change_pin", "200", "docs"),
    );

    let answer = api
        .client
        .change_pin()
        .body_map(|b| {
            b.user(123)
                .current_pin("123456")
                .new_pin("654321")
                .confirm_new_pin("654321")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn validate_pin_sends_the_pin_in_the_documented_body() {
    let api = Api::start().await;
    // The PIN must reach the server: it is the point of the call.
    let mock = api.expect(
        "validate_pin",
        |when| {
            when.json_body(request_example("validate_pin", "docs"))
                .body_includes(r#""pin":"123456""#)
        },
        200,
        &response_example("validate_pin", "200", "docs"),
    );

    let answer = api
        .client
        .validate_pin()
        .body_map(|b| b.user(123).pin("123456"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn unblock_pin_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("unblock_pin");

    let answer = api
        .client
        .unblock_pin()
        .body_map(|b| b.user(123))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn request_pin_reset_otp_sends_the_documented_body_and_decodes_the_otp() {
    let api = Api::start().await;
    let mock = api.expect_documented("request_pin_reset_otp");

    let answer = api
        .client
        .request_pin_reset_otp()
        .body_map(|b| b.user(123))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status.as_deref(), Some("ok"));
    assert_eq!(answer.otp.as_ref().map(Secret::expose), Some("123456"));
    // The OTP is a secret: the answer's Debug form does not show it.
    assert!(!format!("{answer:?}").contains("123456"), "{answer:?}");
}

#[tokio::test]
async fn request_pin_reset_otp_sends_the_optional_channel_and_template() {
    // The table lists `type` (email, sms or whatsapp) and `template_code` as optional;
    // the documented example sends neither.
    let api = Api::start().await;
    let mock = api.expect(
        "request_pin_reset_otp",
        |when| {
            when.json_body(json!({
                "user": "customer@stamps.co.id",
                "type": "whatsapp",
                "template_code": "OTP_1"
            }))
        },
        200,
        &response_example("request_pin_reset_otp", "200", "docs"),
    );

    api.client
        .request_pin_reset_otp()
        .body_map(|b| {
            b.user("customer@stamps.co.id")
                .type_(AuthOtpChannel::Whatsapp)
                .template_code("OTP_1".to_owned())
        })
        .send()
        .await
        .expect("the documented answer decodes");

    mock.assert();
}

#[tokio::test]
async fn reset_pin_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("reset_pin");

    let answer = api
        .client
        .reset_pin()
        .body_map(|b| {
            b.user(123)
                .otp("123123")
                .pin("654321")
                .confirm_pin("654321")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn reset_pin_with_password_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("reset_pin_with_password");

    let answer = api
        .client
        .reset_pin_with_password()
        .body_map(|b| {
            b.user(123)
                .password("secret123")
                .pin("654321")
                .confirm_pin("654321")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn change_password_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("change_password");

    let answer = api
        .client
        .change_password()
        .body_map(|b| {
            b.user("test@gmail.com")
                .old_password("secure_password")
                .new_password("new_secure_password")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
    // The typed request keeps both passwords out of its Debug form.
    let typed: types::ChangePasswordRequest =
        serde_json::from_value(request_example("change_password", "docs")).unwrap();
    let shown = format!("{typed:?}");
    assert!(!shown.contains("secure_password"), "{shown}");
}

#[tokio::test]
async fn set_password_sends_the_documented_body_and_decodes_the_customer() {
    // The response table lists `status` alone; the documented answer also has the
    // customer's id, name and email.
    let api = Api::start().await;
    let mock = api.expect_documented("set_password");

    let answer = api
        .client
        .set_password()
        .body_map(|b| b.email("foo@bar.com").new_password("secure_password"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.id, Some(UserId::new(1)));
    assert_eq!(answer.name.as_deref(), Some("Foo"));
    assert_eq!(answer.email.as_deref(), Some("foo@bar.com"));
    assert_eq!(answer.status.as_deref(), Some("ok"));
}

#[tokio::test]
async fn request_password_reset_otp_sends_the_documented_body_and_decodes_the_otp() {
    let api = Api::start().await;
    let mock = api.expect_documented("request_password_reset_otp");

    let answer = api
        .client
        .request_password_reset_otp()
        .body_map(|b| b.identifier(123).type_(AuthOtpChannel::Email))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status.as_deref(), Some("ok"));
    assert_eq!(answer.otp.as_ref().map(Secret::expose), Some("123456"));
}

#[tokio::test]
async fn reset_password_with_otp_sends_the_documented_body() {
    let api = Api::start().await;
    let mock = api.expect_documented("reset_password_with_otp");

    let answer = api
        .client
        .reset_password_with_otp()
        .body_map(|b| {
            b.identifier(123)
                .otp("123123")
                .new_password("securepassword123")
                .confirm_new_password("securepassword123")
        })
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn validate_mobile_number_sends_the_documented_body() {
    // `mobile_number` is the number to check, not a customer identifier: it goes out
    // exactly as given, not normalised.
    let api = Api::start().await;
    let mock = api.expect_documented("validate_mobile_number");

    let answer = api
        .client
        .validate_mobile_number()
        .body_map(|b| b.mobile_number("081234567890"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn reset_otp_limit_sends_the_documented_body_with_the_number_normalised() {
    // `user` is a customer identifier (`UserRef`): the docs' local number
    // `081234567890` goes out in E.164 form, the rest of the body as documented.
    let api = Api::start().await;
    let mut expected = request_example("reset_otp_limit", "docs");
    assert_eq!(expected["user"], "081234567890");
    expected["user"] = json!("+6281234567890");
    let mock = api.expect(
        "reset_otp_limit",
        |when| when.json_body(expected),
        200,
        &response_example("reset_otp_limit", "200", "docs"),
    );

    let answer = api
        .client
        .reset_otp_limit()
        .body_map(|b| b.user("081234567890"))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    assert_eq!(answer.status, "ok");
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("validate_password", async |client| {
        client
            .validate_password()
            .body_map(|b| b.user("customer@stamps.co.id").password("secret123"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("set_pin", async |client| {
        client
            .set_pin()
            .body_map(|b| b.user(123).pin("123456").confirm_pin("123456"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("change_pin", async |client| {
        client
            .change_pin()
            .body_map(|b| {
                b.user(123)
                    .current_pin("123456")
                    .new_pin("654321")
                    .confirm_new_pin("654321")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("validate_pin", async |client| {
        client
            .validate_pin()
            .body_map(|b| b.user(123).pin("123456"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("unblock_pin", async |client| {
        client
            .unblock_pin()
            .body_map(|b| b.user(123))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("request_pin_reset_otp", async |client| {
        client
            .request_pin_reset_otp()
            .body_map(|b| b.user(123))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("reset_pin", async |client| {
        client
            .reset_pin()
            .body_map(|b| {
                b.user(123)
                    .otp("123123")
                    .pin("654321")
                    .confirm_pin("654321")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("reset_pin_with_password", async |client| {
        client
            .reset_pin_with_password()
            .body_map(|b| {
                b.user(123)
                    .password("secret123")
                    .pin("654321")
                    .confirm_pin("654321")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("change_password", async |client| {
        client
            .change_password()
            .body_map(|b| {
                b.user("test@gmail.com")
                    .old_password("secure_password")
                    .new_password("new_secure_password")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("set_password", async |client| {
        client
            .set_password()
            .body_map(|b| b.email("foo@bar.com").new_password("secure_password"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("request_password_reset_otp", async |client| {
        client
            .request_password_reset_otp()
            .body_map(|b| b.identifier(123).type_(AuthOtpChannel::Email))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("reset_password_with_otp", async |client| {
        client
            .reset_password_with_otp()
            .body_map(|b| {
                b.identifier(123)
                    .otp("123123")
                    .new_password("securepassword123")
                    .confirm_new_password("securepassword123")
            })
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("validate_mobile_number", async |client| {
        client
            .validate_mobile_number()
            .body_map(|b| b.mobile_number("081234567890"))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("reset_otp_limit", async |client| {
        client
            .reset_otp_limit()
            .body_map(|b| b.user("081234567890"))
            .send()
            .await?;
        Ok(())
    })
    .await;
}
