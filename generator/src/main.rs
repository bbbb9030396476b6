//! The `sdkgen` command line: `generate` writes an SDK crate, `check`
//! verifies committed output. Exit codes: 0 ok, 1 stale output, 2 bad input.

use sdkgen::{Config, Generated, Warning};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
sdkgen - generate a typed async Rust SDK from an OpenAPI 3.0 document

USAGE:
    sdkgen generate <SPEC> --out <DIR> [OPTIONS]
    sdkgen check <SPEC> --out <DIR> [OPTIONS]

COMMANDS:
    generate   Write a complete SDK crate (Cargo.toml, src/lib.rs, src/runtime.rs)
               to <DIR>. Only files whose contents change are written; on any
               error nothing is written.
    check      Generate in memory and compare with <DIR>. Exits 1 with a diff
               when the committed output is stale (same as `generate --check`).

OPTIONS:
    -o, --out <DIR>           Directory of the generated crate
        --overrides <FILE>    Overrides file (default: <SPEC stem>.sdkgen.toml beside the spec)
        --crate-name <NAME>   Package name (default: the spec's file stem)
        --check               With generate: check instead of writing
        --strict              Treat warnings as errors
        --example-tests       Also write tests/examples.rs: the spec's examples decode
                              into the generated types and encode back
    -v, --verbose             List every warning, not just the first of each kind
    -h, --help                Show this help
    -V, --version             Show the version

EXIT CODES:
    0  success    1  `check`: output is stale    2  bad input or usage

EXAMPLE:
    sdkgen generate openapi/images-edit.yaml --out generated/images-edit
";

struct Args {
    command: String,
    spec: PathBuf,
    out: PathBuf,
    overrides: Option<PathBuf>,
    crate_name: Option<String>,
    check: bool,
    strict: bool,
    example_tests: bool,
    verbose: bool,
}

fn parse_args(mut raw: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut command = None;
    let mut spec = None;
    let mut out = None;
    let (mut overrides, mut crate_name) = (None, None);
    let (mut check, mut strict, mut verbose, mut example_tests) = (false, false, false, false);
    while let Some(arg) = raw.next() {
        let mut value = |name: &str| raw.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" | "help" => return Ok(None),
            "-V" | "--version" => {
                println!("sdkgen {}", sdkgen::VERSION);
                std::process::exit(0);
            }
            "-o" | "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--overrides" => overrides = Some(PathBuf::from(value("--overrides")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--check" => check = true,
            "--strict" => strict = true,
            "--example-tests" => example_tests = true,
            "-v" | "--verbose" => verbose = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            word if command.is_none() => command = Some(word.to_string()),
            word if spec.is_none() => spec = Some(PathBuf::from(word)),
            word => return Err(format!("unexpected argument `{word}`")),
        }
    }
    let command = command.ok_or("missing command: generate or check")?;
    if command != "generate" && command != "check" {
        return Err(format!("unknown command `{command}`: expected generate or check"));
    }
    let spec = spec.ok_or("missing <SPEC>")?;
    let out = out.ok_or("missing --out <DIR>")?;
    let check = check || command == "check";
    Ok(Some(Args { command, spec, out, overrides, crate_name, check, strict, verbose, example_tests }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\nRun `sdkgen --help` for usage.");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::new().strict(args.strict).example_tests(args.example_tests);
    if let Some(file) = &args.overrides {
        config = config.overrides_file(file);
    }
    if let Some(name) = &args.crate_name {
        config = config.crate_name(name);
    }
    let generated = match config.generate_file_timed(&args.spec) {
        Ok((generated, _, timings)) => {
            if args.verbose {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                eprintln!(
                    "sdkgen: parse {:.0} ms, lower {:.0} ms, emit {:.0} ms, format {:.0} ms",
                    ms(timings.parse),
                    ms(timings.lower),
                    ms(timings.emit),
                    ms(timings.format)
                );
            }
            generated
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    eprint!("{}", report(&generated, args.verbose));
    if args.check {
        let stale = generated.check(&args.out);
        if stale.is_empty() {
            eprintln!("{} is up to date", args.out.display());
            return ExitCode::SUCCESS;
        }
        for diff in &stale {
            eprintln!("{diff}");
        }
        eprintln!(
            "error: {} is stale. Update it with:\n    sdkgen generate {} --out {}",
            args.out.display(),
            args.spec.display(),
            args.out.display()
        );
        return ExitCode::from(1);
    }
    debug_assert_eq!(args.command, "generate");
    match generated.write_to(&args.out) {
        Ok(written) => {
            eprintln!(
                "wrote {} file(s) to {} ({} unchanged)",
                written.len(),
                args.out.display(),
                generated.files().len() - written.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// A one-screen summary: counts, then warnings grouped by kind.
fn report(generated: &Generated, verbose: bool) -> String {
    let mut by_kind: BTreeMap<sdkgen::WarningKind, Vec<&Warning>> = BTreeMap::new();
    for w in &generated.warnings {
        by_kind.entry(w.kind).or_default().push(w);
    }
    let mut out = format!(
        "sdkgen: {}/{} operations, {} types ({} of them the spec's schemas), {} warnings\n",
        generated.stats.operations,
        generated.stats.operations_in_spec,
        generated.stats.types,
        generated.stats.component_types,
        generated.warnings.len()
    );
    if generated.example_tests.is_some() {
        let s = &generated.stats;
        out.push_str(&format!(
            "example tests: {} examples checked, {} contradict their schema (left out), {} of bodies without a type of their own\n",
            s.examples, s.example_spec_errors, s.examples_untyped
        ));
    }
    for (kind, list) in by_kind {
        out.push_str(&format!("  {kind}: {}\n", list.len()));
        let shown = if verbose { list.len() } else { 3 };
        for w in list.iter().take(shown) {
            out.push_str(&format!("    at {}: {}\n", w.pointer, w.message));
        }
        if list.len() > shown {
            out.push_str(&format!("    … {} more (--verbose lists all)\n", list.len() - shown));
        }
    }
    out
}
