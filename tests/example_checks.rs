//! The checks that generated example tests make (`generator/runtime/examples_support.rs`,
//! appended to every `tests/examples.rs`): what holds and what is reported, on the
//! kitchen-sink SDK's types.

include!("../generator/runtime/examples_support.rs");

use kitchen_sink::types::{Pet, Problem};

const AT: &str = "/components/examples/x/value";

#[test]
fn an_example_holds_up_to_key_order_number_and_date_spelling_and_nulls() {
    let pet = r#"{"name": "Rex", "id": 1, "born": "2020-05-01T12:00:00.000+02:00", "nickname": null, "chip": "x"}"#;
    assert_eq!(check::<Pet>(AT, false, pet), None);
    // The `result` of an envelope.
    let envelope = r#"{"success": true, "errors": [], "messages": [], "result": {"id": 1, "name": "Rex"}}"#;
    assert_eq!(check::<Pet>(AT, true, envelope), None);
}

#[test]
fn what_does_not_decode_or_comes_back_different_is_reported_with_its_pointer() {
    let missing = check::<Problem>(AT, false, r#"{"title": "t"}"#).expect("a required field is missing");
    assert!(missing.starts_with(AT) && missing.contains("does not decode") && missing.contains("status"), "{missing}");
    let wrong = check::<Pet>(AT, false, r#"{"id": "one", "name": "Rex"}"#).expect("a string is no id");
    assert!(wrong.contains("does not decode"), "{wrong}");
    assert_eq!(difference(&serde_json::json!({"x": 1.0}), &serde_json::json!({"x": 1}), ""), None);
    assert_eq!(difference(&serde_json::json!({"n": 1}), &serde_json::json!({"n": 2}), ""), Some("/n".to_string()));
    assert_eq!(
        difference(&serde_json::json!({"a": [1, 2]}), &serde_json::json!({"a": [1]}), ""),
        Some("/a".to_string())
    );
    assert_eq!(
        difference(&serde_json::json!({"a": {"b": 1}}), &serde_json::json!({"a": {}}), ""),
        Some("/a/b (left out)".to_string())
    );
    assert_eq!(
        difference(&serde_json::json!({}), &serde_json::json!({"added": 0}), ""),
        Some("/added (added)".to_string())
    );
    assert_eq!(difference(&serde_json::json!({}), &serde_json::json!({"added": null}), ""), None);
    assert!(!same_instant("2020-05-01T12:00:00Z", "2020-05-01T12:00:01Z"));
}
