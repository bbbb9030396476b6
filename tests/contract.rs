//! Contract tests: the generated client against Prism, which validates every
//! request against the spec (answering 422/401/415 with `sl-violations` when
//! it does not conform), on our `openapi/images-edit.yaml` and on Cloudflare's
//! own `../shared/specs/cloudflare/images-edit.yaml`.
//!
//! Prism is installed into `tests/contract/node_modules` on first use.

#[path = "contract/prism.rs"]
mod prism;

use images_edit::images::V1EditParams;
use images_edit::types::Image;
use images_edit::{Client, Error};
use prism::Prism;
use std::path::Path;

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// Both specs cap `image_id` at 32 characters (real ids are longer; the
/// client deliberately does not enforce the cap, see PROVENANCE.md).
const IMAGE: &str = "107b9558-dd06-4bbd-5fef-9c2c16bb";

fn run<T>(future: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future.into_future())
}

fn token_client(prism: &Prism) -> Client {
    Client::builder().base_url(&prism.base_url).api_token("Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY").build().unwrap()
}

fn email_key_client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(&prism.base_url)
        .api_email("user@example.com")
        .api_key("144c9defac04969c7bfad8efaa8ea194")
        .max_retries(0)
        .build()
        .unwrap()
}

/// Every call the SDK makes must come back 2xx and decode; Prism's log must
/// show no request violation for any of them.
fn conforms(spec: &Path) -> Vec<Image> {
    let prism = Prism::start(spec);
    let images = run(async {
        let mut images = Vec::new();
        let only_flag = V1EditParams::new(ACCOUNT).require_signed_urls(true);
        images.push(token_client(&prism).images().v1().edit(IMAGE, only_flag).await.expect("token scheme"));
        let mut all =
            V1EditParams::new(ACCOUNT).require_signed_urls(false).metadata(serde_json::json!({"key": "value"}));
        images.push(email_key_client(&prism).images().v1().edit(IMAGE, all.clone()).await.expect("email + key scheme"));
        all.creator = Some("107b9558-dd06-4bbd-5fef-9c2c16bb7900".into());
        images.push(token_client(&prism).images().v1().edit(IMAGE, all).await.expect("with creator"));
        images
    });
    let log = prism.log();
    assert!(!log.contains("Request body property") && !log.contains("Request path parameter"), "{log}");
    images
}

#[test]
fn our_spec_accepts_every_request_the_sdk_makes() {
    let images = conforms(&prism::our_spec());
    for image in &images {
        assert!(image.id.is_some(), "{image:?}");
        assert!(image.variants.as_ref().is_some_and(|v| !v.is_empty()), "{image:?}");
        assert!(image.uploaded.is_some(), "{image:?}");
    }
}

#[test]
fn cloudflares_spec_accepts_every_request_the_sdk_makes() {
    let images = conforms(&prism::cloudflare_spec());
    // Prism answers from Cloudflare's examples: the documented Image.
    let image = &images[0];
    assert_eq!(image.id.as_deref(), Some("107b9558-dd06-4bbd-5fef-9c2c16bb7900"));
    assert_eq!(image.filename.as_deref(), Some("logo.png"));
    assert_eq!(image.meta, Some(serde_json::json!({"key": "value"})));
    assert_eq!(image.uploaded.map(|u| u.to_rfc3339()), Some("2014-01-02T02:20:00.123+00:00".into()));
    assert_eq!(image.variants.as_ref().map(Vec::len), Some(3));
}

#[test]
fn prism_rejects_what_breaks_the_spec() {
    // The negative control: the same server catches a bad body, a bad path
    // parameter and missing credentials, and the SDK reports them as API errors.
    let prism = Prism::start(&prism::cloudflare_spec());
    let path = format!("/accounts/{ACCOUNT}/images/v1/{IMAGE}");
    let auth = [("Authorization", "Bearer x"), ("Content-Type", "application/json")];
    let bad_body = prism.request("PATCH", &path, &auth, Some(r#"{"requireSignedURLs":"yes"}"#));
    assert_eq!(bad_body.status, 422);
    assert_eq!(bad_body.request_violations().len(), 1, "{:?}", bad_body.header("sl-violations"));
    std::thread::sleep(std::time::Duration::from_millis(300)); // let Prism flush its log
    assert!(prism.log().contains("Request body property"), "the log check in `conforms` can fail: {}", prism.log());
    let no_auth = prism.request("PATCH", &path, &auth[1..], Some("{}"));
    assert_eq!(no_auth.status, 401);

    let too_long = "107b9558-dd06-4bbd-5fef-9c2c16bb7900";
    let err = run(token_client(&prism).images().v1().edit(too_long, V1EditParams::new(ACCOUNT))).unwrap_err();
    match err {
        Error::Api(api) => assert_eq!(api.status, 422, "{api}"),
        other => panic!("expected Prism's 422, got {other:?}"),
    }
}
