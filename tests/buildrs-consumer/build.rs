//! Generates the Cloudflare Images client from the repository's spec at build time.

fn main() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/images-edit.yaml");
    if let Err(e) = sdkgen::Config::new().crate_name("cloudflare-images").compile(&spec) {
        // One clear line naming the file and the JSON pointer, no backtrace.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
