//! Expiration Journals API (docs page expiration_journals.rst): the documented query
//! on the wire, the documented answer decoded, the documented errors decoded.
//!
//! `user` has two named examples: the JSON example's `customer@stamps.co.id` and the
//! cURL example's `customer@stamps.id`; both are sent as documented.

use crate::common;

use common::{Api, named_param_example, param_example, response_example};

async fn sends_the_documented_query(example: &str) {
    let user = named_param_example("list_expiration_journals", "user", example);
    let api = Api::start().await;
    let mock = api.expect(
        "list_expiration_journals",
        |when| {
            when.query_param("user", user.clone())
                .query_param(
                    "minimum_expiration_date",
                    param_example("list_expiration_journals", "minimum_expiration_date"),
                )
                .query_param_count(".*", ".*", 2)
        },
        200,
        &response_example("list_expiration_journals", "200", "docs"),
    );

    let list = api
        .client
        .list_expiration_journals()
        .user(user.as_str())
        .minimum_expiration_date("2022-06-25")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let journals: Vec<_> = list
        .expiration_journals
        .iter()
        .map(|j| (j.id, j.stamps_to_expire, j.expiration_date.as_deref()))
        .collect();
    assert_eq!(
        journals,
        [
            (Some(284614), Some(10), Some("2023-03-30")),
            (Some(284615), Some(10), Some("2023-03-30")),
            (Some(284616), Some(10), Some("2023-03-30")),
        ]
    );
}

#[tokio::test]
async fn list_expiration_journals_sends_the_json_example_query_and_decodes_the_journals() {
    sends_the_documented_query("docs").await;
}

#[tokio::test]
async fn list_expiration_journals_sends_the_curl_example_query_and_decodes_the_journals() {
    sends_the_documented_query("docs_curl").await;
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("list_expiration_journals", async |client| {
        client
            .list_expiration_journals()
            .user("customer@stamps.co.id")
            .send()
            .await?;
        Ok(())
    })
    .await;
}
