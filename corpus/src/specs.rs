//! Finding the documents of a corpus, naming them, and telling their version.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One document to run.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Stable name: `apis-guru:<path under api/>`, `shared:<file>`, or the path as given.
    pub name: String,
    pub path: PathBuf,
    /// A cargo package name, unique in the run.
    pub slug: String,
    /// `3.0.1`, `3.1.0`, `2.0`, or `?` when the document does not say.
    pub version: String,
    pub bytes: u64,
}

/// The repository root (the runner's manifest sits one folder below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("corpus/ has a parent").to_path_buf()
}

/// The shared corpus beside the repository.
pub fn shared_dir() -> PathBuf {
    repo_root().join("../shared/specs/corpus")
}

/// Every `.json`, `.yaml` and `.yml` file under `dir`, sorted, named `prefix` + relative path.
pub fn scan(dir: &Path, prefix: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                out.push((format!("{prefix}{rel}"), path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The names listed in a list file: one a line, `#` comments and blank lines skipped.
pub fn read_list(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// Builds the spec records: version sniffed, slugs made unique.
pub fn records(found: Vec<(String, PathBuf)>) -> Vec<Spec> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::with_capacity(found.len());
    let mut seen = BTreeSet::new();
    for (name, path) in found {
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = std::fs::read(&path).unwrap_or_default();
        let mut slug = slug(&name);
        let base = slug.clone();
        let mut n = 2;
        while !taken.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        out.push(Spec { name, path, slug, version: sniff_version(&text), bytes: text.len() as u64 });
    }
    out
}

/// A cargo package name for a spec name: `apis-guru:amazonaws.com/s3.json` → `amazonaws-com-s3`.
fn slug(name: &str) -> String {
    let name = name.rsplit_once(':').map_or(name, |(_, rest)| rest);
    let stem = name.strip_suffix(".json").or_else(|| name.strip_suffix(".yaml")).unwrap_or(name);
    let stem = stem.strip_suffix(".yml").unwrap_or(stem);
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("api-{out}"),
    }
}

/// The `openapi` or `swagger` version a document declares, read from the
/// text without parsing it (a spec that hangs the parser still gets a version).
pub fn sniff_version(text: &[u8]) -> String {
    for key in ["openapi", "swagger"] {
        for quoted in [true, false] {
            let needle = if quoted { format!("\"{key}\"") } else { key.to_string() };
            let mut from = 0;
            while let Some(at) = find(&text[from..], needle.as_bytes()).map(|i| i + from) {
                from = at + needle.len();
                // Unquoted YAML keys must start a line.
                if !quoted && at > 0 && text[at - 1] != b'\n' {
                    continue;
                }
                let rest = &text[from..text.len().min(from + 40)];
                let rest = String::from_utf8_lossy(rest);
                let Some(value) = rest.trim_start().strip_prefix(':') else { continue };
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let version: String = value.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                if !version.is_empty() {
                    return version;
                }
            }
        }
    }
    "?".into()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_sniffed_from_json_and_yaml() {
        assert_eq!(sniff_version(br#"{"x-origin": "openapi", "openapi" : "3.0.1"}"#), "3.0.1");
        assert_eq!(sniff_version(b"info: {}\nopenapi: '3.1.0'\n"), "3.1.0");
        assert_eq!(sniff_version(b"swagger: \"2.0\"\n"), "2.0");
        assert_eq!(sniff_version(b"title: no version\n"), "?");
    }

    #[test]
    fn slugs_are_package_names() {
        assert_eq!(slug("apis-guru:amazonaws.com/s3.json"), "amazonaws-com-s3");
        assert_eq!(slug("shared:oai-example-3.0-petstore.yaml"), "oai-example-3-0-petstore");
        assert_eq!(slug("1password.local/connect.yaml"), "api-1password-local-connect");
    }
}
