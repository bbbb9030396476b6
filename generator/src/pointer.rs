//! JSON pointers: building them, encoding and decoding their tokens, and the
//! relocations that translate a pointer into a rewritten tree back to the
//! spec as written.

use crate::error::Error;

/// Appends one escaped reference token to a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn push_pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    append_pointer(&mut out, token);
    out
}

/// Appends `/token` to a pointer in place, escaped as [`push_pointer`] does.
pub(crate) fn append_pointer(pointer: &mut String, token: &str) {
    pointer.push('/');
    if !token.contains(['~', '/']) {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// `$ref` fragments may be percent-encoded (`%7B` for `{`).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A pointer as a URI fragment: the characters a fragment cannot hold, percent-encoded.
pub(crate) fn encode_pointer(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for c in pointer.chars() {
        match c {
            '%' | ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '#' => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Where the nodes that normalizing moved or copied are in the spec: a
/// pointer into the normalized tree is translated back before a user sees it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Relocations {
    /// Nodes normalizing moved or copied: (pointer now, pointer before).
    pub(crate) moved: Vec<(String, String)>,
    /// Nodes that reading a 3.1 or 2.0 document put where 3.0 has them:
    /// (pointer in the 3.0 tree, pointer in the spec), applied once, last.
    pub(crate) upgraded: Vec<(String, String)>,
}

impl Relocations {
    /// The spec's own pointer for `pointer` (a pointer into the normalized tree).
    pub(crate) fn spec_pointer(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_string();
        // Moved nodes may sit inside copied ones: translate until none applies.
        for _ in 0..=self.moved.len() {
            match translate(&self.moved, &pointer) {
                Some(before) => pointer = before,
                None => break,
            }
        }
        // The upgrade's pointers are the spec's: one step, or a node put where
        // another came from would be translated twice.
        translate(&self.upgraded, &pointer).unwrap_or(pointer)
    }

    /// An error with its pointer translated.
    pub(crate) fn locate(&self, mut error: Error) -> Error {
        error.pointer = self.spec_pointer(&error.pointer);
        error
    }
}

/// `pointer` through the move with the longest `now` prefix, if one applies.
fn translate(moves: &[(String, String)], pointer: &str) -> Option<String> {
    let inside = |now: &str| pointer.strip_prefix(now).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    let (now, before) = moves.iter().filter(|(now, _)| inside(now)).max_by_key(|(now, _)| now.len())?;
    Some(format!("{before}{}", &pointer[now.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_encoded_and_references_decoded() {
        assert_eq!(push_pointer("/paths", "/a~b"), "/paths/~1a~0b");
        assert_eq!(percent_decode("/a%7Bb%7D"), "/a{b}");
    }
}
