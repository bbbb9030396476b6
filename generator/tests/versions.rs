//! Swagger 2.0 and OpenAPI 3.1 read into the same model as 3.0: Slack's
//! Swagger 2.0 description of its Web API and the 3.0 conversion that
//! APIs-guru publishes of it lower to the same IR (`../shared/specs/corpus`).

use sdkgen::ir::Body;
use sdkgen::Config;
use std::path::Path;

fn lowered(file: &str) -> sdkgen::ir::Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/corpus").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Config::new().lower(file, &text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn slacks_swagger2_and_its_30_conversion_give_the_same_sdk() {
    let two = lowered("slack-web-swagger2.json");
    let three = lowered("slack-web.json");
    let mut differences = Vec::new();
    // Form fields are compared by name: the 3.0 conversion (swagger2openapi)
    // sorted them, sdkgen keeps the spec's parameter order.
    let ops = |api: &sdkgen::ir::Api| -> Vec<String> {
        api.operations
            .iter()
            .map(|op| {
                let mut body = op.body.clone();
                if let Some(Body::UrlEncoded { fields, styles }) = &mut body {
                    let mut both: Vec<_> = fields.drain(..).zip(styles.drain(..)).collect();
                    both.sort_by(|a, b| a.0.wire.cmp(&b.0.wire));
                    (*fields, *styles) = both.into_iter().unzip();
                }
                let what = (&op.resource, &op.method_name, &op.positional, &op.params, &body, &op.response, &op.errors);
                format!("{} {} {}: {what:?}", op.method, op.path, op.id)
            })
            .collect()
    };
    let (a, b) = (ops(&two), ops(&three));
    differences.extend(a.iter().filter(|x| !b.contains(x)).map(|x| format!("only in 2.0: {x}")));
    differences.extend(b.iter().filter(|x| !a.contains(x)).map(|x| format!("only in 3.0: {x}")));
    let types = |api: &sdkgen::ir::Api| -> Vec<String> {
        api.types.iter().map(|t| format!("{}: {:?}", t.name, t.body)).collect()
    };
    let (a, b) = (types(&two), types(&three));
    differences.extend(a.iter().filter(|x| !b.contains(x)).map(|x| format!("type only in 2.0: {x}")));
    differences.extend(b.iter().filter(|x| !a.contains(x)).map(|x| format!("type only in 3.0: {x}")));
    assert_eq!(two.operations.len(), 174);
    assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n"));
}
