//! The mutation engine and the property every mutated spec must satisfy,
//! shared by the property test (`tests/mutations.rs`) and the structure-aware
//! fuzz target (`fuzz/fuzz_targets/mutate_spec.rs`), which includes this file
//! by path. Mutations: dropped and retyped nodes, dangling and cyclic `$ref`s,
//! empty and odd names, huge enums, deep nesting, towers of `allOf`s,
//! parameters named like Rust keywords, rings of `allOf`-wrapped `$ref`s.

#![allow(dead_code)]

use serde_json::{json, Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The specs that are mutated, by name (our own, from `openapi/`: OpenAPI
/// 3.0, 3.1 and Swagger 2.0).
pub const SEEDS: [(&str, &str); 6] = [
    ("images-edit", include_str!("../../../openapi/images-edit.yaml")),
    ("images", include_str!("../../../openapi/images.yaml")),
    ("kitchen-sink", include_str!("../../../openapi/kitchen-sink.yaml")),
    ("notes-3.1", include_str!("../../../openapi/notes-3.1.yaml")),
    ("pages", include_str!("../../../openapi/pages.yaml")),
    ("store-swagger2", include_str!("../../../openapi/store-swagger2.yaml")),
];

/// The seed specs as JSON trees.
pub fn seeds() -> Vec<(&'static str, Value)> {
    SEEDS.iter().map(|(name, text)| (*name, serde_yaml::from_str::<Value>(text).expect("seed spec"))).collect()
}

/// A seed spec with one to three mutations chosen by `choices`.
pub fn mutated(seeds: &[(&'static str, Value)], choices: &mut impl Choices) -> (&'static str, Value) {
    let (name, base) = &seeds[choices.below(seeds.len())];
    let mut spec = base.clone();
    for _ in 0..=choices.below(3) {
        mutate(&mut spec, choices);
    }
    (name, spec)
}

/// What generating from a spec came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Generated,
    Rejected,
}

/// The property: generating from `text` does not panic, and either fails
/// with an error whose pointer names a node of `spec` (the same document as
/// a tree, when it could be read as one) or yields code that parses as Rust.
pub fn check(name: &str, text: &str, spec: Option<&Value>) -> Result<Outcome, String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| sdkgen::Config::new().threads(1).generate(name, text)));
    match outcome {
        Err(_) => Err("sdkgen panicked".to_string()),
        Ok(Err(e)) if e.kind == sdkgen::ErrorKind::Internal => Err(format!("internal error: {e}")),
        Ok(Err(e)) => match spec {
            Some(spec) if spec.pointer(&e.pointer).is_none() => Err(format!("pointer of `{e}` resolves to nothing")),
            _ if !e.pointer.is_empty() && !e.pointer.starts_with('/') => Err(format!("`{e}`: malformed pointer")),
            _ => Ok(Outcome::Rejected),
        },
        Ok(Ok(sdk)) => {
            let lib = &sdk.files()[std::path::Path::new("src/lib.rs")];
            match syn::parse_file(lib) {
                Ok(_) => Ok(Outcome::Generated),
                Err(e) => Err(format!("generated code does not parse: {e}")),
            }
        }
    }
}

/// xorshift64*: small, deterministic, good enough to pick mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl Choices for Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Where mutation choices come from: a seeded generator (the property
/// test) or the fuzzer's bytes (so that coverage steers the choices).
pub trait Choices {
    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize;
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T
    where
        Self: Sized,
    {
        &items[self.below(items.len())]
    }
}

/// Choices read from bytes, two at a time; zeros once they run out.
pub struct Bytes<'a>(pub &'a [u8]);

impl Choices for Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        let (head, rest) = self.0.split_at(self.0.len().min(2));
        self.0 = rest;
        let value = head.iter().fold(0usize, |acc, b| acc << 8 | *b as usize);
        value % n.max(1)
    }
}

/// JSON pointers of every node, to pick mutation sites from.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn schema_names(spec: &Value) -> Vec<String> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Applies one mutation at a site chosen by `rng`.
pub fn mutate(spec: &mut Value, rng: &mut impl Choices) {
    let mut sites = Vec::new();
    pointers(spec, String::new(), &mut sites);
    let site = rng.pick(&sites).clone();
    let elsewhere = rng.pick(&sites).clone();
    let names = schema_names(spec);
    let any_schema = match names.is_empty() {
        true => "#/components/schemas/None".to_string(),
        false => format!("#/components/schemas/{}", rng.pick(&names)),
    };
    if rng.below(16) == 0 {
        // A tower of `allOf`s, each naming the one below twice: 2^24 merges
        // unless merges are memoised.
        if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            schemas.insert("Tower0".into(), json!({"type": "object", "properties": {"t0": {"type": "string"}}}));
            for i in 1..=24 {
                let below = json!({"$ref": format!("#/components/schemas/Tower{}", i - 1)});
                let own = json!({"properties": {format!("t{i}"): {"type": "integer"}}});
                schemas.insert(format!("Tower{i}"), json!({"allOf": [below.clone(), below, own]}));
            }
        }
        if let Some(node) = spec.pointer_mut(&site) {
            *node = json!({"$ref": "#/components/schemas/Tower24"});
        }
        return;
    }
    if rng.below(16) == 0 {
        // Path and query parameters named like Rust keywords (Jira's `{type}`).
        if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
            let param = |name: &str, place: &str| json!({"name": name, "in": place, "required": true, "schema": {"type": "string"}});
            paths.insert(
                "/kw/{type}/{self}/{Self}/{fn}".into(),
                json!({"get": {"parameters": [param("type", "path"), param("self", "path"), param("Self", "path"),
                    param("fn", "path"), param("match", "query"), param("crate", "header")],
                    "responses": {"200": {"description": "ok"}}}}),
            );
        }
        return;
    }
    let Some(node) = spec.pointer_mut(&site) else { return };
    match rng.below(15) {
        12 => {
            // Data that looks like a reference, numbers past 64 bits, mistyped keywords.
            *node = json!({"type": "integer", "maximum": 1.8446744073709552e19, "minimum": -1e300, "pattern": 0,
                "example": {"$ref": "elsewhere.yaml#/x"}, "default": {"$ref": "#/nowhere"}, "x-data": {"$ref": 1}})
        }
        // A reference to any node: a schema, a parameter or a response
        // outside the components, or one that contains this node.
        13 => *node = json!({"$ref": format!("#{elsewhere}")}),
        11 => *node = json!({"allOf": [{"$ref": any_schema}, {"description": "wrapped", "nullable": true}]}),
        0 => *node = Value::Null,
        1 => *node = json!(""),
        2 => *node = json!({}),
        3 => *node = json!([]),
        4 => {
            *node = json!({"type": rng.pick(&["string", "integer", "object", "array", "boolean", "number", "strin", "null"])})
        }
        5 => *node = json!({"$ref": "#/components/schemas/DoesNotExist"}),
        6 => *node = json!({"$ref": any_schema}),
        7 => *node = json!({"allOf": [{"$ref": any_schema}, {"properties": {"": {}, "1": {}, "type": {}, "a b": {}}}]}),
        8 => {
            let values: Vec<Value> =
                (0..400).map(|i| json!(format!("v{}-{}", i % 37, ["", "<=", ">", "Self"][i % 4]))).collect();
            *node = json!({"type": "string", "enum": values});
        }
        9 => {
            let mut deep = json!({"type": "string"});
            for i in 0..60 {
                deep = if i % 2 == 0 { json!({"type": "array", "items": deep}) } else { json!({"allOf": [deep]}) };
            }
            *node = deep;
        }
        10 => {
            if let Value::Object(map) = node {
                let keys: Vec<String> = map.keys().cloned().collect();
                if !keys.is_empty() {
                    let key = rng.pick(&keys).clone();
                    map.remove(&key);
                }
            }
        }
        _ => {
            if let Value::Object(map) = node {
                let renamed: Map<String, Value> = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            if k.starts_with('/') || k == "openapi" {
                                k
                            } else {
                                format!("{k}{}", ["", "-x", "$", "Type"][k.len() % 4])
                            },
                            v,
                        )
                    })
                    .collect();
                *map = renamed;
            }
        }
    }
    // Now and then components that refer to each other through allOf
    // wrappers (the AWS shape that once expanded exponentially).
    if rng.below(8) == 0 && names.len() > 1 {
        if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            for (i, name) in names.iter().enumerate() {
                let next = &names[(i + 1) % names.len()];
                let wrapped =
                    |n: &str| json!({"allOf": [{"$ref": format!("#/components/schemas/{n}")}, {"description": "w"}]});
                schemas.insert(
                    format!("{name}Wrapped"),
                    json!({"type": "object", "properties": {"a": wrapped(&format!("{next}Wrapped")), "b": wrapped(name)}}),
                );
            }
        }
    }
    // Now and then a cycle among the components.
    if rng.below(8) == 0 && !names.is_empty() {
        let a = rng.pick(&names).clone();
        let b = rng.pick(&names).clone();
        if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            schemas.insert(a, json!({"allOf": [{"$ref": format!("#/components/schemas/{b}")}]}));
            schemas.insert(b.clone(), json!({"$ref": format!("#/components/schemas/{b}")}));
        }
    }
}
