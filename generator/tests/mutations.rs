//! Property test: mutated versions of our specs never make sdkgen panic.
//! Each either fails with an error that names a JSON pointer (or a line), or
//! generates code that parses as Rust. Mutations: dropped and retyped nodes,
//! dangling and cyclic `$ref`s, empty and odd names, huge enums, deep nesting.
//!
//! Deterministic: a fixed seed per case, so a failure names its case and
//! reproduces. `SDKGEN_MUTATIONS=N` runs N cases instead of the default;
//! `SDKGEN_MUTATIONS_TRACE=1` prints each case and leaves the last spec in
//! `$TMPDIR/sdkgen-mutation.json`, to rerun a crash with the CLI.

use serde_json::{json, Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
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

fn mutate(spec: &mut Value, rng: &mut Rng) {
    let mut sites = Vec::new();
    pointers(spec, String::new(), &mut sites);
    let site = rng.pick(&sites).clone();
    let names = schema_names(spec);
    let any_schema = match names.is_empty() {
        true => "#/components/schemas/None".to_string(),
        false => format!("#/components/schemas/{}", rng.pick(&names)),
    };
    let Some(node) = spec.pointer_mut(&site) else { return };
    match rng.below(12) {
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

#[test]
fn mutated_specs_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs: Vec<(String, Value)> = ["images-edit", "images", "kitchen-sink"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(root.join(format!("openapi/{name}.yaml"))).unwrap();
            (name.to_string(), serde_yaml::from_str::<Value>(&text).unwrap())
        })
        .collect();
    let cases: u64 = std::env::var("SDKGEN_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(2000);
    let (mut generated, mut rejected) = (0, 0);
    for case in 0..cases {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (case + 1).wrapping_mul(0x1000_0000_01B3));
        let (name, base) = &specs[rng.below(specs.len())];
        let mut spec = base.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut spec, &mut rng);
        }
        let text = serde_json::to_string(&spec).unwrap();
        if std::env::var_os("SDKGEN_MUTATIONS_TRACE").is_some() {
            eprintln!("case {case} ({name})");
            std::fs::write(std::env::temp_dir().join("sdkgen-mutation.json"), &text).unwrap();
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| sdkgen::Config::new().generate("mutated.json", &text)));
        match outcome {
            Err(_) => panic!("case {case} ({name}) panicked on:\n{text}"),
            Ok(Err(e)) => {
                // The pointer names a node that exists in the document given.
                assert!(
                    spec.pointer(&e.pointer).is_some(),
                    "case {case} ({name}): pointer of `{e}` resolves to nothing"
                );
                rejected += 1;
            }
            Ok(Ok(sdk)) => {
                let lib = &sdk.files()[std::path::Path::new("src/lib.rs")];
                if let Err(e) = syn::parse_file(lib) {
                    panic!("case {case} ({name}): generated code does not parse: {e}\n{text}");
                }
                generated += 1;
            }
        }
    }
    eprintln!("{cases} mutated specs: {generated} generated, {rejected} rejected with a located error");
    assert!(generated > 0 && rejected > 0, "the mutations exercise both outcomes");
}
