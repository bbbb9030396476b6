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
//! runtime_path = "../../runtime"     # sdkgen-runtime as a path dependency (relative to the SDK)
//! vendor_runtime = true              # the runtime as the SDK's own module (default: false)
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
    /// Whether the SDK carries its own copy of the runtime (as `--vendor-runtime` says).
    pub vendor_runtime: Option<bool>,
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

/// Where one operation goes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverride {
    /// Resource path, dot-separated (`images.v1`).
    pub resource: Option<String>,
    /// Method name.
    pub method: Option<String>,
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
