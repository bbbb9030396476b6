//! The client generated at build time works like the committed one.

use buildrs_consumer::{images::V1EditParams, Client};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn edit_through_the_build_time_client() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/accounts/acc/images/v1/img"))
        .and(header("authorization", "Bearer tok"))
        .and(body_json(serde_json::json!({"requireSignedURLs": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "success": true, "errors": [], "messages": [],
            "result": {"id": "img", "requireSignedURLs": false, "variants": []}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).api_token("tok").build().unwrap();
    let params = V1EditParams::new("acc").require_signed_urls(false);
    let image = client.images().v1().edit("img", params).await.unwrap();
    assert_eq!(image.id.as_deref(), Some("img"));
    assert_eq!(image.require_signed_urls, Some(false));
    assert_eq!(image.variants, Some(vec![]));
}
