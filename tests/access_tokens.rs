//! Access Token Authentication (docs page token_api.rst): the documented requests on
//! the wire, the documented answers decoded, the documented errors decoded.
//!
//! `get_access_token` exchanges the static key, sent in its body as documented, for a
//! JWT; `verify_access_token` sends the JWT as `Authorization: Bearer <jwt>`.

use crate::common;

use common::{Api, request_example, response_example};
use httpmock::Method;

/// The docs' JWT (its payload is `verify_access_token`'s example answer).
fn docs_jwt() -> String {
    response_example("get_access_token", "200", "docs")["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn get_access_token_sends_the_documented_body_and_decodes_the_jwt() {
    let docs = request_example("get_access_token", "docs");
    let key = docs["token"].as_str().unwrap().to_owned();
    let api = Api::with_token(&key).await;
    let answer = response_example("get_access_token", "200", "docs").to_string();
    // The page's cURL example sends no `Authorization` header (`security: []`).
    let without_header = api.server.mock(|when, then| {
        when.method(Method::POST)
            .path("/api/auth/get-access-token/")
            .header("content-type", "application/json")
            .header_missing("authorization")
            .json_body(docs.clone());
        then.status(200)
            .header("content-type", "application/json")
            .body(answer.clone());
    });
    let with_header = api.server.mock(|when, then| {
        when.method(Method::POST)
            .path("/api/auth/get-access-token/")
            .header("content-type", "application/json")
            .json_body(docs.clone());
        then.status(200)
            .header("content-type", "application/json")
            .body(answer.clone());
    });
    let anything = api.fail_anything_else();

    let token = api
        .client
        .get_access_token()
        .body_map(|b| b.token(key.as_str()).crm_merchant_id(1))
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    // The spec declares `security: []`: the key is its credential, in the body only.
    without_header.assert();
    with_header.assert_calls(0);
    anything.assert_calls(0);
    let jwt = token.access_token.expect("the access token");
    assert_eq!(jwt.expose(), docs_jwt());
    assert!(jwt.expose().starts_with("eyJ0eXAiOiJKV1Qi"));
    // The JWT is a credential: its Debug form does not show it.
    assert!(!format!("{jwt:?}").contains("eyJ0eXAi"), "{jwt:?}");
}

#[tokio::test]
async fn verify_access_token_sends_the_jwt_as_a_bearer_token_and_decodes_the_payload() {
    let server = httpmock::MockServer::start_async().await;
    let jwt = docs_jwt();
    let client = common::builder(&server)
        .bearer(jwt.clone())
        .build()
        .expect("a valid test client");
    let mock = server.mock(|when, then| {
        when.method(Method::POST)
            .path("/api/auth/verify-token/")
            .header("authorization", format!("Bearer {jwt}"))
            .header("content-type", "application/json")
            .json_body(request_example("verify_access_token", "docs"));
        then.status(200)
            .header("content-type", "application/json")
            .body(response_example("verify_access_token", "200", "docs").to_string());
    });
    let anything = server.mock(|when, then| {
        when.any_request();
        then.status(599).body("no mock matched this request");
    });

    let payload = client
        .verify_access_token()
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    anything.assert_calls(0);
    assert_eq!(payload.token_type.as_deref(), Some("access"));
    assert_eq!(payload.exp, Some(1657332616));
    assert_eq!(payload.iat, Some(1657246216));
    assert_eq!(
        payload.jti.as_deref(),
        Some("4eadc4014d0d4d778691b84d570a6daf")
    );
    assert_eq!(payload.user_id, Some(5870));
    assert_eq!(payload.merchant_id, Some(1));
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("get_access_token", async |client| {
        client
            .get_access_token()
            .body_map(|b| b.token("23095sgtr95402mkdls954002").crm_merchant_id(1))
            .send()
            .await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("verify_access_token", async |client| {
        client.verify_access_token().send().await?;
        Ok(())
    })
    .await;
}
