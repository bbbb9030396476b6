//! `sdkgen-corpus`: runs sdkgen over a corpus of real OpenAPI documents,
//! each in its own process with a time limit and a memory cap, several at a
//! time, and writes a Markdown table of what happened: generated, refused as
//! unsupported or invalid, internal error, timed out, over memory. With
//! `--compile` it also runs `cargo check --all-features` (warnings denied)
//! on the generated crates, in one shared workspace and target directory.
//!
//! ```sh
//! cargo run --release -p sdkgen-corpus -- --shared --compile
//! cargo run --release -p sdkgen-corpus -- --apis-guru --versions 3.0 --min-generated 99
//! ```

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod child;
mod compile;
mod fetch;
mod report;
mod run;
mod specs;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1).peekable();
    if raw.peek().map(String::as_str) == Some(child::COMMAND) {
        raw.next();
        return child::main(raw.collect());
    }
    let args = match args::Args::parse(raw) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{}", args::HELP);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\nRun `sdkgen-corpus --help` for usage.");
            return ExitCode::from(2);
        }
    };
    match run::run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
