//! Reading a spec: YAML or JSON text → a JSON tree (where `$ref`s are
//! checked and the version is validated) → typed `openapiv3::OpenAPI`, with
//! every failure located by JSON pointer.

use crate::error::{Error, ErrorKind, Result, Warning};
use crate::pointer::Relocations;
use openapiv3::OpenAPI;
use serde_json::Value;

mod checks;
mod lenient;
mod normalize;
mod openapi31;
mod swagger2;
pub(crate) mod tree;
mod yaml;

use checks::*;
pub(crate) use yaml::to_tree;

/// Parses spec text (JSON when it starts with `{`, else YAML), with warnings
/// for mistakes whose intent is clear and which are tolerated (a boolean
/// default written as a string, a lowercase `4xx`, a malformed media type),
/// and where the nodes that normalizing moved or copied are in the spec, to
/// translate later pointers with. `upgraded` gets the time the 3.1 or 2.0
/// rewrite took.
pub(crate) fn parse_located(
    text: &str,
    upgraded: &mut std::time::Duration,
) -> Result<(OpenAPI, Vec<Warning>, Relocations)> {
    let mut tree = to_tree(text)?;
    let mut warnings = Vec::new();
    // Reading 3.1 or 2.0 moves nodes to where 3.0 has them; normalizing
    // moves more. Pointers are translated back through both.
    let start = std::time::Instant::now();
    let upgrade_moves = upgrade(&mut tree, &mut warnings)?;
    *upgraded = start.elapsed();
    let upgraded = Relocations { moved: Vec::new(), upgraded: upgrade_moves };
    let mut moves = normalize::normalize(&mut tree, &mut warnings).map_err(|e| upgraded.locate(e))?;
    moves.upgraded = upgraded.upgraded;
    let schema_depth = check_tree(&tree, &mut warnings).map_err(|e| moves.locate(e))?;
    for w in &mut warnings {
        w.pointer = moves.spec_pointer(&w.pointer);
    }
    let parallel = text.len() > PARALLEL_FROM;
    // Shallow schemas are read whole first: even when one is invalid that
    // is quick. Deep ones are checked one node at a time first, because
    // `openapiv3` re-reads a failing schema at every level it is nested in.
    if schema_depth > SHALLOW_SCHEMAS {
        check_schemas(&tree, parallel).map_err(|e| moves.locate(e))?;
    }
    // The tree is consumed as it is read (its strings move into the typed
    // document): the two never take their full memory at once.
    match typed_owned(tree, parallel) {
        Some(spec) => Ok((spec, warnings, moves)),
        None => {
            // Read again, slowly, to say where it fails.
            let mut tree = to_tree(text)?;
            upgrade(&mut tree, &mut Vec::new())?;
            normalize::normalize(&mut tree, &mut Vec::new())?;
            check_schemas(&tree, parallel).map_err(|e| moves.locate(e))?;
            let err = match typed::<OpenAPI>(&tree, "") {
                Err(whole) => narrow(&tree).unwrap_or(whole),
                Ok(_) => Error::new(ErrorKind::Invalid, "", "the document could not be read"),
            };
            Err(moves.locate(err))
        }
    }
}

/// The typed document, read from the tree it consumes; paths and
/// components on threads of their own for a large document. `None` when
/// it does not read: the document is then read whole, slowly, to say where.
fn typed_owned(tree: Value, parallel: bool) -> Option<OpenAPI> {
    use serde::Deserialize;
    let Value::Object(mut map) = tree else { return None };
    let paths = map.remove("paths");
    let components = map.remove("components");
    map.insert("paths".to_string(), Value::Object(Default::default()));
    let (paths, (components, rest)) = join(
        parallel,
        move || paths.map(openapiv3::Paths::deserialize),
        move || {
            (components.map(Option::<openapiv3::Components>::deserialize), OpenAPI::deserialize(Value::Object(map)))
        },
    );
    let mut spec = rest.ok()?;
    if let Some(paths) = paths {
        spec.paths = paths.ok()?;
    }
    if let Some(components) = components {
        spec.components = components.ok()?;
    }
    Some(spec)
}

/// Schemas nested at most this deep are read whole before they are checked
/// one by one (Cloudflare's spec: 11; a failing schema 12 deep is read again
/// about 2.6¹² times less often than one 24 deep).
const SHALLOW_SCHEMAS: usize = 12;

/// Documents larger than this (in bytes of text) are checked and read on two
/// threads; smaller ones are done before a thread would have started.
pub(crate) const PARALLEL_FROM: usize = 256 * 1024;

/// Brings a 3.1 or Swagger 2.0 document into the 3.0 model (see
/// `crate::openapi31` and `crate::swagger2`); refuses other versions.
/// Returns where moved nodes came from.
fn upgrade(tree: &mut Value, warnings: &mut Vec<Warning>) -> Result<Vec<(String, String)>> {
    if let Some(version) = tree.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(swagger2::upgrade(tree, warnings)),
            _ => Err(Error::new(
                ErrorKind::Unsupported,
                "/swagger",
                format!("Swagger {version} is not supported: sdkgen reads 2.0"),
            )),
        };
    }
    match tree.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(Vec::new()),
        Some(v) if v.starts_with("3.1") => Ok(openapi31::upgrade(tree, warnings)),
        Some(v) => Err(Error::new(
            ErrorKind::Unsupported,
            "/openapi",
            format!("OpenAPI {v} is not supported: sdkgen reads 3.0, 3.1 and Swagger 2.0"),
        )),
        None if tree.is_object() => Err(Error::new(ErrorKind::Invalid, "", "missing `openapi` version field")),
        None => Err(Error::new(ErrorKind::Invalid, "", "the document is not a mapping")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with_warnings(text: &str) -> Result<(OpenAPI, Vec<Warning>)> {
        parse_located(text, &mut Default::default()).map(|(spec, warnings, _)| (spec, warnings))
    }

    fn parse(text: &str) -> Result<OpenAPI> {
        parse_with_warnings(text).map(|(spec, _)| spec)
    }
    use crate::error::WarningKind;

    const HEADER: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let spec = parse(&format!(
            "{HEADER}paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n"
        ))
        .unwrap();
        assert_eq!(spec.paths.paths.len(), 1);
    }

    #[test]
    fn dangling_ref_is_located() {
        let err = parse(&format!(
            "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {{$ref: '#/components/schemas/Nope'}}\n"
        ))
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::DanglingRef);
        assert_eq!(err.pointer, "/components/schemas/A/properties/b/$ref");
    }

    #[test]
    fn external_refs_and_versions_are_unsupported() {
        let err = parse(&format!("{HEADER}paths: {{}}\nx: {{$ref: 'other.yaml#/A'}}\n")).unwrap_err();
        assert_eq!((err.kind, err.pointer.as_str()), (ErrorKind::Unsupported, "/x/$ref"));
        let err = parse("openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!((err.kind, err.pointer.as_str()), (ErrorKind::Unsupported, "/openapi"));
        let err = parse("swagger: '1.2'\n").unwrap_err();
        assert_eq!((err.kind, err.pointer.as_str()), (ErrorKind::Unsupported, "/swagger"));
        // 3.1 and 2.0 are read (see `openapi31` and `swagger2`).
        assert!(parse("openapi: 3.1.0\ninfo: {title: T, version: '1'}\n").is_ok());
        assert!(parse("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n").is_ok());
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let err = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert!(err.location.is_some());
        let err = parse("{\"openapi\": }").unwrap_err();
        assert_eq!(err.location, Some((1, 13)));
    }

    #[test]
    fn tolerated_mistakes_are_warnings() {
        let (_, warnings) = parse_with_warnings(&format!(
            "{HEADER}paths:\n  /a:\n    get:\n      responses:\n        4xx:\n          description: no\n          content:\n            'application json': {{schema: {{type: boolean, default: 'true'}}}}\ncomponents:\n  schemas:\n    S: {{properties: {{content: {{properties: {{items: {{type: string}}}}}}}}}}\n"
        ))
        .unwrap();
        let kinds: Vec<_> = warnings.iter().map(|w| (w.kind, w.pointer.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (WarningKind::StatusRangeCase, "/paths/~1a/get/responses/4xx"),
                (WarningKind::MediaType, "/paths/~1a/get/responses/4xx/content/application json"),
                (WarningKind::DefaultType, "/paths/~1a/get/responses/4xx/content/application json/schema/default"),
            ]
        );
        assert!(valid_media_type("application/vnd.api+json; charset=utf-8") && !valid_media_type("json"));
    }

    #[test]
    fn shape_errors_carry_the_pointer() {
        let err = parse(&format!("{HEADER}paths:\n  /a:\n    get:\n      parameters: 7\n      responses: {{}}\n"))
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert_eq!(err.pointer, "/paths/~1a/get/parameters");
    }
}
