//! The layout rules of `docs/architecture.md`, for the generator's and the
//! runtime's sources: no file over 800 lines, and no import cycle between
//! the modules of one folder (module `a` uses `b` and `b` uses `a`, directly
//! or through others), counting `crate::`, `super::` and `self::` paths and
//! a `mod.rs`'s paths into its own children.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

/// Every `.rs` file under `dir`, with its module path (`lower/placement/mod.rs`
/// is `["lower", "placement"]`; `lib.rs` is `[]`).
fn modules(dir: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(dir).unwrap();
                let mut parts: Vec<String> =
                    rel.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                    parts.pop();
                }
                out.push((path, parts));
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without comments, string literals' contents and its
/// `#[cfg(test)] mod tests` (tests may use anything).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        // Generated code quoted in strings is not a use of the generator's modules.
        let mut in_string = false;
        for c in line.chars() {
            if c == '"' {
                in_string = !in_string;
            } else if !in_string {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The absolute module paths `code` (in module `at`, a folder's `mod.rs` when
/// `is_folder`) refers to, by their first segment after the anchor.
fn references(code: &str, at: &[String], children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let words: Vec<&str> = code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).collect();
    for word in words {
        let segments: Vec<&str> = word.split("::").collect();
        if segments.len() < 2 {
            continue;
        }
        let (mut base, rest): (Vec<String>, &[&str]) = match segments[0] {
            "crate" => (Vec::new(), &segments[1..]),
            "self" => (at.to_vec(), &segments[1..]),
            "super" => {
                let mut base = at.to_vec();
                let mut rest = &segments[..];
                while rest.first() == Some(&"super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (base, rest)
            }
            child if children.contains(child) => (at.to_vec(), &segments[..]),
            _ => continue,
        };
        if let Some(first) = rest.first().filter(|s| !s.is_empty()) {
            base.push(first.to_string());
            out.push(base);
        }
    }
    out
}

/// The cycles between sibling modules, each as the list of its modules.
fn cycles(root: &Path) -> Vec<String> {
    let files = modules(root);
    let all: BTreeSet<Vec<String>> = files.iter().map(|(_, m)| m.clone()).collect();
    // Edges between siblings, per parent: parent → (from → to).
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (path, module) in &files {
        let children: BTreeSet<String> = all
            .iter()
            .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
            .map(|m| m.last().unwrap().clone())
            .collect();
        let text = std::fs::read_to_string(path).unwrap();
        for target in references(&code(&text), module, &children) {
            // The deepest common parent: the two modules below it are siblings.
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common < module.len() && common < target.len() {
                let (from, to) = (module[common].clone(), target[common].clone());
                if all.iter().any(|m| m.starts_with(&target[..=common])) {
                    graphs.entry(module[..common].to_vec()).or_default().entry(from).or_default().insert(to);
                }
            }
        }
    }
    let mut found = Vec::new();
    for (parent, graph) in &graphs {
        // A module is in a cycle when it reaches itself.
        for start in graph.keys() {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
            while let Some((node, trail)) = stack.pop() {
                for next in graph.get(&node).into_iter().flatten() {
                    if next == start {
                        let mut cycle = trail.clone();
                        cycle.push(start.clone());
                        found.push(format!("{}: {}", parent.join("/"), cycle.join(" → ")));
                    } else if seen.insert(next.clone()) {
                        let mut trail = trail.clone();
                        trail.push(next.clone());
                        stack.push((next.clone(), trail));
                    }
                }
            }
        }
    }
    // One line per cycle, whichever of its modules it was found from.
    let mut seen = BTreeSet::new();
    found.sort();
    found.retain(|line| {
        let (parent, cycle) = line.split_once(": ").unwrap();
        let members: BTreeSet<String> = cycle.split(" → ").map(String::from).collect();
        seen.insert((parent.to_string(), members))
    });
    found
}

fn roots() -> [PathBuf; 2] {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    [here.join("src"), here.join("../runtime/src")]
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut long = Vec::new();
    for root in roots() {
        for (path, _) in modules(&root) {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            if lines > MAX_LINES {
                long.push(format!("{}: {lines} lines", path.display()));
            }
        }
    }
    assert!(long.is_empty(), "over {MAX_LINES} lines (split by concern):\n{}", long.join("\n"));
}

#[test]
fn no_import_cycle_between_modules() {
    for root in roots() {
        let found = cycles(&root);
        assert!(found.is_empty(), "import cycles in {}:\n{}", root.display(), found.join("\n"));
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let dir = std::env::temp_dir().join(format!("sdkgen-layout-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("stage")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\nmod stage;\n").unwrap();
    std::fs::write(dir.join("a.rs"), "use crate::b::Thing;\n// crate::stage is only a comment\n").unwrap();
    std::fs::write(dir.join("b.rs"), "pub fn f() { super::a::g(); }\nconst S: &str = \"crate::stage\";\n").unwrap();
    std::fs::write(dir.join("stage/mod.rs"), "mod one;\nmod two;\nuse one::X;\n").unwrap();
    std::fs::write(dir.join("stage/one.rs"), "use super::two::Y;\n").unwrap();
    std::fs::write(dir.join("stage/two.rs"), "use crate::a::Z;\n").unwrap();
    let found = cycles(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, [": a → b → a"], "stage/one → stage/two is no cycle; nor are comments and strings");
}
