//! Arbitrary bytes as a spec, read as JSON when they start with `{` and as
//! YAML otherwise: sdkgen must not panic, hang or exhaust memory, and must
//! either reject the input with a well-formed pointer or generate code that
//! parses as Rust.

#![no_main]

#[path = "../../generator/tests/support/mutate.rs"]
mod mutate;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(violation) = mutate::check("fuzz.yaml", text, None) {
        panic!("{violation}");
    }
});
