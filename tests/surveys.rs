//! Survey API (docs page survey_api): the documented query on the wire, the documented
//! answer decoded, the documented errors decoded.

use crate::common;

use common::Api;
use stamps::MerchantId;

#[tokio::test]
async fn list_surveys_sends_the_documented_query_and_decodes_the_surveys() {
    // The page's cURL sends `{"user": 123}` as a body on a GET; it goes in the query.
    let api = Api::start().await;
    let mock = api.expect_documented("list_surveys");

    let listed = api
        .client
        .list_surveys()
        .user(123)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [first, second] = listed.surveys.as_slice() else {
        panic!("two surveys: {:?}", listed.surveys);
    };
    assert_eq!(first.id, Some(28));
    assert_eq!(first.name.as_deref(), Some("Vaughan Sosa"));
    assert_eq!(first.merchant_id, Some(MerchantId::new(1)));
    assert_eq!(
        first.personal_url.as_deref(),
        Some("http://stamps.co.id/proxy/add-survey/28/VS8i6JnqR5at3ZipgPLSC4")
    );
    // The response table's name for the link; the example answers `personal_url`.
    assert_eq!(first.personal_link, None);
    assert_eq!(first.description.as_deref(), Some("Dolor quia soluta en"));
    assert_eq!(second.id, Some(20));
    assert_eq!(second.name.as_deref(), Some("Julie Terrell"));
    assert_eq!(second.description.as_deref(), Some("Quia aut maiores nat"));
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("list_surveys", async |client| {
        client.list_surveys().user(123).send().await?;
        Ok(())
    })
    .await;
}
