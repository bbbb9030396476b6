//! Rust names for OpenAPI names: one place for casing, acronyms, keywords,
//! invalid identifiers and collisions.
//!
//! Words are split before casing so that acronyms survive: `requireSignedURLs`
//! is `require`, `signed`, `URLs`, hence `require_signed_urls` (plain `heck`
//! would say `require_signed_ur_ls`). Operators that distinguish names are
//! spelled out (`<=1y` → `lte_1y`, `>1y` → `gt_1y`) so they do not collide.

use heck::{ToPascalCase, ToSnakeCase};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Splits a name into words: at non-alphanumerics, at lower→upper changes, and
/// before the last capital of a capital run that starts a new word (`HTTPServer`
/// → `HTTP`, `Server`); a plural `s` stays with its acronym (`URLs`).
pub(crate) fn words(name: &str) -> Vec<String> {
    let spelled = spell_operators(name);
    let spelled = one_word_brands(&spelled);
    let mut words = Vec::new();
    for part in spelled.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (prev, cur) = (chars[i - 1], chars[i]);
            let next = chars.get(i + 1).copied();
            let lower_to_upper = (prev.is_lowercase() || prev.is_ascii_digit()) && cur.is_uppercase();
            // "HTTPServer": split before 'S' (upper followed by lower), but not
            // for an acronym's plural: "URLs" followed by end or a capital.
            // Nor before a version letter: "IPv4Address" is "IPv4", "Address".
            let version = next == Some('v') && chars.get(i + 2).is_some_and(|c| c.is_ascii_digit());
            let acronym_end = prev.is_uppercase()
                && cur.is_uppercase()
                && next.is_some_and(|n| n.is_lowercase())
                && !version
                && !(next == Some('s') && chars.get(i + 2).is_none_or(|c| !c.is_lowercase()));
            if lower_to_upper || acronym_end {
                words.push(chars[start..i].iter().collect::<String>());
                start = i;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect::<String>());
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

/// Words whose own capitals are not word breaks (`OAuth2Token` is `oauth2`,
/// `token`), spelled so that the splitting below keeps them whole.
fn one_word_brands(name: &str) -> std::borrow::Cow<'_, str> {
    const BRANDS: &[(&str, &str)] =
        &[("OAuth", "Oauth"), ("GraphQL", "Graphql"), ("iOS", "Ios"), ("macOS", "Macos"), ("WiFi", "Wifi")];
    if !BRANDS.iter().any(|(brand, _)| name.contains(brand)) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = name.to_string();
    for (brand, word) in BRANDS {
        out = out.replace(brand, word);
    }
    std::borrow::Cow::Owned(out)
}

/// Replaces operator characters that would otherwise vanish (and make
/// `<=1y` and `>1y` collide) with words.
fn spell_operators(name: &str) -> String {
    const OPS: &[(&str, &str)] = &[
        ("<=", " lte "),
        (">=", " gte "),
        ("!=", " ne "),
        ("<", " lt "),
        (">", " gt "),
        ("=", " eq "),
        ("+", " plus "),
    ];
    if !name.contains(['<', '>', '=', '+', '!']) {
        return name.to_string();
    }
    let mut out = name.to_string();
    for (op, word) in OPS {
        out = out.replace(op, word);
    }
    out
}

fn lower_words(name: &str) -> String {
    words(name).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join(" ")
}

/// Names repeat across a spec (`id`, `name`, `created_on`…): each conversion
/// is remembered per thread. The conversions are pure, so this changes nothing
/// but time.
fn memoised(
    cache: &'static std::thread::LocalKey<RefCell<HashMap<String, String>>>,
    name: &str,
    convert: fn(&str) -> String,
) -> String {
    cache.with(|cache| {
        if let Some(done) = cache.borrow().get(name) {
            return done.clone();
        }
        let converted = convert(name);
        let mut cache = cache.borrow_mut();
        if cache.len() >= 1 << 16 {
            cache.clear();
        }
        cache.insert(name.to_string(), converted.clone());
        converted
    })
}

thread_local! {
    static SNAKE: RefCell<HashMap<String, String>> = RefCell::default();
    static PASCAL: RefCell<HashMap<String, String>> = RefCell::default();
}

/// `snake_case` identifier for a field, parameter, method or module.
/// Keywords become raw identifiers (`r#type`) or get a trailing `_`.
pub(crate) fn snake(name: &str) -> String {
    memoised(&SNAKE, name, snake_uncached)
}

fn snake_uncached(name: &str) -> String {
    let mut s = lower_words(name).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    escape_keyword(s)
}

/// Names the generated code uses unqualified in the module of the API's
/// types: the prelude's types and traits, and serde's derives.
const TYPE_NAMES_IN_USE: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Extend",
    "Serialize",
    "Deserialize",
];

/// A type's name in the `types` module: [`pascal`], and `Type` added to
/// a name that would shadow one the generated code uses (`Option` →
/// `OptionType`).
pub(crate) fn type_name(name: &str) -> String {
    let name = pascal(name);
    if TYPE_NAMES_IN_USE.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// The cargo feature of a top-level resource module: its name, except
/// for the features every generated crate has (`default`, `full`, and the
/// runtime's `rustls`, `tracing`; `native-tls` is no module name).
pub(crate) fn feature_name(module: &str) -> String {
    match unraw(module) {
        name @ ("default" | "full" | "rustls" | "tracing") => format!("{name}_resource"),
        name => name.to_string(),
    }
}

/// `PascalCase` identifier for a type or enum variant.
pub(crate) fn pascal(name: &str) -> String {
    memoised(&PASCAL, name, pascal_uncached)
}

fn pascal_uncached(name: &str) -> String {
    let mut s = lower_words(name).to_pascal_case();
    if s.is_empty() {
        s = "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// The plural of a resource's path segment, for resource names: the last
/// word gets an `s` (`direct_upload` → `direct_uploads`, `policy` →
/// `policies`). Already-plural words, versions (`v1`) and segments ending in
/// a digit or in a non-letter stay as they are.
pub(crate) fn plural(segment: &str) -> String {
    let last = segment.chars().last();
    let is_version = segment.len() > 1
        && segment.starts_with(['v', 'V'])
        && segment[1..].chars().all(|c| c.is_ascii_digit() || c == '.');
    if is_version || !last.is_some_and(|c| c.is_ascii_alphabetic()) || segment.ends_with(['s', 'S']) {
        return segment.to_string();
    }
    let lower = segment.to_ascii_lowercase();
    if lower.ends_with('y') && !lower.ends_with("ay") && !lower.ends_with("ey") && !lower.ends_with("oy") {
        format!("{}ies", &segment[..segment.len() - 1])
    } else if lower.ends_with('x') || lower.ends_with("ch") || lower.ends_with("sh") {
        format!("{segment}es")
    } else {
        format!("{segment}s")
    }
}

/// `SCREAMING_SNAKE_CASE`, for environment variable names.
pub(crate) fn screaming(name: &str) -> String {
    lower_words(name).to_snake_case().to_uppercase()
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A plain (never raw) identifier for `name`, as a local variable that a
/// format string can name: `r#type` and `self` become `type_` and `self_`.
pub(crate) fn plain(name: &str) -> String {
    let base = unraw(name);
    if KEYWORDS.contains(&base) || NOT_RAW.contains(&base) {
        format!("{base}_")
    } else {
        base.to_string()
    }
}

/// The name without a raw-identifier prefix: what `r#type` is called on the wire.
pub(crate) fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Methods a setter must not be named: the constructor, and the methods of
/// std's traits (an inherent `clone` would hide `Clone::clone`; clippy asks
/// for the trait when a method is named `add` or `next`).
const NOT_SETTERS: &[&str] = &[
    "new",
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "hash",
    "fmt",
    "into",
    "from",
    "to_owned",
    "to_string",
    "type_id",
    "serialize",
    "deserialize",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "deref",
    "deref_mut",
    "drop",
    "index",
    "index_mut",
    "into_iter",
    "from_iter",
    "from_str",
    "next",
];

/// The chained setter of a field (`require_signed_urls(true)`): the field's
/// name, or `set_<name>` where that would be a method std gives the type.
pub(crate) fn setter(field: &str) -> String {
    let plain = unraw(field);
    if NOT_SETTERS.contains(&plain) {
        format!("set_{plain}")
    } else {
        field.to_string()
    }
}

/// Hands out names unique within one scope (a module, a struct's fields):
/// the first comer keeps its name, later ones get `_2`, `_3`, … (snake) or
/// `2`, `3`, … (Pascal). Callers visit in spec order, so the result is stable.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    taken: BTreeSet<String>,
    /// The next number to try for a base name, so that the thousandth
    /// `get` does not try `get_2` … `get_999` first.
    next: std::collections::HashMap<String, usize>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect(), next: Default::default() }
    }

    /// Claims `name`, or the first free numbered variant of it.
    pub(crate) fn claim(&mut self, name: String) -> String {
        if self.taken.insert(unraw(&name).to_string()) {
            return name;
        }
        let base = unraw(&name).trim_end_matches('_').to_string();
        let sep = if base.starts_with(|c: char| c.is_uppercase()) { "" } else { "_" };
        let next = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}{sep}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The longest `_`-terminated prefix that every name shares (`images_`),
/// so that `images_image` can be called `Image`. Empty when there is none,
/// or when stripping it would leave some name empty.
pub(crate) fn common_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut iter = names.into_iter();
    let Some(first) = iter.next() else { return String::new() };
    let mut prefix = first;
    let mut count = 1;
    for name in iter {
        count += 1;
        let common = prefix.bytes().zip(name.bytes()).take_while(|(a, b)| a == b).count();
        prefix = &prefix[..common];
    }
    if count < 2 {
        return String::new();
    }
    match prefix.rfind('_') {
        Some(end) => prefix[..=end].to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_features_never_take_a_feature_every_crate_has() {
        for taken in ["default", "full", "rustls", "tracing"] {
            assert_eq!(feature_name(taken), format!("{taken}_resource"));
        }
        assert_eq!(feature_name("r#type"), "type");
        assert_eq!(feature_name("images"), "images");
    }

    #[test]
    fn acronyms_stay_whole() {
        assert_eq!(snake("requireSignedURLs"), "require_signed_urls");
        assert_eq!(pascal("requireSignedURLs"), "RequireSignedUrls");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("userID"), "user_id");
        assert_eq!(snake("IDs"), "ids");
        assert_eq!(snake("URLsForAll"), "urls_for_all");
        assert_eq!(snake("httpProtocol"), "http_protocol");
        assert_eq!(snake("http_protocol"), "http_protocol");
        assert_eq!(pascal("images_image"), "ImagesImage");
        assert_eq!(pascal("v1"), "V1");
        assert_eq!(snake("ipv4"), "ipv4");
        // Acronyms in mixed case, and digits after them.
        assert_eq!(snake("IPv4Address"), "ipv4_address");
        assert_eq!(snake("ipv6Addresses"), "ipv6_addresses");
        assert_eq!(snake("OAuth2Token"), "oauth2_token");
        assert_eq!(snake("HTTP2Enabled"), "http2_enabled");
        assert_eq!(snake("S3Bucket"), "s3_bucket");
        assert_eq!(pascal("IPv4Address"), "Ipv4Address");
        assert_eq!(snake("GraphQLQuery"), "graphql_query");
        assert_eq!(snake("APIv2Key"), "apiv2_key");
    }

    #[test]
    fn keywords_and_invalid_identifiers() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("1"), "_1");
        assert_eq!(snake("<any part name>"), "lt_any_part_name_gt");
        assert_eq!(snake("workers/message"), "workers_message");
        assert_eq!(snake(""), "value");
        assert_eq!(pascal("1y"), "V1y");
        assert_eq!(pascal("Self"), "Self_");
        assert_ne!(pascal("<=1y"), pascal(">1y"));
    }

    #[test]
    fn scope_numbers_collisions_in_order() {
        let mut scope = Scope::with_reserved(&["extra"]);
        assert_eq!(scope.claim("extra".into()), "extra_2");
        assert_eq!(scope.claim("name".into()), "name");
        assert_eq!(scope.claim("name".into()), "name_2");
        assert_eq!(scope.claim("Image".into()), "Image");
        assert_eq!(scope.claim("Image".into()), "Image2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type_2");
    }

    #[test]
    fn common_prefix_is_word_bounded() {
        assert_eq!(common_prefix(["images_image", "images_messages"]), "images_");
        assert_eq!(common_prefix(["images_image", "imagesx_y"]), "");
        assert_eq!(common_prefix(["only_one"]), "");
        assert_eq!(screaming("api_token"), "API_TOKEN");
    }

    #[test]
    fn plurals_for_resource_names() {
        let cases = [
            ("direct_upload", "direct_uploads"),
            ("blob", "blobs"),
            ("images", "images"),
            ("v1", "v1"),
            ("policy", "policies"),
            ("gateway", "gateways"),
            ("inbox", "inboxes"),
            ("dns_records", "dns_records"),
            ("ipv4", "ipv4"),
        ];
        for (one, many) in cases {
            assert_eq!(plural(one), many);
        }
    }
}
