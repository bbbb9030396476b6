//! The generated crate's `tests/examples.rs`: the spec's examples (see
//! `crate::examples`) decoded into their types and encoded back.

use crate::ir::{Api, TypeRef};
use crate::lower::examples::Example;
use crate::naming;
use std::collections::BTreeMap;

/// The checks the generated tests make, appended to them verbatim.
const SUPPORT: &str = include_str!("../../runtime/examples_support.rs");

/// The generated crate's `tests/examples.rs`: one test per top-level
/// resource with examples, each decoding them into their types. Written as
/// text (not through `prettyplease`, which cannot break long literals) in
/// rustfmt's layout.
pub(crate) fn tests_file(api: &Api, examples: &[Example], lib_name: &str) -> String {
    if examples.is_empty() {
        return "//! The spec documents no JSON example that sdkgen can check.\n".to_string();
    }
    let mut by_resource: BTreeMap<&str, Vec<&Example>> = BTreeMap::new();
    for e in examples {
        by_resource.entry(&e.resource).or_default().push(e);
    }
    let mut out = String::from(
        "//! The spec's documented examples: each decodes into its generated type and\n//! encodes back to the same JSON (up to key order, numbers' spelling,\n//! date-times' spelling and fields left out when absent or `null`).\n//! With the `testing` feature, which derives both serde traits on every type.\n#![cfg(feature = \"testing\")]\n\n",
    );
    let mut named = false;
    examples.iter().for_each(|e| e.ty.visit_named(&mut |_| named = true));
    if named {
        out.push_str(&format!("use {lib_name}::types::*;\n\n"));
    }
    for (resource, examples) in by_resource {
        let cfg = super::feature_cfg(api, &[resource.to_string()]);
        if !cfg.is_empty() {
            let attr = prettyplease::unparse(&syn::parse_quote!(#cfg fn f() {}));
            out.push_str(attr.lines().next().unwrap_or_default());
            out.push('\n');
        }
        out.push_str(&format!(
            "#[test]\nfn examples_of_{}() {{\n    let failures: Vec<String> = [\n",
            naming::unraw(resource)
        ));
        for e in examples {
            out.push_str(&format!(
                "        check::<{}>(\n            {:?},\n            {},\n            {},\n        ),\n",
                type_text(&e.ty),
                e.pointer,
                e.enveloped,
                raw_string(&e.value.to_string())
            ));
        }
        out.push_str(
            "    ]\n    .into_iter()\n    .flatten()\n    .collect();\n    assert!(failures.is_empty(), \"{} example(s) do not hold:\\n{}\", failures.len(), failures.join(\"\\n\"));\n}\n\n",
        );
    }
    out + SUPPORT
}

/// A type as written inside the test file (the `types` module glob-imported).
fn type_text(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        TypeRef::Value => "serde_json::Value".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Upload => "runtime::Upload".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("std::collections::BTreeMap<String, {}>", type_text(inner)),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_text(inner)),
    }
}

/// `text` as a raw string literal, with as many `#` as it needs.
fn raw_string(text: &str) -> String {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{text}\"{h}")
}
