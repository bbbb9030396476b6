//! Lowering specs to the IR: each construct the generator must handle,
//! checked on the typed IR rather than on generated text.

use sdkgen::ir::{Api, Body, Field, Presence, Response, TypeBody, TypeDef, TypeRef};
use sdkgen::{load, lower, Overrides};

fn lower_spec(yaml: &str) -> Api {
    lower_with(yaml, &Overrides::default())
}

fn lower_with(yaml: &str, overrides: &Overrides) -> Api {
    let spec = load::parse(yaml).unwrap_or_else(|e| panic!("{e}"));
    lower::lower(&spec, overrides).unwrap_or_else(|e| panic!("{e}")).0
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}; have {:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>()))
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &def(api, name).body {
        TypeBody::Struct { fields, .. } => fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, ty: &str, wire: &str) -> &'a Field {
    fields(api, ty).iter().find(|f| f.wire == wire).unwrap_or_else(|| panic!("{ty} has no field {wire}"))
}

/// One GET operation at `/things` returning `schema`, plus `components`.
fn returning(schema: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: list-things\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\ncomponents:\n  schemas:\n{components}"
    )
}

#[test]
fn ref_chains_resolve_to_the_named_struct() {
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/a'}",
        "    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/thing'}\n    thing: {type: object, properties: {id: {$ref: '#/components/schemas/id'}}}\n    id: {type: string, description: The id.}\n",
    ));
    assert!(
        matches!(&api.operations[0].response, Response::Json { ty: TypeRef::Named(n), enveloped: false, .. } if n == "Thing")
    );
    let id = field(&api, "Thing", "id");
    assert_eq!(id.ty, TypeRef::String, "a ref to a string is a String, not an alias");
    assert_eq!(id.doc.as_deref(), Some("The id."), "docs follow the ref");
}

#[test]
fn envelope_result_is_unwrapped_and_later_result_overrides() {
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/single'}",
        "    common:\n      type: object\n      required: [success, errors, messages, result]\n      properties:\n        success: {type: boolean, enum: [true]}\n        errors: {type: array, items: {}}\n        messages: {type: array, items: {}}\n        result: {anyOf: [{type: object}, {type: string}]}\n    single:\n      allOf:\n        - $ref: '#/components/schemas/common'\n        - properties: {result: {$ref: '#/components/schemas/thing'}}\n    thing: {type: object, properties: {name: {type: string}}}\n",
    ));
    match &api.operations[0].response {
        Response::Json { ty, enveloped, optional } => {
            assert_eq!(ty, &TypeRef::Named("Thing".into()));
            assert!(*enveloped && !*optional);
        }
        other => panic!("{other:?}"),
    }
    assert!(api.types.iter().all(|t| t.name != "Single" && t.name != "Common"), "envelopes are not emitted");
}

#[test]
fn allof_merges_objects_property_by_property_deeply() {
    // Like Cloudflare's v2 list: `result.images` and `result.continuation_token`
    // come from two branches and must both survive.
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/list'}",
        "    list:\n      allOf:\n        - type: object\n          required: [a]\n          properties:\n            a: {type: integer}\n            result: {type: object, properties: {images: {type: array, items: {type: string}}}}\n        - properties:\n            result: {type: object, properties: {continuation_token: {type: string, nullable: true}}}\n            b: {type: number}\n",
    ));
    let list = fields(&api, "List");
    assert_eq!(list.iter().map(|f| f.wire.as_str()).collect::<Vec<_>>(), ["a", "result", "b"], "spec order kept");
    assert_eq!(list[0].presence, Presence::Required);
    let TypeRef::Named(result) = &list[1].ty else { panic!("{:?}", list[1].ty) };
    let result = fields(&api, result);
    assert_eq!(result.iter().map(|f| f.wire.as_str()).collect::<Vec<_>>(), ["images", "continuation_token"]);
    assert_eq!(result[0].ty, TypeRef::Vec(Box::new(TypeRef::String)));
    assert_eq!(result[1].presence, Presence::OptionalNullable);
}

#[test]
fn scalars_unions_and_free_form_values() {
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/thing'}",
        "    url: {type: string, format: uri}\n    thing:\n      type: object\n      required: [success, when, maybe]\n      properties:\n        success: {type: boolean, enum: [true]}\n        when: {type: string, format: date-time}\n        maybe: {type: string, nullable: true}\n        variants: {type: array, items: {anyOf: [{$ref: '#/components/schemas/url'}, {type: string}]}}\n        meta: {type: object}\n        anything: {}\n        counts: {type: object, additionalProperties: {type: integer, format: int32}}\n        mixed: {oneOf: [{type: string}, {type: object, properties: {x: {type: string}}}]}\n        kind: {type: string, enum: [a-b, c_d, type]}\n        type: {type: string}\n",
    ));
    let f = |w| field(&api, "Thing", w);
    assert_eq!((f("success").ty.clone(), f("success").presence), (TypeRef::Bool, Presence::Required));
    assert_eq!(f("when").ty, TypeRef::DateTime);
    assert_eq!(f("maybe").presence, Presence::RequiredNullable);
    assert_eq!(f("variants").ty, TypeRef::Vec(Box::new(TypeRef::String)), "anyOf of strings is a String");
    assert_eq!(f("meta").ty, TypeRef::Value, "free-form object");
    assert_eq!(f("anything").ty, TypeRef::Value);
    assert_eq!(f("counts").ty, TypeRef::Map(Box::new(TypeRef::I32)));
    let TypeRef::Named(mixed) = &f("mixed").ty else { panic!("{:?}", f("mixed").ty) };
    let TypeBody::Union { variants } = &def(&api, mixed).body else { panic!() };
    let order: Vec<&str> = variants.iter().map(|(name, _)| name.as_str()).collect();
    // The object with no required field would match any object: strings are tried first.
    assert_eq!(order, ["String", "ThingMixed2"]);
    assert_eq!(f("type").rust, "r#type");
    let TypeRef::Named(kind) = &f("kind").ty else { panic!() };
    let TypeBody::Enum { variants } = &def(&api, kind).body else { panic!() };
    let names: Vec<_> = variants.iter().map(|v| (v.rust.as_str(), v.wire.as_str())).collect();
    assert_eq!(names, [("AB", "a-b"), ("CD", "c_d"), ("Type", "type")]);
}

#[test]
fn recursive_schemas_are_boxed() {
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/node'}",
        "    node:\n      type: object\n      properties:\n        child: {$ref: '#/components/schemas/node'}\n        children: {type: array, items: {$ref: '#/components/schemas/node'}}\n",
    ));
    assert_eq!(field(&api, "Node", "child").ty, TypeRef::Boxed(Box::new(TypeRef::Named("Node".into()))));
    assert_eq!(field(&api, "Node", "children").ty, TypeRef::Vec(Box::new(TypeRef::Named("Node".into()))));
}

const OPS: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /zones/{zone_id}/records/{record_id}:\n    parameters:\n      - {name: zone_id, in: path, required: true, schema: {type: string}}\n      - {name: record_id, in: path, required: true, schema: {type: string}}\n    get:\n      operationId: records-get\n      parameters:\n        - {name: zone_id, in: query, schema: {type: string}}\n        - {name: fields, in: query, schema: {type: array, items: {type: string}}}\n      responses: {'200': {description: ok}}\n    put:\n      operationId: records-put\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {type: object, required: [name], properties: {name: {type: string}, ttl: {type: integer, nullable: true}}}\n      responses: {'204': {description: ok}}\n  /zones/{zone_id}/records:\n    get:\n      operationId: records-list-a\n      responses: {'200': {description: ok}}\n  /zones/{zone_id}/records/:\n    get:\n      operationId: records-list-b\n      responses: {'200': {description: ok}}\n    post:\n      operationId: records-create\n      responses: {'200': {description: ok}}\n  /zones/{zone_id}/records/new:\n    post:\n      operationId: records-new-new\n      responses: {'200': {description: ok}}\n  /zones/{zone_id}/records/{record_id}/x:\n    post:\n      operationId: records-x\n      responses: {'200': {description: ok}}\n";

#[test]
fn operations_get_resources_verbs_and_params() {
    let api = lower_spec(OPS);
    let names: Vec<String> =
        api.operations.iter().map(|o| format!("{}.{}", o.resource.join("."), o.method_name)).collect();
    // Two operations would be records.list: both fall back to their operationIds.
    // `records.new` would be both a method and the child resource `records.new()`.
    assert_eq!(
        names,
        [
            "records.get",
            "records.update",
            "records.records_list_a",
            "records.records_list_b",
            "records.records_create",
            "records.new.new",
            "records.xes.new"
        ]
    );
    let get = &api.operations[0];
    assert_eq!(get.positional.as_ref().map(|p| p.rust.as_str()), Some("record_id"));
    let params: Vec<_> = get.params.iter().map(|p| (p.wire.as_str(), p.rust.as_str())).collect();
    // A path and a query parameter with the same name both survive.
    assert_eq!(params, [("zone_id", "zone_id"), ("zone_id", "zone_id_2"), ("fields", "fields")]);
    assert_eq!(get.params_type.as_deref(), Some("RecordsGetParams"));
    let put = &api.operations[1];
    let Some(Body::Fields { fields, extra }) = &put.body else { panic!("{:?}", put.body) };
    assert_eq!(fields[0].presence, Presence::Required);
    assert_eq!(fields[1].presence, Presence::OptionalNullable, "nullable fields can be sent as null");
    assert_eq!(extra, "extra");
    assert_eq!(put.response, Response::Empty);
}

#[test]
fn overrides_place_operations_and_name_types() {
    let overrides = Overrides::parse(
        "[operations.records-list-a]\nresource = \"dns.records\"\nmethod = \"list\"\n[types]\nthing = \"Widget\"\n",
    )
    .unwrap();
    let api = lower_with(OPS, &overrides);
    let a = api.operations.iter().find(|o| o.id == "records-list-a").unwrap();
    assert_eq!((a.resource.join("."), a.method_name.as_str()), ("dns.records".to_string(), "list"));
    let b = api.operations.iter().find(|o| o.id == "records-list-b").unwrap();
    assert_eq!(b.method_name, "list", "no longer collides once a moved");
    let api = lower_with(
        &returning(
            "{$ref: '#/components/schemas/thing'}",
            "    thing: {type: object, properties: {x: {type: string}}}\n",
        ),
        &overrides,
    );
    assert_eq!(api.types[0].name, "Widget");
}

#[test]
fn schema_prefix_shared_by_all_components_is_dropped() {
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/images_image'}",
        "    images_image: {type: object, properties: {x: {type: string}}}\n    images_other: {type: string}\n",
    ));
    assert_eq!(api.types[0].name, "Image");
}

#[test]
fn ref_and_allof_cycles_are_errors_not_overflows() {
    for components in [
        "    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}\n",
        "    a: {allOf: [{$ref: '#/components/schemas/a'}]}\n",
    ] {
        let spec = load::parse(&returning("{$ref: '#/components/schemas/a'}", components)).unwrap();
        let err = lower::lower(&spec, &Overrides::default()).unwrap_err();
        assert!(
            err.pointer.starts_with("/components/schemas/a") || err.pointer.starts_with("/components/schemas/b"),
            "{err}"
        );
    }
    // An array of itself has no Rust spelling without a wrapper: a JSON value, with a warning.
    let spec = load::parse(&returning(
        "{$ref: '#/components/schemas/a'}",
        "    a: {type: array, items: {$ref: '#/components/schemas/a'}}\n",
    ))
    .unwrap();
    let (api, warnings) = lower::lower(&spec, &Overrides::default()).unwrap();
    assert!(
        matches!(&api.operations[0].response, Response::Json { ty: TypeRef::Vec(inner), .. } if **inner == TypeRef::Value)
    );
    assert_eq!(warnings.iter().map(|w| w.kind).collect::<Vec<_>>(), ["recursive-alias"]);
}

/// Regression cases found by the mutation test (tests/mutations.rs).
mod found_by_mutation {
    use super::*;

    #[test]
    fn a_deep_invalid_schema_fails_fast_at_its_own_pointer() {
        // openapiv3 re-reads a failing schema at each level it is nested in:
        // 18 levels took 25 s before schemas were checked one at a time.
        let mut deep = r#"{"type": "string", "nullable": "notabool"}"#.to_string();
        for i in 0..30 {
            deep = if i % 2 == 0 {
                format!(r#"{{"type": "array", "items": {deep}}}"#)
            } else {
                format!(r#"{{"allOf": [{deep}]}}"#)
            };
        }
        let spec = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "T", "version": "1"}}, "paths": {{"/a": {{"get": {{"responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {deep}}}}}}}}}}}}}}}}}"#
        );
        let start = std::time::Instant::now();
        let err = load::parse(&spec).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "took {:?}", start.elapsed());
        assert!(err.pointer.ends_with("/allOf/0/items") && err.pointer.matches("/items").count() == 15, "{err}");
    }

    #[test]
    fn a_schema_containing_itself_through_allof_is_one_recursive_type() {
        // person.email = allOf [person, {x}]: merged, its own `email` is the
        // same node again, so the inline type refers to itself (boxed)
        // instead of expanding a new copy per level.
        let api = lower_spec(&returning(
            "{$ref: '#/components/schemas/person'}",
            "    person:\n      type: object\n      properties:\n        email:\n          allOf:\n            - $ref: '#/components/schemas/person'\n            - properties: {x: {type: string}}\n",
        ));
        let email = fields(&api, "PersonEmail");
        let inner = email.iter().find(|f| f.wire == "email").expect("merged email field");
        assert_eq!(inner.ty, TypeRef::Boxed(Box::new(TypeRef::Named("PersonEmail".into()))));
        assert_eq!(api.types.len(), 2, "{:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>());
    }

    #[test]
    fn a_tower_of_all_ofs_is_merged_once_per_component() {
        // S_i = allOf [S_{i-1}, S_{i-1}, {a_i}]: 3^24 merges unless each
        // component is flattened once (this hung before memoisation).
        let mut components = String::from("    S0: {type: object, properties: {a0: {type: string}}}\n");
        for i in 1..=24 {
            let below = format!("{{$ref: '#/components/schemas/S{}'}}", i - 1);
            components +=
                &format!("    S{i}:\n      allOf: [{below}, {below}, {{properties: {{a{i}: {{type: string}}}}}}]\n");
        }
        let api = lower_spec(&returning("{$ref: '#/components/schemas/S24'}", &components));
        let names: Vec<&str> = fields(&api, "S24").iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(names, (0..=24).map(|i| format!("a{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn a_long_chain_of_named_types_is_not_cut_short() {
        // Only inline nesting is limited to a few dozen levels; named types
        // may nest as deep as the spec goes (here 300, closed into a cycle).
        let components: String = (0..300)
            .map(|i| {
                format!(
                    "    T{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/T{}'}}\n",
                    (i + 1) % 300
                )
            })
            .collect();
        let spec = load::parse(&returning("{$ref: '#/components/schemas/T0'}", &components)).unwrap();
        let (api, warnings) = lower::lower(&spec, &Overrides::default()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(api.types.len(), 300);
        assert_eq!(field(&api, "T1", "next").ty, TypeRef::Named("T2".into()));
        assert_eq!(field(&api, "T299", "next").ty, TypeRef::Boxed(Box::new(TypeRef::Named("T0".into()))));
    }

    #[test]
    fn an_unknown_scheme_in_global_security_points_at_global_security() {
        let spec = load::parse(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nsecurity: [{nope: []}]\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n",
        )
        .unwrap();
        let err = lower::lower(&spec, &Overrides::default()).unwrap_err();
        assert_eq!(err.pointer, "/security/0");
    }
}

/// Regression cases found by the corpus runner (`sdkgen-corpus`) on real specs.
mod found_by_corpus {
    use super::*;

    #[test]
    fn an_all_of_wrapping_one_ref_is_the_named_type() {
        // The common way to document a use of a schema (AWS, Spotify, Jira):
        // the annotations go to the field, the type stays the component's.
        let api = lower_spec(&returning(
            "{$ref: '#/components/schemas/artist'}",
            r#"
    urls: {type: object, properties: {spotify: {type: string}}}
    artist:
      type: object
      properties:
        external_urls:
          allOf: [{$ref: '#/components/schemas/urls'}, {description: Known URLs., nullable: true}]
        other_urls:
          type: object
          allOf: [{$ref: '#/components/schemas/urls'}]
        one_of_one:
          oneOf: [{$ref: '#/components/schemas/urls'}]
"#,
        ));
        for wire in ["external_urls", "other_urls", "one_of_one"] {
            assert_eq!(field(&api, "Artist", wire).ty, TypeRef::Named("Urls".into()), "{wire}");
        }
        let urls = field(&api, "Artist", "external_urls");
        assert_eq!((urls.doc.as_deref(), urls.presence), (Some("Known URLs."), Presence::OptionalNullable));
        assert_eq!(api.types.len(), 2, "{:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>());
    }

    #[test]
    fn mutually_recursive_wrapped_refs_are_one_type_each() {
        // amazonaws.com/timestream-query.json: every property is an allOf
        // wrapper of a component, and the components refer to each other.
        // Each wrapper used to be a new inline copy, 2^depth of them: the
        // spec ran out of memory.
        let mut components = String::new();
        for i in 0..30 {
            let (a, b) = ((i + 1) % 30, (i + 7) % 30);
            components += &format!(
                "    T{i}:\n      type: object\n      properties:\n        left: {{allOf: [{{$ref: '#/components/schemas/T{a}'}}, {{description: left}}]}}\n        right: {{allOf: [{{$ref: '#/components/schemas/T{b}'}}, {{description: right}}]}}\n        list: {{type: array, items: {{allOf: [{{$ref: '#/components/schemas/T{b}'}}, {{description: item}}]}}}}\n"
            );
        }
        let api = lower_spec(&returning("{$ref: '#/components/schemas/T0'}", &components));
        assert_eq!(api.types.len(), 30);
        assert_eq!(field(&api, "T0", "left").ty, TypeRef::Named("T1".into()));
        // The cycle is cut with a box where it closes.
        assert_eq!(field(&api, "T29", "left").ty, TypeRef::Boxed(Box::new(TypeRef::Named("T0".into()))));
    }

    #[test]
    fn an_inline_schema_reached_twice_is_one_type() {
        // A component's inline enum, reached through two allOf merges, and a
        // shared parameter's inline enum, used by two operations.
        let api = lower_spec(
            r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/order'}]
      responses: {'200': {description: ok, content: {application/json: {schema: {allOf: [{$ref: '#/components/schemas/base'}, {properties: {a: {type: string}}}]}}}}}
  /b:
    get:
      parameters: [{$ref: '#/components/parameters/order'}]
      responses: {'200': {description: ok, content: {application/json: {schema: {allOf: [{$ref: '#/components/schemas/base'}, {properties: {b: {type: string}}}]}}}}}
components:
  parameters:
    order: {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
  schemas:
    base: {properties: {state: {type: string, enum: [on, off]}}}
"#,
        );
        let enums: Vec<&str> =
            api.types.iter().filter(|t| matches!(t.body, TypeBody::Enum { .. })).map(|t| t.name.as_str()).collect();
        assert_eq!(enums.len(), 2, "{enums:?}");
        let a = &api.operations[0];
        let b = &api.operations[1];
        assert_eq!(a.params[0].ty, b.params[0].ty);
    }
}
