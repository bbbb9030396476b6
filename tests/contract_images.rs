//! Contract test of all 17 Images operations: the generated `images` SDK
//! against Prism serving Cloudflare's own `../shared/specs/cloudflare/images.yaml`.
//! Prism answers 4xx with `sl-violations` to any request that breaks the
//! spec, so every call returning Ok (and a log without request violations)
//! means the SDK's requests conform.

#[path = "contract/prism.rs"]
mod prism;

use futures_util::StreamExt;
use images::images::*;
use images::types::ImagesV2ListSortOrder as SortOrder;
use images::Client;
use prism::Prism;
use sdkgen_tests::variant_options;

const ACC: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// Cloudflare's spec caps image ids at 32 characters.
const IMG: &str = "107b9558-dd06-4bbd-5fef-9c2c16bb";

#[test]
fn all_17_operations_conform_to_cloudflares_spec() {
    let spec = prism::repo_root().join("../shared/specs/cloudflare/images.yaml");
    let prism = Prism::start(&spec);
    let client = Client::builder()
        .base_url(&prism.base_url)
        .api_token("Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY")
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut calls = 0;
    let mut check = |name: &str, result: Result<(), images::Error>| {
        calls += 1;
        if let Err(e) = result {
            panic!("{name}: {e}\n{}", prism.log());
        }
    };
    runtime.block_on(async {
        let v1 = client.images().v1();
        let list = v1.list(V1ListParams::new(ACC).page(1).per_page(10)).await;
        check("v1.list", list.map(|page| assert!(!page.images.unwrap_or_default().is_empty())));
        let all: Vec<_> = v1.list_stream(V1ListParams::new(ACC).per_page(10)).take(3).collect().await;
        assert!(!all.is_empty());
        check("v1.list_stream", all.into_iter().try_for_each(|r| r.map(drop)));
        // Multipart calls leave `metadata` out: Prism 5.14 validates a JSON
        // part as the string it arrives as, so an object-typed part always
        // "violates" (tests/images.rs checks that part byte for byte).
        let upload = V1NewParams::new(ACC).file(b"\x89PNG\r\n\x1a\n".to_vec()).require_signed_urls(true);
        check("v1.new (file)", v1.new(upload).await.map(drop));
        let by_url = V1NewParams::new(ACC).url("https://example.com/logo.png");
        check("v1.new (url)", v1.new(by_url).await.map(drop));
        check("v1.get", v1.get(IMG, V1GetParams::new(ACC)).await.map(|i| assert!(i.id.is_some())));
        let edit = V1EditParams::new(ACC).require_signed_urls(false);
        check("v1.edit", v1.edit(IMG, edit).await.map(drop));
        check("v1.delete", v1.delete(IMG, V1DeleteParams::new(ACC)).await.map(drop));
        check("v1.blob.get", v1.blob().get(IMG, V1BlobGetParams::new(ACC)).await.map(drop));
        check("v1.keys.list", v1.keys().list(V1KeysListParams::new(ACC)).await.map(drop));
        // Cloudflare's pattern for key names and variant ids, `^[a-zA-Z0-9]$`,
        // allows one character only (its own examples `someKey`, `hero` fail it).
        check("v1.keys.update", v1.keys().update("k", V1KeysUpdateParams::new(ACC)).await.map(drop));
        check("v1.keys.delete", v1.keys().delete("k", V1KeysDeleteParams::new(ACC)).await.map(drop));
        check("v1.stats.get", v1.stats().get(V1StatsGetParams::new(ACC)).await.map(drop));
        let variants = v1.variants();
        check("v1.variants.list", variants.list(V1VariantsListParams::new(ACC)).await.map(drop));
        let new_variant = V1VariantsNewParams::new(ACC, "h", variant_options()).never_require_signed_urls(true);
        check("v1.variants.new", variants.new(new_variant).await.map(drop));
        check("v1.variants.get", variants.get("h", V1VariantsGetParams::new(ACC)).await.map(drop));
        let edit_variant = V1VariantsEditParams::new(ACC, variant_options());
        check("v1.variants.edit", variants.edit("h", edit_variant).await.map(drop));
        check("v1.variants.delete", variants.delete("h", V1VariantsDeleteParams::new(ACC)).await.map(drop));
        let v2 = client.images().v2();
        let list = V2ListParams::new(ACC).per_page(10).sort_order(SortOrder::Asc);
        check("v2.list", v2.list(list.clone()).await.map(drop));
        // Prism gives its example token back on every page: the stream follows it once
        // and ends when it comes back unchanged, rather than looping.
        let items: Vec<_> = v2.list_stream(list).take(1000).collect().await;
        assert!(!items.is_empty() && items.len() < 1000, "{} items", items.len());
        check("v2.list_stream", items.into_iter().try_for_each(|r| r.map(drop)));
        let direct = V2DirectUploadsNewParams::new(ACC)
            .id("this/is/my-customid")
            .expiry("2035-01-02T02:20:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
        check("v2.direct_uploads.new", v2.direct_uploads().new(direct).await.map(drop));
    });
    assert_eq!(calls, 20, "17 operations, two uploads ways and two streams");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let log = prism.log();
    assert!(!log.contains("Request body property") && !log.contains("Request path parameter"), "{log}");
}
