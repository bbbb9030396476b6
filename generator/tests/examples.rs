//! The spec's examples as tests (`Config::example_tests`): which examples
//! are checked, which are the spec's errors (a warning naming the example's
//! pointer), and what the generated test file holds.

use sdkgen::{Config, WarningKind};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Examples, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: Things.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Thing'}
              examples:
                good:
                  value: [{id: 1, name: one, at: '2024-01-02T03:04:05Z'}]
                no-name:
                  value: [{id: 2}]
                bad-date:
                  value: [{id: 3, name: three, at: '2024-01-02'}]
                as-text:
                  value: '[{"id": 4, "name": "four"}]'
        default:
          description: An error.
          content:
            application/json:
              schema:
                properties:
                  message: {type: string}
                required: [message]
              example: {message: 5}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {type: array, items: {type: integer, format: int32}}
            example: [1, 2, null]
      responses:
        '201': {description: Created.}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        at: {type: string, format: date-time}
"##;

#[test]
fn examples_that_hold_to_their_schema_become_tests_and_the_rest_are_warnings() {
    let generated = Config::new().example_tests(true).generate("examples.yaml", SPEC).unwrap();
    let stats = generated.stats;
    assert_eq!((stats.examples, stats.example_spec_errors, stats.examples_untyped), (2, 4, 0));
    let invalid: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ExampleInvalid)
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    let at = "/paths/~1things/get/responses";
    let expected = [
        (format!("{at}/200/content/application~1json/examples/no-name/value"), "`/0`: required property `name`"),
        (format!("{at}/200/content/application~1json/examples/bad-date/value"), "`2024-01-02` is not an RFC 3339"),
        (format!("{at}/default/content/application~1json/example"), "`/message`: an integer where a string"),
        ("/paths/~1things/post/requestBody/content/application~1json/example".to_string(), "`/2`: null where"),
    ];
    for (pointer, says) in &expected {
        let found = invalid.iter().find(|(p, _)| p == pointer);
        assert!(found.is_some_and(|(_, m)| m.contains(says)), "{pointer} should say {says:?}: {invalid:#?}");
    }
    let tests = generated.files().remove(std::path::Path::new("tests/examples.rs")).expect("tests/examples.rs");
    assert!(tests.contains("fn examples_of_things()"), "{tests}");
    assert!(tests.contains("check::<Vec<Thing>>("), "{tests}");
    // The example given as JSON text is checked as the JSON it holds.
    assert!(tests.contains(r#"[{"id":4,"name":"four"}]"#), "{tests}");
    assert!(!tests.contains("bad-date") && !tests.contains("no-name"), "{tests}");
}

#[test]
fn without_the_option_there_is_no_test_file_and_no_example_warning() {
    let generated = Config::new().generate("examples.yaml", SPEC).unwrap();
    assert!(generated.example_tests.is_none());
    assert!(!generated.files().keys().any(|f| f.starts_with("tests")));
    assert!(generated.warnings.iter().all(|w| w.kind != WarningKind::ExampleInvalid));
}
