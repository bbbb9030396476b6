//! Property test: mutated versions of our specs never make sdkgen panic.
//! Each either fails with an error that names a JSON pointer (or a line), or
//! generates code that parses as Rust (see `support/mutate.rs`, shared with
//! the `mutate_spec` fuzz target).
//!
//! Deterministic: a fixed seed per case, so a failure names its case and
//! reproduces. `SDKGEN_MUTATIONS=N` runs N cases instead of the default 1,000
//! (`.ci/run` runs 4,000);
//! `SDKGEN_MUTATIONS_TRACE=1` prints each case and leaves the last spec in
//! `$TMPDIR/sdkgen-mutation.json`, to rerun a crash with the CLI.
//! Inputs the fuzzers found crashing are kept in `fuzz/regressions/` and
//! replayed here.

#[path = "support/mutate.rs"]
mod mutate;

use mutate::{check, Outcome, Rng};

#[test]
fn mutated_specs_never_panic() {
    let seeds = mutate::seeds();
    let cases: u64 = std::env::var("SDKGEN_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let trace = std::env::var_os("SDKGEN_MUTATIONS_TRACE").is_some();
    // The cases split over the cores (case k on thread k mod n): each case has its own seed,
    // so which thread runs it changes nothing. One thread when tracing, so the last spec
    // written is the last case run.
    let threads = if trace { 1 } else { std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) as u64 };
    let counts: Vec<(u64, u64)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                let seeds = &seeds;
                scope.spawn(move || {
                    let (mut generated, mut rejected) = (0, 0);
                    for case in (first..cases).step_by(threads as usize) {
                        let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15 ^ (case + 1).wrapping_mul(0x1000_0000_01B3));
                        let (name, spec) = mutate::mutated(seeds, &mut rng);
                        let text = serde_json::to_string(&spec).unwrap();
                        if trace {
                            eprintln!("case {case} ({name})");
                            std::fs::write(std::env::temp_dir().join("sdkgen-mutation.json"), &text).unwrap();
                        }
                        match check("mutated.json", &text, Some(&spec)) {
                            Ok(Outcome::Generated) => generated += 1,
                            Ok(Outcome::Rejected) => rejected += 1,
                            Err(violation) => panic!("case {case} ({name}): {violation}\n{text}"),
                        }
                    }
                    (generated, rejected)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let (generated, rejected) = counts.iter().fold((0, 0), |(g, r), (g2, r2)| (g + g2, r + r2));
    assert_eq!(generated + rejected, cases, "every case ran");
    eprintln!(
        "{cases} mutated specs on {threads} threads: {generated} generated, {rejected} rejected with a located error"
    );
    assert!(generated > 0 && rejected > 0, "the mutations exercise both outcomes");
}

/// Every input a fuzz target found crashing, replayed through the same
/// property: `fuzz/regressions/<target>/<input>`.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let seeds = mutate::seeds();
    let mut replayed = 0;
    for target in ["generate_bytes", "mutate_spec"] {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let bytes = std::fs::read(&path).unwrap();
            let result = if target == "generate_bytes" {
                let Ok(text) = std::str::from_utf8(&bytes) else { continue };
                check("fuzz.yaml", text, None)
            } else {
                let (_, spec) = mutate::mutated(&seeds, &mut mutate::Bytes(&bytes));
                check("fuzz.json", &serde_json::to_string(&spec).unwrap(), Some(&spec))
            };
            if let Err(violation) = result {
                panic!("{}: {violation}", path.display());
            }
            replayed += 1;
        }
    }
    eprintln!("{replayed} fuzz regression inputs replayed");
    assert!(replayed >= 4, "the kept inputs are found: {}", dir.display());
}
