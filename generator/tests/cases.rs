//! Regression cases, one spec a file in `tests/cases/`: each shape a real
//! spec once broke sdkgen with (the file's header says which). Every case
//! must generate without an error and give code that parses; CI also
//! compiles them, warnings denied (`sdkgen-corpus generator/tests/cases
//! --compile`, see `.ci/run`). Add a case by dropping a file in the folder.

#[path = "support/mutate.rs"]
mod mutate;

#[test]
fn every_case_generates_code_that_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    cases.sort();
    let mut failures = Vec::new();
    for path in &cases {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let generated = sdkgen::Config::new().threads(1).generate(&name, &text);
        match generated {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(sdk) => {
                let lib = &sdk.files()[std::path::Path::new("src/lib.rs")];
                if let Err(e) = syn::parse_file(lib) {
                    failures.push(format!("{name}: generated code does not parse: {e}"));
                }
            }
        }
        // The same property the mutation test holds every spec to.
        if let Err(violation) = mutate::check(&name, &text, None) {
            failures.push(format!("{name}: {violation}"));
        }
    }
    assert!(cases.len() >= 6, "the cases are found in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
