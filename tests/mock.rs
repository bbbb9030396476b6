//! Behaviour of the typed mock a generated SDK has with its `testing` feature
//! (`Mock`): rules per operation answer the calls of the SDK's real client,
//! without a network, through its retries, timeouts, pagination and decoding.

use futures_util::TryStreamExt as _;
use kitchen_sink::pets::{PetsEditParams, PetsListParams};
use kitchen_sink::types::{Pet, Problem};
use kitchen_sink::Error;
use serde_json::{json, Value};
use std::time::Duration;

fn image(id: &str) -> images::types::Image {
    let mut image = images::types::Image::default();
    image.id = Some(id.to_owned());
    image
}

#[tokio::test]
async fn a_rule_answers_the_calls_it_matches_with_a_typed_value_and_keeps_the_requests() {
    let mock = kitchen_sink::Mock::new();
    let rex = mock
        .pets()
        .edit()
        .matching(|req| req.path_param("pet_id") == Some("7") && req.json::<Value>().unwrap()["name"] == "Rex")
        .returns(Pet::new(7, "Rex"));
    let client = mock.client();

    let pet = client.pets().edit(7, PetsEditParams::new("shop 1").name("Rex")).await.unwrap();
    assert_eq!(pet, Pet::new(7, "Rex"));
    assert_eq!(rex.calls(), 1);
    let request = &rex.requests()[0];
    // As encoded for the wire, and decoded back.
    assert_eq!(request.path(), "/shops/shop%201/pets/7");
    assert_eq!(request.path_param("shop_id"), Some("shop 1"));
    assert_eq!(request.method().as_str(), "PATCH");
    assert_eq!(request.json::<Value>(), Some(json!({"name": "Rex"})));

    // Another pet is not this rule's: no other rule answers it.
    let error = client.pets().edit(8, PetsEditParams::new("shop 1").name("Rex")).await.unwrap_err();
    assert!(matches!(error, Error::Middleware(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "middleware error: no rule for `PATCH /shops/{shop_id}/pets/{pet_id}` (`pets().edit()`) matches PATCH \
         /shops/shop%201/pets/8 (1 rule(s) for it did not match); the mock has rules for: `PATCH \
         /shops/{shop_id}/pets/{pet_id}` (`pets().edit()`)"
    );
    assert_eq!(rex.calls(), 1);
}

#[tokio::test]
async fn a_typed_error_is_the_api_error_of_the_call() {
    let mock = kitchen_sink::Mock::new();
    let mut problem = Problem::default();
    (problem.title, problem.status) = ("taken".into(), 409);
    let rule = mock.pets().edit().fails(409, &problem);
    let error = mock.client().pets().edit(1, PetsEditParams::new("s")).await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.api().unwrap().json::<Problem>().unwrap(), problem);
    // A 409 is retried for a read or idempotent write; a PATCH is not repeated.
    assert_eq!(rule.calls(), 1);
}

#[tokio::test]
async fn a_sequence_of_answers_exercises_the_clients_retries() {
    let mock = kitchen_sink::Mock::new();
    let rule = mock.pets().list().fails(503, json!({"title": "busy"})).returns(vec![Pet::new(1, "Rex")]);
    let response = mock.client().pets().list(PetsListParams::new("s").limit(5)).with_response().await.unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.into_value(), vec![Pet::new(1, "Rex")]);
    assert_eq!(rule.calls(), 2);
    // The last answer repeats; each attempt's request is kept.
    assert_eq!(mock.client().pets().list(PetsListParams::new("s")).await.unwrap().len(), 1);
    let queries: Vec<Option<String>> = rule.requests().iter().map(|r| r.query("limit").map(str::to_owned)).collect();
    assert_eq!(queries, [Some("5".to_owned()), Some("5".to_owned()), None]);
}

#[tokio::test]
async fn a_delay_runs_into_the_clients_timeout() {
    let mock = kitchen_sink::Mock::new();
    let rule = mock.pets().list().delay(Duration::from_millis(300)).returns(vec![]);
    let client = mock.builder().timeout(Duration::from_millis(20)).max_retries(1).build().unwrap();
    let error = client.pets().list(PetsListParams::new("s")).await.unwrap_err();
    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert_eq!(rule.calls(), 2);
}

#[tokio::test]
async fn verification_names_the_rules_not_called_as_often_as_expected() {
    let mock = kitchen_sink::Mock::new();
    let _list = mock.pets().list().returns(vec![]).times(2);
    let _edit = mock.pets().edit().returns(Pet::new(1, "Rex")).times(1);
    mock.client().pets().list(PetsListParams::new("s")).await.unwrap();
    mock.client().pets().edit(1, PetsEditParams::new("s")).await.unwrap();
    let message = "1 mock rule(s) not met:\n`GET /shops/{shop_id}/pets` (`pets().list()`): expected 2 calls, got 1";
    assert_eq!(mock.try_verify(), Err(message.to_owned()));
    let panic = std::panic::catch_unwind(|| mock.verify()).unwrap_err();
    assert_eq!(panic.downcast_ref::<String>().map(String::as_str), Some(message));

    mock.client().pets().list(PetsListParams::new("s")).await.unwrap();
    assert_eq!(mock.try_verify(), Ok(()));
    mock.verify();
}

#[tokio::test]
async fn an_unanswered_call_names_its_operation_and_the_rules_there_are() {
    let mock = images::Mock::new();
    let client = mock.client();
    let params = images::images::V1EditParams::new("acc");
    let error = client.images().v1().edit("img", params.clone()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "middleware error: no rule for `PATCH /accounts/{account_id}/images/v1/{image_id}` \
         (`images().v1().edit()`); the mock has no rules"
    );
    let _list = mock.images().v1().list().returns(Default::default());
    let _stats = mock.images().v1().stats().get().returns(Default::default());
    let error = client.images().v1().edit("img", params).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "middleware error: no rule for `PATCH /accounts/{account_id}/images/v1/{image_id}` \
         (`images().v1().edit()`); the mock has rules for: `GET /accounts/{account_id}/images/v1` \
         (`images().v1().list()`), `GET /accounts/{account_id}/images/v1/stats` (`images().v1().stats().get()`)"
    );
}

#[tokio::test]
async fn a_literal_route_is_told_from_a_parameter_in_its_place() {
    let mock = images::Mock::new();
    let stats = mock.images().v1().stats().get().returns(Default::default());
    let get = mock.images().v1().get().returns(image("one"));
    let client = mock.client();
    client.images().v1().stats().get(images::images::V1StatsGetParams::new("acc")).await.unwrap();
    let got = client.images().v1().get("stats-not", images::images::V1GetParams::new("acc")).await.unwrap();
    assert_eq!(got.id.as_deref(), Some("one"));
    assert_eq!((stats.calls(), get.calls()), (1, 1));
    assert_eq!(get.requests()[0].path_param("image_id"), Some("stats-not"));
}

#[tokio::test]
async fn enveloped_answers_and_pages_walked_by_the_sdks_pagination() {
    let mock = images::Mock::new();
    let page = |ids: &[&str]| {
        let mut page = images::types::ImagesV1ListResult::default();
        page.images = Some(ids.iter().map(|id| image(id)).collect());
        page
    };
    // Numbered pages: the envelope's `result_info` says which is the last.
    let rule = mock.images().v1().list().pages(vec![page(&["a", "b"]), page(&["c", "d"]), page(&["e"])]);
    let client = mock.client();
    let all: Vec<images::types::Image> =
        client.images().v1().list_stream(images::images::V1ListParams::new("acc")).try_collect().await.unwrap();
    let ids: Vec<&str> = all.iter().filter_map(|i| i.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let numbers: Vec<String> = rule.requests().iter().map(|r| r.query("page").unwrap_or("-").to_owned()).collect();
    assert_eq!(numbers, ["-", "2", "3"]);

    // Cursor pages: the pages say what comes next.
    let cursor = |ids: &[&str], next: Option<&str>| {
        let mut page = images::types::ImagesV2ListResult::default();
        page.images = Some(ids.iter().map(|id| image(id)).collect());
        page.continuation_token = Some(next.map(str::to_owned));
        page
    };
    let v2 = mock.images().v2().list().pages(vec![cursor(&["x"], Some("t1")), cursor(&["y"], None)]);
    let all: Vec<images::types::Image> =
        client.images().v2().list_stream(images::images::V2ListParams::new("acc")).try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    let tokens: Vec<Option<String>> =
        v2.requests().iter().map(|r| r.query("continuation_token").map(str::to_owned)).collect();
    assert_eq!(tokens, [None, Some("t1".to_owned())]);
}

#[tokio::test]
async fn the_documented_examples_answer_when_no_rule_given_does() {
    let mock = kitchen_sink::Mock::from_examples();
    let client = mock.client();
    // `GET /shops/{shop_id}/pets` documents two examples: the first answers.
    let pets = client.pets().list(PetsListParams::new("s")).await.unwrap();
    let names: Vec<&str> = pets.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Rex", "Tom"]);
    assert!(pets[1].owner.is_some());
    // An operation without an example of its success has no answer.
    let error = client.pets().edit(1, PetsEditParams::new("s")).await.unwrap_err();
    assert!(
        error.to_string().contains("no rule for `PATCH /shops/{shop_id}/pets/{pet_id}` (`pets().edit()`)"),
        "{error}"
    );
    // A rule given answers before the example.
    let rule = mock.pets().list().returns(vec![Pet::new(9, "Nessie")]);
    let pets = client.pets().list(PetsListParams::new("s")).await.unwrap();
    assert_eq!(pets, [Pet::new(9, "Nessie")]);
    assert_eq!(rule.calls(), 1);
    // Without the examples, nothing answers.
    let error = kitchen_sink::Mock::new().client().pets().list(PetsListParams::new("s")).await.unwrap_err();
    assert!(error.to_string().contains("no rule for `GET /shops/{shop_id}/pets` (`pets().list()`)"), "{error}");
}

#[tokio::test]
async fn bytes_and_empty_successes_are_answered_in_their_form() {
    use kitchen_sink::pets::{PetsDeleteParams, PhotoGetParams};
    let mock = kitchen_sink::Mock::new();
    let _photo = mock.pets().photo().get().returns(b"\x89PNG".to_vec());
    let delete = mock.pets().delete().returns(()).times(1);
    let client = mock.client();
    assert_eq!(client.pets().photo().get(3, PhotoGetParams::new("s")).await.unwrap(), b"\x89PNG");
    client.pets().delete(3, PetsDeleteParams::new("s")).await.unwrap();
    assert_eq!(delete.requests()[0].header("accept"), Some("application/json"));
    mock.verify();
}

#[tokio::test]
async fn a_typed_rule_answers_only_the_calls_whose_arguments_it_accepts_and_keeps_them_typed() {
    let mock = kitchen_sink::Mock::new();
    // The input of `pets().edit()` is what the call is passed: `(pet_id, params)`.
    let rex = mock
        .pets()
        .edit()
        .when(|(pet_id, params)| *pet_id == 7 && params.name.as_deref() == Some("Rex"))
        .returns(Pet::new(7, "Rex"));
    let client = mock.client();

    let pet = client.pets().edit(7, PetsEditParams::new("shop 1").name("Rex")).await.unwrap();
    assert_eq!(pet, Pet::new(7, "Rex"));
    // The same pet under another name, and another pet: not this rule's.
    for (id, name) in [(7, "Tom"), (8, "Rex")] {
        let error = client.pets().edit(id, PetsEditParams::new("shop 1").name(name)).await.unwrap_err();
        assert!(
            error.to_string().starts_with(
                "middleware error: no rule for `PATCH /shops/{shop_id}/pets/{pet_id}` (`pets().edit()`) matches PATCH"
            ),
            "{error}"
        );
    }
    // The typed input of each call answered, as passed, and the request as it was encoded.
    assert_eq!(rex.inputs(), [(7, PetsEditParams::new("shop 1").name("Rex"))]);
    assert_eq!(rex.requests()[0].path(), "/shops/shop%201/pets/7");
    assert_eq!(rex.requests()[0].input::<(i64, PetsEditParams)>().map(|(id, _)| *id), Some(7));

    // A call the first rule does not take falls to the next one.
    let others = mock.pets().edit().returns(Pet::new(0, "any"));
    assert_eq!(client.pets().edit(8, PetsEditParams::new("s")).await.unwrap().name, "any");
    assert_eq!(client.pets().edit(7, PetsEditParams::new("s").name("Rex")).await.unwrap().name, "Rex");
    assert_eq!((rex.calls(), others.calls()), (2, 1));
    assert_eq!(others.inputs(), [(8, PetsEditParams::new("s"))]);
}

#[tokio::test]
async fn a_typed_matcher_and_a_request_matcher_must_both_hold() {
    let mock = images::Mock::new();
    let edit = mock
        .images()
        .v1()
        .edit()
        .when(|(image_id, params)| image_id == "img-1" && params.account_id == "acc")
        .matching(|request| request.json::<Value>() == Some(json!({"requireSignedURLs": true})))
        .returns(image("img-1"));
    let client = mock.client();
    let private = images::images::V1EditParams::new("acc").require_signed_urls(true);
    assert_eq!(client.images().v1().edit("img-1", private.clone()).await.unwrap().id.as_deref(), Some("img-1"));
    assert!(client.images().v1().edit("img-2", private.clone()).await.is_err());
    assert!(client.images().v1().edit("img-1", images::images::V1EditParams::new("acc")).await.is_err());
    assert_eq!(edit.inputs(), [("img-1".to_owned(), private)]);
    // An operation with params only: the input is the params.
    let list = mock.images().v1().list().when(|params| params.per_page == Some(5)).returns(Default::default());
    client.images().v1().list(images::images::V1ListParams::new("acc").per_page(5)).await.unwrap();
    assert!(client.images().v1().list(images::images::V1ListParams::new("acc")).await.is_err());
    assert_eq!(list.inputs().len(), 1);
}

#[tokio::test]
async fn a_documented_error_arrives_typed_at_the_caller() {
    use kitchen_sink::pets::PetsNewParams;
    use kitchen_sink::types::{PetKind, PetsNewError4xx};
    let mock = kitchen_sink::Mock::new();
    let mut taken = Problem::default();
    (taken.title, taken.status) = ("taken".into(), 409);
    let mut refused = PetsNewError4xx::default();
    (refused.error.r#type, refused.error.message) = ("invalid".into(), "no name".into());
    // `pets().new()` documents a `Problem` for 409, a `PetsNewError4xx` for 4XX, a `Problem` otherwise.
    let rule = mock
        .pets()
        .new()
        .fails_with(409, taken.clone())
        .fails_with(422, refused.clone())
        .fails_with(500, taken.clone());
    let client = mock.builder().max_retries(0).build().unwrap();
    let call = || client.pets().new(PetsNewParams::new("s", "Rex", PetKind::Dog));
    let error = call().await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.api().unwrap().json::<Problem>().unwrap(), taken);
    let error = call().await.unwrap_err();
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.api().unwrap().json::<PetsNewError4xx>().unwrap(), refused);
    assert_eq!(call().await.unwrap_err().api().unwrap().json::<Problem>().unwrap(), taken);
    assert_eq!(rule.calls(), 3);

    // Another type than the one documented for the status, and an operation that documents none.
    let panic = |f: Box<dyn FnOnce() + std::panic::UnwindSafe>| {
        let payload = std::panic::catch_unwind(f).unwrap_err();
        payload.downcast_ref::<String>().cloned().unwrap_or_default()
    };
    let wrong = refused.clone();
    let message = panic(Box::new(move || drop(kitchen_sink::Mock::new().pets().new().fails_with(409, wrong))));
    let name = std::any::type_name::<Problem>;
    assert_eq!(
        message,
        format!(
            "`POST /shops/{{shop_id}}/pets` (`pets().new()`) documents `{}` for status 409 (as `409`), not `{}`",
            name(),
            std::any::type_name::<PetsNewError4xx>()
        )
    );
    let message = panic(Box::new(move || drop(kitchen_sink::Mock::new().pets().edit().fails_with(404, taken))));
    assert_eq!(
        message,
        "`PATCH /shops/{shop_id}/pets/{pet_id}` (`pets().edit()`) documents no error response: `fails` answers \
         with any body"
    );
}

#[tokio::test]
async fn a_documented_error_in_an_envelope_fills_the_errors_of_the_api_error() {
    use images::types::{ApiResponseCommonFailure, ImagesV1ListError4xxErrorsItem};
    let mock = images::Mock::new();
    let mut item = ImagesV1ListError4xxErrorsItem::default();
    (item.code, item.message) = (5404, "Image not found".into());
    let mut failure = ApiResponseCommonFailure::default();
    failure.errors = vec![item];
    let _rule = mock.images().v1().get().fails_with(404, failure.clone());
    let error = mock.client().images().v1().get("img", images::images::V1GetParams::new("acc")).await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!((api.status, api.errors[0].code, api.errors[0].message.as_str()), (404, 5404, "Image not found"));
    assert_eq!(api.json::<ApiResponseCommonFailure>().unwrap(), failure);
    assert_eq!(error.to_string(), "HTTP 404 Not Found: [5404] Image not found");
    // The type is documented for 4XX only.
    let message = std::panic::catch_unwind(|| drop(mock.images().v1().get().fails_with(500, failure)))
        .unwrap_err()
        .downcast_ref::<String>()
        .cloned();
    let expected = format!(
        "`GET /accounts/{{account_id}}/images/v1/{{image_id}}` (`images().v1().get()`) documents no error for status \
         500 (it documents 4XX: `{}`): `fails` answers with any body",
        std::any::type_name::<ApiResponseCommonFailure>()
    );
    assert_eq!(message, Some(expected));
}
