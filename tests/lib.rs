//! Shared helpers for the workspace-level tests.

/// The parts of a `multipart/form-data` body: (name, part headers, content).
/// Panics when the body is not a well-formed form with the given content type.
pub fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<(String, String, Vec<u8>)> {
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart content type");
    let delimiter = format!("--{boundary}");
    assert!(body.ends_with(format!("{delimiter}--\r\n").as_bytes()), "the form ends with the closing delimiter");
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let head_end = find(rest, b"\r\n\r\n").expect("part headers end");
        let head = String::from_utf8_lossy(&rest[2..head_end]).into_owned();
        let end = head_end + find(&rest[head_end..], delimiter.as_bytes()).expect("a delimiter follows each part");
        let name = head.split("name=\"").nth(1).and_then(|s| s.split('"').next()).expect("a named part").to_string();
        parts.push((name, head, rest[head_end + 4..end - 2].to_vec()));
        rest = &rest[end..];
    }
    parts
}

/// Options of an Images variant, as Cloudflare documents its `hero` example.
pub fn variant_options() -> images::types::ImageVariantOptions {
    use images::types::{ImageVariantOptionsFit, ImageVariantOptionsMetadata};
    images::types::ImageVariantOptions::new(
        ImageVariantOptionsFit::ScaleDown,
        ImageVariantOptionsMetadata::None,
        1366.0,
        768.0,
    )
}

/// The README's Rust examples, compiled (and not run) as doc tests against the committed SDKs.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
