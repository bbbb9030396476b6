//! Structure-aware: the fuzzer's bytes choose a seed spec (ours, from
//! `openapi/`) and one to three mutations of it (drop or retype a node,
//! dangle or cycle a `$ref`, empty and odd names, huge enums, deep nesting),
//! so coverage steers which mutations are tried. The property is the one
//! the test suite checks (`generator/tests/support/mutate.rs`).

#![no_main]

#[path = "../../generator/tests/support/mutate.rs"]
mod mutate;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SEEDS: OnceLock<Vec<(&'static str, serde_json::Value)>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let seeds = SEEDS.get_or_init(mutate::seeds);
    let (name, spec) = mutate::mutated(seeds, &mut mutate::Bytes(data));
    let text = serde_json::to_string(&spec).expect("a JSON tree serializes");
    if let Err(violation) = mutate::check("fuzz.json", &text, Some(&spec)) {
        panic!("{name}: {violation}\n{text}");
    }
});
