//! What generated code and the runtime must agree on, taken from the runtime
//! crate itself rather than kept by hand: its source (copied into SDKs that
//! vendor it) and its manifest (the dependencies and features such an SDK
//! then needs).
//!
//! `generator/runtime/runtime` and `generator/runtime/runtime-manifest.toml`
//! are links to the folder `runtime/src/runtime` (the runtime's modules) and to
//! `runtime/Cargo.toml`, so that the `sdkgen` package carries them (`cargo
//! package` stores their contents) and there is one copy in the repository.

use std::collections::BTreeMap;

/// The HTTP runtime (the `sdkgen-runtime` crate's code): the files of its
/// folder `runtime/src/runtime`, by name, copied verbatim into `src/runtime/`
/// of an SDK generated with [`crate::Runtime::Vendored`]. `mod.rs` declares the
/// others; the crate's `lib.rs` re-exports it.
pub(crate) const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/runtime/mod.rs")),
    ("auth.rs", include_str!("../runtime/runtime/auth.rs")),
    ("body.rs", include_str!("../runtime/runtime/body.rs")),
    ("call.rs", include_str!("../runtime/runtime/call.rs")),
    ("client.rs", include_str!("../runtime/runtime/client.rs")),
    ("codegen.rs", include_str!("../runtime/runtime/codegen.rs")),
    ("decode.rs", include_str!("../runtime/runtime/decode.rs")),
    ("download.rs", include_str!("../runtime/runtime/download.rs")),
    ("error.rs", include_str!("../runtime/runtime/error.rs")),
    ("json.rs", include_str!("../runtime/runtime/json.rs")),
    ("middleware.rs", include_str!("../runtime/runtime/middleware.rs")),
    ("mock.rs", include_str!("../runtime/runtime/mock.rs")),
    ("pages.rs", include_str!("../runtime/runtime/pages.rs")),
    ("params.rs", include_str!("../runtime/runtime/params.rs")),
    ("request.rs", include_str!("../runtime/runtime/request.rs")),
    ("response.rs", include_str!("../runtime/runtime/response.rs")),
    ("retry.rs", include_str!("../runtime/runtime/retry.rs")),
    ("secrets.rs", include_str!("../runtime/runtime/secrets.rs")),
    ("send.rs", include_str!("../runtime/runtime/send.rs")),
    ("spec.rs", include_str!("../runtime/runtime/spec.rs")),
    ("sse.rs", include_str!("../runtime/runtime/sse.rs")),
    ("telemetry.rs", include_str!("../runtime/runtime/telemetry.rs")),
    ("vendor.rs", include_str!("../runtime/runtime/vendor.rs")),
];

/// The vendored runtime as one module body, for a file that is `include!`d: the
/// text of `mod.rs` with each `mod name;` replaced by `mod name { … }` holding
/// that file's text.
pub(crate) fn runtime_inline() -> String {
    let (_, root) = RUNTIME_FILES[0];
    let mut out = String::with_capacity(RUNTIME_FILES.iter().map(|(_, text)| text.len() + 16).sum());
    for line in root.lines() {
        let module = line
            .strip_suffix(';')
            .and_then(|l| l.rsplit_once("mod "))
            .filter(|(vis, _)| matches!(vis.trim(), "" | "pub" | "pub(crate)"));
        let file =
            module.and_then(|(_, name)| RUNTIME_FILES.iter().find(|(file, _)| file.strip_suffix(".rs") == Some(name)));
        match file {
            Some((_, text)) => {
                out.push_str(line.strip_suffix(';').unwrap_or(line));
                out.push_str(" {\n");
                out.push_str(text);
                out.push_str("}\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `runtime/Cargo.toml`: the runtime crate's dependencies and features.
const RUNTIME_MANIFEST: &str = include_str!("../runtime/runtime-manifest.toml");

/// The runtime crate's `[dependencies]` (name → the TOML of its requirement,
/// `"1"` or `{ version = "0.12", … }`) and `[features]` (name → what it turns
/// on), as a crate that carries the runtime's code must declare them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuntimeManifest {
    /// Dependency name → its requirement, as inline TOML.
    pub dependencies: BTreeMap<String, String>,
    /// Feature name → the features and dependencies it enables.
    pub features: BTreeMap<String, Vec<String>>,
}

/// The runtime crate's manifest, read from its `Cargo.toml`.
pub(crate) fn runtime_manifest() -> RuntimeManifest {
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

/// Methods of the generated `ClientBuilder` that a security scheme's setter
/// must not take (a unit test checks them against what emission writes).
pub(crate) const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "build",
    "connect_timeout",
    "credential",
    "from_env",
    "http_client",
    "idempotency_header",
    "max_retries",
    "max_retry_after",
    "middleware",
    "retry_delays",
    "retry_writes",
    "timeout",
];

/// Methods of the generated `Client` (its own and those of the traits it
/// derives) that a top-level resource accessor must not take (a `/runtime`
/// path becomes `runtime_api()`; a unit test checks them against what
/// emission writes).
/// The `Mock`'s own methods are here too, since it has the same accessors
/// (`client`, `from_examples`, `new`, `try_verify`, `verify`).
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "client",
    "clone",
    "clone_from",
    "fmt",
    "from_env",
    "from_examples",
    "new",
    "runtime",
    "try_verify",
    "verify",
];

/// The extension that records a moved schema's original pointer.
pub(crate) const ORIGIN: &str = "x-sdkgen-origin";

/// The extension under which reading a 3.1 document lists its webhooks for lowering.
pub(crate) const WEBHOOKS: &str = "x-sdkgen-webhooks";

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The text of the vendored runtime's file `name`.
    fn runtime_file(name: &str) -> &'static str {
        RUNTIME_FILES.iter().find(|(file, _)| *file == name).unwrap_or_else(|| panic!("no {name}")).1
    }

    /// The names of the `.rs` files in `dir`, sorted.
    fn rust_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_vendored_files_are_the_runtime_folder_whole_and_the_rest_of_the_crate_is_tests() {
        // Every module of the runtime is vendored: a module added without its line in
        // RUNTIME_FILES fails here (and one listed but gone fails to compile).
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut listed: Vec<String> = RUNTIME_FILES.iter().map(|(name, _)| name.to_string()).collect();
        listed.sort();
        assert_eq!(rust_files(&src.join("runtime")), listed, "RUNTIME_FILES and runtime/src/runtime differ");
        assert_eq!(RUNTIME_FILES[0].0, "mod.rs", "the module root comes first");
        for (name, text) in RUNTIME_FILES {
            let path = src.join("runtime").join(name);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), *text, "{} is stale", path.display());
        }
        // Beside the folder, runtime/src holds the crate root and test modules only.
        let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
        for name in rust_files(&src).iter().filter(|name| *name != "lib.rs") {
            let module = name.trim_end_matches(".rs");
            assert!(lib.contains(&format!("#[cfg(test)]\nmod {module};")), "runtime/src/{name} is not a test module");
        }
    }

    #[test]
    fn the_vendored_files_compile_as_a_module_of_any_crate() {
        // Inside the runtime, siblings are reached through `super::`: `crate::` would be
        // the SDK's root once vendored. No inner attribute or doc (the one-file form is
        // `include!`d) and every module of `mod.rs` inlined.
        for (name, text) in RUNTIME_FILES {
            assert!(!text.contains("crate::"), "{name} names `crate::`");
            assert!(!text.contains("//!") && !text.contains("#!["), "{name} has an inner attribute");
        }
        let inline = runtime_inline();
        for (name, text) in &RUNTIME_FILES[1..] {
            let module = name.trim_end_matches(".rs");
            assert!(inline.contains(&format!("mod {module} {{\n{text}}}\n")), "{name} is not inlined");
        }
        assert!(!inline.lines().any(|l| l.trim_start().starts_with("mod ") && l.ends_with(';')), "{inline}");
    }

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
        // The source is the runtime crate's.
        assert!(runtime_file("client.rs").contains("pub struct Client {"));
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
            methods_of(runtime_file("client.rs"), "ClientBuilder").into_iter().filter(|m| m != "new").collect();
        let mut reserved: Vec<&str> = BUILDER_METHODS.to_vec();
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
                    method == "pets" || CLIENT_METHODS.contains(&method.as_str()),
                    "{ty}::{method} is not in CLIENT_METHODS"
                );
            }
            assert!(own.len() > 3 && own.contains(&"pets".to_string()), "{ty}: {own:?}");
        }
        // And the traits it derives.
        for derived in ["clone", "clone_from", "fmt"] {
            assert!(CLIENT_METHODS.contains(&derived));
        }
    }

    #[test]
    fn every_feature_the_runtime_code_tests_is_declared() {
        // A `cfg(feature = "…")` in the vendored code must name a feature the SDK declares.
        let manifest = runtime_manifest();
        let mut seen = 0;
        for (_, mut rest) in RUNTIME_FILES {
            while let Some(at) = rest.find("feature = \"") {
                rest = &rest[at + "feature = \"".len()..];
                let name = &rest[..rest.find('"').unwrap()];
                assert!(manifest.features.contains_key(name), "feature {name} is not in runtime/Cargo.toml");
                seen += 1;
            }
        }
        assert!(seen > 0);
    }
}
