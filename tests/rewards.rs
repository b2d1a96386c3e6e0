//! Reward API (docs page reward_api.rst): the documented query on the wire, the
//! documented answer decoded, the documented errors decoded; and reward codes that
//! must stay one path segment of `get_reward` (`GET /api/rewards/{reward_code}`).

use crate::common;

use common::{Api, response_example};
use httpmock::Method;
use stamps::types::{RewardId, RewardType, VoucherId};
use stamps::{MerchantId, StoreId, UserId};

#[tokio::test]
async fn list_rewards_sends_the_documented_query_and_decodes_the_rewards_and_vouchers() {
    let api = Api::start().await;
    let mock = api.expect_documented("list_rewards");

    let answer = api
        .client
        .list_rewards()
        .user("customer@stamps.co.id")
        .merchant(MerchantId::new(14))
        .store(StoreId::new(1))
        .channel(2_i64)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let rewards: Vec<_> = answer
        .rewards
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                r.code.as_deref(),
                r.stamps_to_redeem,
                r.membership.as_deref(),
                r.redeemable,
            )
        })
        .collect();
    assert_eq!(
        rewards,
        [
            (
                Some(RewardId(6)),
                Some("A001"),
                Some(20),
                Some("Blue"),
                Some(true)
            ),
            (
                Some(RewardId(5)),
                Some("A002"),
                Some(60),
                Some("Blue"),
                Some(true)
            ),
            (
                Some(RewardId(8)),
                Some("A003"),
                Some(120),
                Some("Silver"),
                Some(false)
            ),
            (
                Some(RewardId(7)),
                Some("A004"),
                Some(10),
                Some("Gold"),
                Some(false)
            ),
        ]
    );
    let mee_goreng = &answer.rewards[0];
    assert_eq!(mee_goreng.name.as_deref(), Some("Mee Goreng"));
    assert_eq!(mee_goreng.price, None);
    assert_eq!(mee_goreng.landscape_url, None);
    assert_eq!(mee_goreng.type_, Some(RewardType::Code(3)));
    assert_eq!(
        mee_goreng
            .extra_data
            .as_ref()
            .and_then(|e| e["SKU"].as_str()),
        Some("A001SKU")
    );
    let [birthday, celebration] = answer.vouchers.as_slice() else {
        panic!("two vouchers: {:?}", answer.vouchers);
    };
    assert_eq!(birthday.id, Some(VoucherId(9)));
    assert_eq!(birthday.code.as_deref(), Some("BD0201"));
    assert_eq!(birthday.expires_on.as_deref(), Some("13-02-2013 00:00"));
    assert_eq!(birthday.type_.as_deref(), Some("promotion 1"));
    assert_eq!(
        birthday.constraint.as_ref().map(|c| c.channels.clone()),
        Some(vec![1, 2])
    );
    assert_eq!(celebration.quantity, Some(2));
    let customer = answer.customer.expect("the customer");
    assert_eq!(customer.id, Some(UserId::new(114807)));
    assert_eq!(customer.stamps, Some(18));
    assert_eq!(customer.membership_status.as_deref(), Some("Blue"));
}

/// Expects one `get_reward` whose raw (still percent-encoded) path is `raw_path`.
fn expect_get_reward<'a>(api: &'a Api, raw_path: &'static str) -> httpmock::Mock<'a> {
    let token = api.token.clone();
    api.server.mock(|when, then| {
        when.method(Method::GET)
            .header("authorization", format!("Token {token}"))
            .query_param_count(".*", ".*", 0)
            .is_true(move |request| request.uri().path() == raw_path);
        then.status(200)
            .header("content-type", "application/json")
            .body(response_example("get_reward", "200", "docs").to_string());
    })
}

/// A `list_rewards_by_merchant_group` answer, which `get_reward` must never get.
fn merchant_group_list(api: &Api) -> httpmock::Mock<'_> {
    api.server.mock(|when, then| {
        when.method(Method::GET)
            .is_true(|request| request.uri().path() == "/api/rewards/by-merchant-group");
        then.status(200)
            .header("content-type", "application/json")
            .body(response_example("list_rewards_by_merchant_group", "200", "docs").to_string());
    })
}

#[tokio::test]
async fn get_reward_sends_the_documented_code_and_decodes_the_reward() {
    let api = Api::start().await;
    let mock = expect_get_reward(&api, "/api/rewards/ABCDE1");
    let anything = api.fail_anything_else();

    let reward = api
        .client
        .get_reward()
        .reward_code(common::param_example("get_reward", "reward_code").as_str())
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    anything.assert_calls(0);
    assert_eq!(reward.id, Some(RewardId(1)));
    assert_eq!(reward.code.as_deref(), Some("ABCDE1"));
    assert_eq!(reward.name.as_deref(), Some("Example Reward"));
    assert_eq!(reward.stamps_to_redeem, Some(100));
    assert_eq!(
        reward.get_absolute_url.as_deref(),
        Some("/merchant/rewards/abcde1")
    );
    assert_eq!(reward.is_cross_promo, Some(false));
    assert_eq!(reward.is_active, Some(true));
    assert_eq!(reward.membership.as_deref(), Some("Blue"));
    assert_eq!(reward.available_at, ["store A", "store B"]);
}

#[tokio::test]
async fn get_reward_sends_a_slash_in_a_code_as_one_path_segment() {
    let api = Api::start().await;
    let mock = expect_get_reward(&api, "/api/rewards/a%2Fb");
    let list = merchant_group_list(&api);
    let anything = api.fail_anything_else();

    let reward = api
        .client
        .get_reward()
        .reward_code("a/b")
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    list.assert_calls(0);
    anything.assert_calls(0);
    assert_eq!(reward.code.as_deref(), Some("ABCDE1"));
}

/// `..` and `.` are dot segments even percent-encoded (`%2E%2E`, WHATWG URL), and a
/// code `by-merchant-group` has no encoding a server would not decode back to the
/// literal `list_rewards_by_merchant_group` path: such codes cannot reach
/// `get_reward`, so the client refuses them before sending, naming why, instead of
/// calling another operation and decoding its answer as an empty `Reward`.
#[tokio::test]
async fn get_reward_refuses_codes_that_cannot_stay_one_path_segment() {
    let api = Api::start().await;
    let list = merchant_group_list(&api);
    let anything = api.fail_anything_else();
    for (code, why) in [
        ("..", "cannot be sent as one path segment"),
        // `/api/rewards/.` resolves to `/api/rewards/`.
        (".", "that is list_rewards's path"),
        (
            "by-merchant-group",
            "that is list_rewards_by_merchant_group's path",
        ),
    ] {
        let error = api
            .client
            .get_reward()
            .reward_code(code)
            .send()
            .await
            .expect_err(code);
        assert!(
            matches!(error, stamps::Error::InvalidInput { .. }),
            "{code}: {error:?}"
        );
        assert!(error.to_string().contains(why), "{code}: {error}");
    }
    list.assert_calls(0);
    anything.assert_calls(0);
}

#[tokio::test]
async fn list_rewards_by_merchant_group_sends_the_documented_query_and_decodes_the_rewards() {
    let api = Api::start().await;
    let mock = api.expect_documented("list_rewards_by_merchant_group");

    let answer = api
        .client
        .list_rewards_by_merchant_group()
        .user("customer@stamps.co.id")
        .channel(2_i64)
        .type_(3_i64)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    mock.assert();
    let [reward] = answer.rewards.as_slice() else {
        panic!("one reward: {:?}", answer.rewards);
    };
    assert_eq!(reward.id, Some(RewardId(6)));
    assert_eq!(reward.name.as_deref(), Some("Mee Goreng"));
    assert_eq!(reward.stamps_to_redeem, Some(20));
    assert_eq!(reward.is_visible, Some(true));
    assert_eq!(reward.terms.as_deref(), Some(""));
    assert_eq!(reward.type_, Some(RewardType::Code(3)));
}

#[tokio::test]
async fn documented_errors_decode() {
    common::assert_error_examples_decode("list_rewards", async |client| {
        client.list_rewards().merchant(14).store(1).send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("get_reward", async |client| {
        client.get_reward().reward_code("ABCDE1").send().await?;
        Ok(())
    })
    .await;
    common::assert_error_examples_decode("list_rewards_by_merchant_group", async |client| {
        client.list_rewards_by_merchant_group().send().await?;
        Ok(())
    })
    .await;
}
