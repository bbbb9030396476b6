//! The overrides file: what a user says about names that the spec cannot.
//!
//! A TOML file beside the spec (`<spec stem>.sdkgen.toml`) or given with
//! `--overrides`:
//!
//! ```toml
//! crate_name = "cloudflare-images"   # default: the spec's file stem
//! env_prefix = "CLOUDFLARE"          # default: first word of info.title
//! strip_prefix = "images_"           # default: the prefix all schema names share
//! features = true                    # a cargo feature per top-level resource (default: > 8 of them)
//! example_tests = true               # also write tests/examples.rs (default: false)
//! vendor_runtime = false             # depend on the sdkgen-runtime crate (default: carry its code)
//! runtime_path = "../../runtime"     # sdkgen-runtime as a path dependency (relative to the SDK)
//! select = ["images/*", "GET /zones", "tag:DNS", "!id:deleteZone"]  # only these operations (default: all)
//!
//! [package]                          # the generated Cargo.toml's metadata (default: from the spec)
//! publish = true                     # default: false (`publish = false` in the manifest)
//! license = "MIT"                    # default: info.license, when it names an SPDX licence
//! repository = "https://github.com/acme/acme-rs"
//! homepage = "https://acme.example"  # default: externalDocs.url, else info.contact.url
//! documentation = "https://docs.rs/acme"
//! description = "Acme's API"         # default: "Typed async client for the <info.title>, …"
//! keywords = ["acme", "api"]         # default: the title's first word, api, sdk, client
//! categories = ["api-bindings"]      # default: api-bindings, web-programming::http-client
//!
//! [env]                              # env var per security scheme
//! api_email = "CLOUDFLARE_EMAIL"     # default: <PREFIX>_<SCHEME NAME>
//!
//! [types]                            # component schema -> Rust type name
//! images_image = "Image"
//!
//! [operations.cloudflare-images-update-image]
//! resource = "images.v1"             # resource path, dot-separated
//! method = "edit"
//!
//! [operations.listThings.pagination]  # how its pages are walked (default: found from the spec)
//! style = "cursor"                   # page | cursor | after-last | offset | next-url | link-header | none
//! param = "page_token"               # the query parameter it sets (wire name)
//! next = "meta.next_token"           # cursor: the next token; next-url: the URL (wire names, dotted)
//! ```

use crate::error::{Error, ErrorKind, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Parsed overrides; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Name of the generated package.
    pub crate_name: Option<String>,
    /// Prefix of the default environment variable names.
    pub env_prefix: Option<String>,
    /// Prefix to strip from component schema names (`""` strips nothing).
    pub strip_prefix: Option<String>,
    /// Whether each top-level resource is a cargo feature (default: when there are more than 8).
    pub features: Option<bool>,
    /// Whether to write `tests/examples.rs` (as `--example-tests` does).
    pub example_tests: Option<bool>,
    /// Where the `sdkgen-runtime` crate is, relative to the generated crate: a path
    /// dependency beside the version requirement (as `--runtime-path` says).
    pub runtime_path: Option<String>,
    /// Whether the SDK carries its own copy of the runtime (the default, as
    /// `--vendor-runtime` says) or depends on the `sdkgen-runtime` crate (`false`,
    /// as `--runtime-crate` says).
    pub vendor_runtime: Option<bool>,
    /// The operations to generate, and the types they reach: call paths,
    /// routes, `tag:`, `id:` and `webhook:` patterns, `!` to exclude (see
    /// the README's "Only the operations you use"); `--select` replaces it.
    pub select: Option<Vec<String>>,
    /// The generated manifest's package metadata.
    #[serde(default)]
    pub package: PackageOverrides,
    /// Environment variable per security scheme name.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Rust type name per component schema name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Placement per operationId.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationOverride>,
}

/// The `[package]` table: what the generated `Cargo.toml` says of the crate,
/// where the spec does not say it or says it otherwise.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageOverrides {
    /// Whether the crate may be published (default: `false`).
    pub publish: Option<bool>,
    /// One line describing the crate.
    pub description: Option<String>,
    /// An SPDX licence expression.
    pub license: Option<String>,
    /// The source repository's URL.
    pub repository: Option<String>,
    /// The API's home page.
    pub homepage: Option<String>,
    /// Where the crate's documentation is.
    pub documentation: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Option<Vec<String>>,
    /// crates.io category slugs.
    pub categories: Option<Vec<String>>,
}

/// Where one operation goes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverride {
    /// Resource path, dot-separated (`images.v1`).
    pub resource: Option<String>,
    /// Method name.
    pub method: Option<String>,
    /// How its pages are walked.
    pub pagination: Option<PaginationOverride>,
}

/// How a list operation's pages are walked, where the spec's shape does not
/// say or says it wrongly. Fields are wire names; a response field is a
/// dotted path (`response_metadata.next_cursor`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationOverride {
    /// The style.
    pub style: PageStyle,
    /// The query parameter the style sets: the page number, token, last id or offset.
    pub param: Option<String>,
    /// `cursor`: the response's next token (a string, or a number of the
    /// parameter's type); `next-url`: its next page's URL;
    /// `after-last`: its last item's id (default: the last item's `id`).
    pub next: Option<String>,
    /// `after-last`: the response's boolean saying there is more (default `has_more`).
    pub has_more: Option<String>,
    /// `offset`: the response's total item count.
    pub total: Option<String>,
    /// The response's list field (default: its one array field).
    pub items: Option<String>,
}

/// A pagination style of [`PaginationOverride`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyle {
    /// A `page` number.
    Page,
    /// A token the response gives.
    Cursor,
    /// The last item's id while the response says there is more.
    AfterLast,
    /// An offset advanced by each page's count.
    Offset,
    /// A next-page URL in the response.
    NextUrl,
    /// The `Link` header's `rel="next"`.
    LinkHeader,
    /// Not paginated.
    None,
}

impl Overrides {
    /// Parses the TOML text of an overrides file.
    pub fn parse(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Overrides, "", e.message().to_string());
            if let Some(span) = e.span() {
                let line = text[..span.start].matches('\n').count() + 1;
                let col = span.start - text[..span.start].rfind('\n').map_or(0, |i| i + 1) + 1;
                err.location = Some((line, col));
            }
            err
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_keys() {
        let o = Overrides::parse("env_prefix = \"CF\"\n[env]\napi_email = \"CF_EMAIL\"\n").unwrap();
        assert_eq!(o.env_prefix.as_deref(), Some("CF"));
        assert_eq!(o.env["api_email"], "CF_EMAIL");
        let err = Overrides::parse("\nbogus = 1\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Overrides);
        assert_eq!(err.location, Some((2, 1)));
    }
}
