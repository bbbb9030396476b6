//! What generated code and the runtime must agree on, taken from the runtime
//! crate itself rather than kept by hand: its source (copied into SDKs that
//! vendor it) and its manifest (the dependencies and features such an SDK
//! then needs).
//!
//! `generator/runtime/runtime.rs` and `generator/runtime/runtime-manifest.toml`
//! are links to `runtime/src/runtime.rs` and `runtime/Cargo.toml`, so that the
//! `sdkgen` package carries them (`cargo package` stores their contents) and
//! there is one copy in the repository.

use std::collections::BTreeMap;

/// The HTTP runtime (the `sdkgen-runtime` crate's code), copied verbatim into
/// an SDK generated with [`crate::Runtime::Vendored`].
pub const RUNTIME_SOURCE: &str = include_str!("../runtime/runtime.rs");

/// `runtime/Cargo.toml`: the runtime crate's dependencies and features.
const RUNTIME_MANIFEST: &str = include_str!("../runtime/runtime-manifest.toml");

/// The runtime crate's `[dependencies]` (name → the TOML of its requirement,
/// `"1"` or `{ version = "0.12", … }`) and `[features]` (name → what it turns
/// on), as a crate that carries the runtime's code must declare them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeManifest {
    /// Dependency name → its requirement, as inline TOML.
    pub dependencies: BTreeMap<String, String>,
    /// Feature name → the features and dependencies it enables.
    pub features: BTreeMap<String, Vec<String>>,
}

/// The runtime crate's manifest, read from its `Cargo.toml`.
pub fn runtime_manifest() -> RuntimeManifest {
    let manifest: toml::Table = toml::from_str(RUNTIME_MANIFEST).expect("runtime/Cargo.toml is valid TOML");
    let table = |key: &str| manifest.get(key).and_then(toml::Value::as_table).cloned().unwrap_or_default();
    let dependencies = table("dependencies").iter().map(|(name, req)| (name.clone(), inline_toml(req))).collect();
    let features = table("features")
        .iter()
        .map(|(name, on)| {
            let on = on.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect());
            (name.clone(), on.unwrap_or_default())
        })
        .collect();
    RuntimeManifest { dependencies, features }
}

/// A TOML value written inline (`"1"`, `["a", "b"]`, `{ version = "1", … }`).
fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(n) => n.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(items) => format!("[{}]", items.iter().map(inline_toml).collect::<Vec<_>>().join(", ")),
        toml::Value::Table(table) => {
            // `version` first, as people write it; the rest in name order.
            let mut keys: Vec<&String> = table.keys().collect();
            keys.sort_by_key(|k| (k.as_str() != "version", k.as_str()));
            let pairs: Vec<String> =
                keys.iter().map(|k| format!("{k} = {}", inline_toml(&table[k.as_str()]))).collect();
            format!("{{ {} }}", pairs.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_manifest_is_read_from_the_runtime_crate() {
        let manifest = runtime_manifest();
        // Every dependency the runtime's code names is declared, with its features.
        for name in ["bytes", "futures-util", "percent-encoding", "reqwest", "tokio", "zeroize", "tracing"] {
            assert!(manifest.dependencies.contains_key(name), "{name}: {manifest:?}");
        }
        assert!(manifest.dependencies["reqwest"].starts_with("{ version = \"0.12\""), "{manifest:?}");
        assert!(manifest.dependencies["tracing"].contains("optional = true"), "{manifest:?}");
        assert_eq!(manifest.features["native-tls"], ["reqwest/native-tls"]);
        assert_eq!(manifest.features["default"], ["rustls"]);
        // The source is the runtime crate's, whole.
        assert!(RUNTIME_SOURCE.contains("pub struct Client"));
    }

    /// The names of the `pub fn`s of the first `impl {name} {` block of `source`.
    fn methods_of(source: &str, name: &str) -> Vec<String> {
        let start = source.find(&format!("\nimpl {name} {{\n")).unwrap_or_else(|| panic!("no impl {name}"));
        let block = &source[start + 1..];
        let block = &block[..block.find("\n}\n").expect("the impl block ends")];
        block
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("pub fn "))
            .map(|rest| rest[..rest.find(['(', '<']).unwrap()].to_string())
            .collect()
    }

    #[test]
    fn the_builder_methods_the_generator_reserves_are_the_runtimes() {
        // A security scheme's setter must never take the name of a builder method.
        let runtime: Vec<String> =
            methods_of(RUNTIME_SOURCE, "ClientBuilder").into_iter().filter(|m| m != "new").collect();
        let mut reserved: Vec<&str> = crate::lower::BUILDER_METHODS.to_vec();
        reserved.sort_unstable();
        let mut runtime_sorted: Vec<&str> = runtime.iter().map(String::as_str).collect();
        runtime_sorted.sort_unstable();
        assert_eq!(reserved, runtime_sorted, "BUILDER_METHODS and runtime::ClientBuilder differ");
    }

    #[test]
    fn the_client_methods_the_generator_reserves_are_the_generated_clients() {
        // A top-level resource accessor must never take the name of a method of `Client`.
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /pets:\n    get:\n      responses: {'200': {description: ok}}\n";
        let generated = crate::Config::new().generate("t.yaml", spec).unwrap();
        // The mock has the same accessors, beside methods of its own.
        for ty in ["Client", "Mock"] {
            let own = methods_of(&generated.code(), ty);
            for method in &own {
                assert!(
                    method == "pets" || crate::lower::CLIENT_METHODS.contains(&method.as_str()),
                    "{ty}::{method} is not in CLIENT_METHODS"
                );
            }
            assert!(own.len() > 3 && own.contains(&"pets".to_string()), "{ty}: {own:?}");
        }
        // And the traits it derives.
        for derived in ["clone", "clone_from", "fmt"] {
            assert!(crate::lower::CLIENT_METHODS.contains(&derived));
        }
    }

    #[test]
    fn every_feature_the_runtime_code_tests_is_declared() {
        // A `cfg(feature = "…")` in the vendored code must name a feature the SDK declares.
        let manifest = runtime_manifest();
        let mut rest = RUNTIME_SOURCE;
        let mut seen = 0;
        while let Some(at) = rest.find("feature = \"") {
            rest = &rest[at + "feature = \"".len()..];
            let name = &rest[..rest.find('"').unwrap()];
            assert!(manifest.features.contains_key(name), "feature {name} is not in runtime/Cargo.toml");
            seen += 1;
        }
        assert!(seen > 0);
    }
}
