//! Lowering specs to the IR: each construct the generator must handle,
//! checked on the typed IR rather than on generated text.

use sdkgen::ir::{Api, Body, Field, PageKind, Presence, Response, TypeBody, TypeDef, TypeRef};
use sdkgen::{Config, Overrides, Warning};

/// Reads and lowers `yaml` as `sdkgen diff` and the generator do.
fn read_lower(yaml: &str, overrides: &Overrides) -> sdkgen::Result<(Api, Vec<Warning>)> {
    Config::new().overrides(overrides.clone()).lower_with_warnings("t.yaml", yaml)
}

fn lower_spec(yaml: &str) -> Api {
    lower_with(yaml, &Overrides::default())
}

fn lower_with(yaml: &str, overrides: &Overrides) -> Api {
    read_lower(yaml, overrides).unwrap_or_else(|e| panic!("{e}")).0
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}; have {:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>()))
}

/// The fields of the struct `name` stands for (an alias is its target's).
fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    def(api, name);
    match &sdkgen::ir::resolve(&api.types, name).expect("resolves").body {
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
    // Two operations would be records.list: each is told apart by the fewest
    // words of its operationId. `POST …/records/new` is no child resource
    // `records.new()` but the method `new` itself, its operationId's own word,
    // so the POST to the collection beside it is told apart (`create`).
    // A POST to a word after an item is an action (`x`).
    assert_eq!(
        names,
        [
            "records.get",
            "records.update",
            "records.list_a",
            "records.list_b",
            "records.create",
            "records.new",
            "records.x"
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
        let err =
            read_lower(&returning("{$ref: '#/components/schemas/a'}", components), &Overrides::default()).unwrap_err();
        assert!(
            err.pointer.starts_with("/components/schemas/a") || err.pointer.starts_with("/components/schemas/b"),
            "{err}"
        );
    }
    // An array of itself has no Rust spelling without a wrapper: a JSON value, with a warning.
    let (api, warnings) = read_lower(
        &returning(
            "{$ref: '#/components/schemas/a'}",
            "    a: {type: array, items: {$ref: '#/components/schemas/a'}}\n",
        ),
        &Overrides::default(),
    )
    .unwrap();
    assert!(
        matches!(&api.operations[0].response, Response::Json { ty: TypeRef::Vec(inner), .. } if **inner == TypeRef::Value)
    );
    assert_eq!(warnings.iter().map(|w| w.kind).collect::<Vec<_>>(), [sdkgen::WarningKind::RecursiveAlias]);
}

/// Regression cases found by the mutation test (tests/mutations.rs).
mod found_by_mutation {
    use super::*;

    #[test]
    fn a_deep_invalid_schema_fails_fast_at_its_own_pointer() {
        // openapiv3 re-reads a failing schema at each level it is nested in:
        // 18 levels took 25 s before schemas were checked one at a time.
        let mut deep = r#"{"type": "string", "enum": "notalist"}"#.to_string();
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
        // Exponential re-reading would not finish; linear checking fails at once.
        let err = read_lower(&spec, &Overrides::default()).unwrap_err();
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
        let (api, warnings) =
            read_lower(&returning("{$ref: '#/components/schemas/T0'}", &components), &Overrides::default()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(api.types.len(), 300);
        assert_eq!(field(&api, "T1", "next").ty, TypeRef::Named("T2".into()));
        assert_eq!(field(&api, "T299", "next").ty, TypeRef::Boxed(Box::new(TypeRef::Named("T0".into()))));
    }

    #[test]
    fn an_unknown_scheme_in_global_security_points_at_global_security() {
        // Not an error since: a warning at the global requirement, not the operation.
        let (_, warnings) = read_lower(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nsecurity: [{nope: []}]\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n",
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(warnings.iter().map(|w| w.pointer.as_str()).collect::<Vec<_>>(), ["/security/0/nope"]);
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

/// `$ref`s anywhere in the document, and data that only looks like one.
mod refs_anywhere {
    use super::*;
    use sdkgen::WarningKind;

    fn lower_warn(yaml: &str) -> (Api, Vec<sdkgen::Warning>) {
        read_lower(yaml, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn schema_refs_to_any_location_are_one_named_type() {
        // digitalocean.com, conjur.local, azure.com: refs into a parameter's
        // schema, a response's schema and a component's property.
        let api = lower_spec(
            r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /keys:
    get:
      parameters:
        - {name: kind, in: query, schema: {$ref: '#/components/parameters/kind/schema'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  key: {type: object, properties: {id: {type: string}}}
                  also: {$ref: '#/paths/~1keys/get/responses/200/content/application~1json/schema/properties/key'}
                  owner: {$ref: '#/components/schemas/Account/properties/owner'}
                  tags: {$ref: '#/components/schemas/Account/properties/tags/items'}
components:
  parameters:
    kind: {name: kind, in: query, schema: {type: string, enum: [a, b]}}
  schemas:
    Account:
      type: object
      properties:
        owner: {type: object, properties: {name: {type: string}}}
        tags: {type: array, items: {type: object, properties: {label: {type: string}}}}
"#,
        );
        let response = match &api.operations[0].response {
            Response::Json { ty: TypeRef::Named(name), .. } => name.clone(),
            other => panic!("{other:?}"),
        };
        let key = field(&api, &response, "key").ty.clone();
        assert!(matches!(&key, TypeRef::Named(_)), "{key:?}");
        assert_eq!(field(&api, &response, "also").ty, key, "the ref and the node it names are one type");
        // The component's property became a component of its own, named after both.
        assert_eq!(field(&api, &response, "owner").ty, TypeRef::Named("AccountOwner".into()));
        assert_eq!(field(&api, &response, "tags").ty, TypeRef::Named("AccountTags".into()));
        assert!(
            matches!(&api.operations[0].params[0].ty, TypeRef::Named(n) if matches!(def(&api, n).body, TypeBody::Enum { .. }))
        );
    }

    #[test]
    fn errors_inside_a_moved_schema_name_the_spec_s_own_pointer() {
        let err = read_lower(
            r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    A: {type: object, properties: {b: {type: strin}}}
    C: {type: object, properties: {d: {$ref: '#/components/schemas/A/properties/b'}}}
"#,
            &Overrides::default(),
        )
        .map(|_| ())
        .unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/A/properties/b/type", "{err}");
    }

    #[test]
    fn errors_inside_a_copied_or_moved_node_name_where_the_spec_has_it() {
        // Found by the mutation test: a response that is a `$ref` to another
        // operation's response is copied in; an error inside the copy must
        // name the original, which is in the spec, not the copy, which is not.
        let response_ref = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /b:
    get:
      responses:
        '200': {$ref: '#/paths/~1a/get/responses/200'}
  /a:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: strin}}}}}}
"#;
        let err = sdkgen::Config::new().generate("s.yaml", response_ref).map(|_| ()).unwrap_err();
        assert_eq!(err.pointer, "/paths/~1a/get/responses/200/content/application~1json/schema/properties/x/type");
        // A schema moved into the components: an external `$ref` inside it is refused where it is.
        let moved = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    A: {type: object, properties: {b: {type: object, properties: {c: {$ref: 'other.yaml#/C'}}}}}
    D: {type: object, properties: {e: {$ref: '#/components/schemas/A/properties/b'}}}
"#;
        let err = sdkgen::Config::new().generate("s.yaml", moved).map(|_| ()).unwrap_err();
        assert_eq!(err.pointer, "/components/schemas/A/properties/b/properties/c/$ref", "{err}");
    }

    #[test]
    fn refs_to_parameters_responses_and_path_items_anywhere_are_followed() {
        // opensuse.org/obs (a parameter of another path), brex.io (a response
        // of another path), component aliases, a path item that is a $ref.
        let api = lower_spec(
            r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - $ref: '#/components/parameters/alias'
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: string}}}}}}
  /b/{id}:
    delete:
      operationId: deleteB
      parameters: [{$ref: '#/paths/~1a~1{id}/get/parameters/0'}]
      responses:
        '200': {$ref: '#/paths/~1a~1%7Bid%7D/get/responses/200'}
  /c/{id}:
    $ref: '#/paths/~1a~1{id}'
components:
  parameters:
    alias: {$ref: '#/components/parameters/limit'}
    limit: {name: limit, in: query, schema: {type: integer, format: int32}}
"#,
        );
        let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["getA", "deleteB", "getA"]);
        assert_eq!(api.operations[1].positional.as_ref().map(|p| &p.ty), Some(&TypeRef::I64));
        // A response defined in another operation is copied (its inline type with it).
        let names: Vec<String> = api.operations[..2]
            .iter()
            .map(|o| match &o.response {
                Response::Json { ty: TypeRef::Named(n), .. } => n.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(fields(&api, &names[0]), fields(&api, &names[1]));
        assert_eq!(api.operations[0].params[0].wire, "limit");
    }

    #[test]
    fn data_that_looks_like_a_ref_is_data() {
        // progenitor's sample specs: `$ref` keys inside example values.
        let (api, warnings) = lower_warn(
            r#"
openapi: 3.0.3
info: {title: T, version: '1'}
x-tooling: {$ref: 'other.yaml#/nope'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  doc: {type: object, example: {$ref: 'elsewhere.json#/x'}, default: {$ref: '#/nowhere'}}
              examples:
                one: {value: {$ref: '#/not/a/ref'}}
                two: {$ref: '#/components/examples/two'}
components:
  examples:
    two: {value: {$ref: 42}}
"#,
        );
        assert_eq!(api.operations.len(), 1);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn out_of_range_numbers_and_mistyped_keywords_are_warnings() {
        // digitalocean (18446744073709552000), openai (-9223372036854776000),
        // api.video (`pattern: 0`): in YAML and in JSON.
        let yaml = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: n, in: query, schema: {type: integer, maximum: 18446744073709552000, minimum: -9223372036854776000}}
        - {name: s, in: query, schema: {type: string, pattern: 0, maxLength: '10'}}
      callbacks:
        later: {$ref: '#/components/callbacks/later'}
      responses: {'204': {description: none}}
components:
  callbacks:
    later: {'{$request.body#/url}': {post: {responses: {'200': {description: ok}}}}}
"#;
        let json = serde_json::to_string(
            &serde_yaml::from_str::<serde_json::Value>(
                &yaml
                    .replace("18446744073709552000", "1.8446744073709552e19")
                    .replace("-9223372036854776000", "-9.223372036854776e18"),
            )
            .unwrap(),
        )
        .unwrap();
        for text in [yaml.to_string(), json] {
            let (api, warnings) = lower_warn(&text);
            assert_eq!(api.operations[0].params.len(), 2);
            let mut kinds: Vec<(WarningKind, &str)> = warnings.iter().map(|w| (w.kind, w.pointer.as_str())).collect();
            kinds.sort();
            assert_eq!(
                kinds,
                [
                    (WarningKind::Callbacks, "/paths/~1a/get/callbacks"),
                    (WarningKind::IgnoredKeyword, "/paths/~1a/get/parameters/1/schema/maxLength"),
                    (WarningKind::IgnoredKeyword, "/paths/~1a/get/parameters/1/schema/pattern"),
                    (WarningKind::NumberRange, "/paths/~1a/get/parameters/0/schema/maximum"),
                    (WarningKind::NumberRange, "/paths/~1a/get/parameters/0/schema/minimum"),
                ],
                "{warnings:#?}"
            );
        }
    }
}

#[test]
fn types_never_shadow_names_the_generated_code_uses() {
    // zoom.json has a schema named `Option`: as a type it hid std's Option.
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/Option'}",
        "    Option: {type: object, properties: {result: {$ref: '#/components/schemas/Result'}}}\n    Result: {type: string, enum: [ok, failed]}\n",
    ));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["OptionType", "ResultType"]);
}

#[test]
fn an_enum_value_listed_twice_is_one_variant() {
    // ix-api.net: `enum: ["true", "true"]` gave two variants with one wire
    // name, which does not compile (an unreachable pattern).
    let api = lower_spec(&returning(
        "{$ref: '#/components/schemas/e'}",
        "    e: {type: string, enum: ['true', 'true', 'no']}\n",
    ));
    let TypeBody::Enum { variants } = &def(&api, "E").body else { panic!("an enum") };
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(wires, ["true", "no"]);
}

#[test]
fn a_get_that_returns_one_object_is_get_and_a_page_is_list() {
    // Spotify's `GET /me` returns one user (with a list of images): `me().get()`;
    // a page of users (items beside `next`) stays `list`; a resource that
    // has an item `get` keeps `list` for its collection.
    let api = lower_spec(
        r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /me:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
  /users:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}
  /settings:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
  /settings/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
components:
  schemas:
    User: {type: object, properties: {id: {type: string}, images: {type: array, items: {type: string}}}}
    Page: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/User'}}, next: {type: string}}}
"#,
    );
    let calls: Vec<String> =
        api.operations.iter().map(|o| format!("{}.{}", o.resource.join("."), o.method_name)).collect();
    assert_eq!(calls, ["me.get", "users.list", "settings.list", "settings.get"]);
}

/// One `GET /things` taking the query parameters `params` (`name: type` pairs)
/// and returning an object of `properties` (YAML flow mappings).
fn listing(params: &[(&str, &str)], properties: &str) -> String {
    let params: String = params
        .iter()
        .map(|(name, ty)| format!("        - {{name: {name}, in: query, schema: {{type: {ty}}}}}\n"))
        .collect();
    format!(
        r#"openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
{params}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {properties}
"#
    )
}

fn page_kind(api: &Api) -> Option<PageKind> {
    api.operations[0].pagination.as_ref().map(|p| p.kind.clone())
}

#[test]
fn a_parameter_echoed_under_a_name_that_is_no_token_is_no_cursor() {
    // `status` comes back in the response, but it is a filter, not a page's token.
    let api = lower_spec(&listing(
        &[("status", "string")],
        "{status: {type: string}, items: {type: array, items: {type: string}}}",
    ));
    assert_eq!(page_kind(&api), None);
    // A token's name, echoed, is one; so is `next_` and the parameter's name.
    let api = lower_spec(&listing(
        &[("page_token", "string")],
        "{page_token: {type: string}, items: {type: array, items: {type: string}}}",
    ));
    assert!(matches!(page_kind(&api), Some(PageKind::Cursor { param, .. }) if param == "page_token"));
    let api = lower_spec(&listing(
        &[("marker", "string")],
        "{meta: {type: object, properties: {next_marker: {type: string}}}, items: {type: array, items: {type: string}}}",
    ));
    let Some(PageKind::Cursor { next, .. }) = page_kind(&api) else { panic!("{:?}", page_kind(&api)) };
    assert_eq!(next.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["meta", "next_marker"]);
    // A credential in the query is no page token, though its name ends so.
    let api = lower_spec(&listing(
        &[("access_token", "string"), ("pageToken", "string")],
        "{nextPageToken: {type: string}, items: {type: array, items: {type: string}}}",
    ));
    assert!(matches!(page_kind(&api), Some(PageKind::Cursor { param, .. }) if param == "page_token"));
}

#[test]
fn a_next_field_that_is_a_number_is_no_url_and_an_offset_needs_a_page_size() {
    // Vercel's `pagination.next` is a timestamp; a lone `start` is no offset.
    let api = lower_spec(&listing(
        &[("start", "integer")],
        "{pagination: {type: object, properties: {next: {type: integer}}}, items: {type: array, items: {type: string}}}",
    ));
    assert_eq!(page_kind(&api), None);
    let api = lower_spec(&listing(
        &[("start", "integer"), ("maxResults", "integer")],
        "{total: {type: integer}, values: {type: array, items: {type: string}}}",
    ));
    assert!(matches!(page_kind(&api), Some(PageKind::Offset { param, total: Some(_), .. }) if param == "start"));
}

#[test]
fn the_overrides_file_sets_or_removes_pagination_and_names_what_does_not_fit() {
    let spec = listing(
        &[("from", "string"), ("page", "integer")],
        "{continue_from: {type: string}, items: {type: array, items: {type: string}}}",
    );
    assert!(matches!(page_kind(&lower_spec(&spec)), Some(PageKind::Number { .. })));
    let with = |toml: &str| {
        let overrides = Overrides::parse(&format!("[operations.listThings.pagination]\n{toml}")).unwrap();
        read_lower(&spec, &overrides).map(|(api, _)| page_kind(&api))
    };
    assert_eq!(with("style = \"none\"").unwrap(), None);
    let cursor = with("style = \"cursor\"\nparam = \"from\"\nnext = \"continue_from\"").unwrap();
    assert!(matches!(cursor, Some(PageKind::Cursor { param, .. }) if param == "from"));
    for (toml, says) in [
        ("style = \"cursor\"\nparam = \"to\"\nnext = \"continue_from\"", "no query parameter `to`"),
        ("style = \"cursor\"\nparam = \"from\"\nnext = \"continue\"", "no field `continue`"),
        ("style = \"cursor\"\nparam = \"page\"\nnext = \"continue_from\"", "not of the type of `page`"),
        ("style = \"cursor\"\nparam = \"from\"", "`next` is required"),
        ("style = \"next-url\"\nnext = \"items\"", "`items` is not a string"),
    ] {
        let err = with(toml).unwrap_err();
        assert_eq!(err.kind, sdkgen::ErrorKind::Overrides, "{toml}");
        assert!(
            err.message.contains("[operations.listThings.pagination]") && err.message.contains(says),
            "{toml}: {err}"
        );
    }
    assert!(Overrides::parse("[operations.x.pagination]\nstyle = \"sideways\"\n").is_err());

    // A number passed back (Vercel's `pagination.next` timestamp as `until`) is a cursor too.
    let spec = listing(
        &[("until", "integer"), ("limit", "integer")],
        "{pagination: {type: object, properties: {next: {type: integer}}}, items: {type: array, items: {type: string}}}",
    );
    assert_eq!(page_kind(&lower_spec(&spec)), None, "nothing says `next` goes to `until`");
    let overrides = Overrides::parse(
        "[operations.listThings.pagination]\nstyle = \"cursor\"\nparam = \"until\"\nnext = \"pagination.next\"\n",
    )
    .unwrap();
    let kind = page_kind(&lower_with(&spec, &overrides));
    assert!(matches!(kind, Some(PageKind::Cursor { number: true, .. })), "{kind:?}");
}

/// The IR and every warning (reading's and lowering's) as (kind, pointer).
fn lower_warned(yaml: &str) -> (Api, Vec<(sdkgen::WarningKind, String)>) {
    let (api, warnings) = read_lower(yaml, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut warnings: Vec<_> = warnings.into_iter().map(|w| (w.kind, w.pointer)).collect();
    warnings.sort();
    (api, warnings)
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a sdkgen::ir::Operation {
    api.operations.iter().find(|op| op.id == id).unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn a_ref_to_another_kind_of_object_is_read_by_the_shape_it_points_at() {
    // enode.io: a schema `$ref` to a parameter; rumble.run: to a response;
    // a response `$ref` to a request body.
    use sdkgen::WarningKind::RefKind;
    let (api, warnings) = lower_warned(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  size: {$ref: '#/components/parameters/Size'}\n                  tags: {$ref: '#/components/responses/Tags'}\n                  status: {$ref: '#/components/responses/Status'}\n  /b:\n    get:\n      operationId: getB\n      responses:\n        '200': {$ref: '#/components/requestBodies/Thing'}\n    post:\n      operationId: postB\n      requestBody: {$ref: '#/components/responses/Tags'}\n      responses: {'204': {description: ok}}\ncomponents:\n  parameters:\n    Size: {name: size, in: query, schema: {type: integer, format: int32}}\n  responses:\n    Status: {description: no content}\n    Tags:\n      description: tags\n      content:\n        text/plain: {schema: {type: string}}\n        application/json: {schema: {type: array, items: {type: string}}}\n  requestBodies:\n    Thing:\n      required: true\n      content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}\n  schemas:\n    Thing: {type: object, properties: {id: {type: string}}}\n",
    );
    let Response::Json { ty: TypeRef::Named(a), .. } = &operation(&api, "getA").response else { panic!("getA") };
    assert_eq!(field(&api, a, "size").ty, TypeRef::I32, "the parameter's schema");
    assert_eq!(field(&api, a, "tags").ty, TypeRef::Vec(Box::new(TypeRef::String)), "the response's JSON schema");
    assert_eq!(field(&api, a, "status").ty, TypeRef::Value, "a response without content: any value");
    assert!(
        matches!(&operation(&api, "getB").response, Response::Json { ty: TypeRef::Named(n), .. } if n == "Thing"),
        "the request body's content, as a response"
    );
    assert!(matches!(&operation(&api, "postB").body, Some(Body::Json { .. })), "and the reverse");
    let mut at: Vec<_> = warnings.iter().filter(|(k, _)| *k == RefKind).map(|(_, p)| p.as_str()).collect();
    at.sort();
    assert_eq!(
        at,
        [
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/size/$ref",
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/status/$ref",
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/tags/$ref",
            "/paths/~1b/get/responses/200/$ref",
            "/paths/~1b/post/requestBody/$ref",
        ]
    );
    // A `$ref` to an object with no schema to read is still refused at its pointer.
    let err = read_lower("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  examples:\n    E: {value: 1}\n  schemas:\n    A: {$ref: '#/components/examples/E'}\n", &Overrides::default())
        .unwrap_err();
    assert_eq!((err.kind, err.pointer.as_str()), (sdkgen::ErrorKind::Unsupported, "/components/schemas/A/$ref"));
}

#[test]
fn swagger2_refs_in_a_3_0_document_resolve_in_the_components() {
    let (api, warnings) = lower_warned(&returning(
        "{type: array, items: {$ref: '#/definitions/Pet'}}",
        "    Pet: {type: object, properties: {owner: {$ref: '#/definitions/Owner'}}}\n    Owner: {type: object, properties: {name: {type: string}}}\n",
    ));
    assert_eq!(field(&api, "Pet", "owner").ty, TypeRef::Named("Owner".into()));
    assert_eq!(
        warnings,
        [
            (sdkgen::WarningKind::Swagger2Ref, "/components/schemas/Pet/properties/owner/$ref".to_string()),
            (
                sdkgen::WarningKind::Swagger2Ref,
                "/paths/~1things/get/responses/200/content/application~1json/schema/items/$ref".to_string()
            ),
        ]
    );
    // Where neither exists, the `$ref` is dangling as before.
    let err = read_lower(&returning("{$ref: '#/definitions/Gone'}", "    A: {}\n"), &Overrides::default()).unwrap_err();
    assert_eq!(err.kind, sdkgen::ErrorKind::DanglingRef);
}

#[test]
fn a_security_scheme_the_document_never_defines_gives_no_credential() {
    let spec = |schemes: &str, own: &str| {
        format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nsecurity: [{{Default: []}}]\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\n    post:\n      operationId: b\n      security: {own}\n      responses: {{'204': {{description: ok}}}}\n{schemes}")
    };
    let (api, warnings) = lower_warned(&spec("", "[{Default: []}]"));
    assert!(api.operations.iter().all(|op| op.security.is_empty()) && api.schemes.is_empty());
    let kinds: Vec<_> = warnings.iter().map(|(k, p)| (*k, p.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (sdkgen::WarningKind::UndefinedScheme, "/paths/~1a/post/security/0/Default"),
            (sdkgen::WarningKind::UndefinedScheme, "/security/0/Default"),
        ]
    );
    // One extra undefined scheme in a list: the defined ones stay, so does an
    // empty requirement (no credential is one choice).
    let schemes = "components:\n  securitySchemes:\n    Key: {type: apiKey, in: header, name: X-Key}\n";
    let (api, _) = lower_warned(&spec(schemes, "[{Key: []}, {Extra: []}, {}]"));
    let security = |id: &str| operation(&api, id).security.clone();
    assert_eq!(security("b"), [vec!["Key".to_string()], vec![]]);
    assert_eq!(security("a"), Vec::<Vec<String>>::new());
    let (api, _) = lower_warned(&spec(schemes, "[{Key: [], Extra: []}]"));
    assert_eq!(operation(&api, "b").security, [vec!["Key".to_string()]]);
}

#[test]
fn required_fields_the_sdk_does_without_are_read_with_defaults() {
    // A response without `description`, `info` without `title` and
    // `version`, a server without `url`, no `paths`.
    let (api, warnings) = lower_warned(
        "openapi: 3.0.3\ninfo: {description: d}\nservers: [{description: staging}, {url: 'https://x.example/v1/'}]\n",
    );
    assert_eq!((api.title.as_str(), api.version.as_str(), api.base_url.as_str()), ("API", "", "https://x.example/v1"));
    assert!(api.operations.is_empty());
    let at: Vec<_> = warnings.iter().map(|(k, p)| (*k, p.as_str())).collect();
    use sdkgen::WarningKind::MissingField;
    assert_eq!(
        at,
        [(MissingField, ""), (MissingField, "/info"), (MissingField, "/info"), (MissingField, "/servers/0")]
    );
    let (api, warnings) = lower_warned(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {content: {application/json: {schema: {type: string}}}}\n        '404': {content: {application/json: {schema: {type: object, properties: {m: {type: string}}}}}}\n",
    );
    let op = operation(&api, "a");
    assert_eq!(op.response, Response::Json { ty: TypeRef::String, enveloped: false, optional: false });
    assert_eq!((op.errors.len(), op.errors[0].doc.as_ref()), (1, None));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    // What the SDK needs stays required: a parameter's `in`.
    let err = read_lower("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: q, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n", &Overrides::default()).unwrap_err();
    assert_eq!(err.pointer, "/paths/~1a/get/parameters/0");
}

#[test]
fn a_body_that_admits_only_an_empty_object_is_no_body() {
    // One vendor's 272 GET and DELETE operations: a form body that can carry nothing.
    let spec = |media: &str, schema: &str| {
        format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    delete:\n      operationId: a\n      requestBody:\n        content:\n          {media}: {{schema: {schema}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Empty: {{type: object, additionalProperties: false}}\n")
    };
    for (media, schema) in [
        ("application/x-www-form-urlencoded", "{type: object, additionalProperties: false}"),
        ("application/json", "{$ref: '#/components/schemas/Empty'}"),
        ("multipart/form-data", "{type: object, maxProperties: 0}"),
        ("application/json", "{additionalProperties: false, properties: {}}"),
    ] {
        let (api, warnings) = lower_warned(&spec(media, schema));
        assert_eq!(api.operations[0].body, None, "{media} {schema}");
        assert!(warnings.is_empty(), "{media} {schema}: {warnings:?}");
    }
    // A body that may carry something is still one.
    for (media, schema) in [
        ("application/x-www-form-urlencoded", "{type: object}"),
        ("application/json", "{type: object, additionalProperties: {type: string}}"),
        ("application/json", "{type: object, additionalProperties: false, properties: {a: {type: string}}}"),
        ("application/json", "{allOf: [{$ref: '#/components/schemas/Empty'}], additionalProperties: false}"),
    ] {
        let (api, _) = lower_warned(&spec(media, schema));
        assert!(api.operations[0].body.is_some(), "{media} {schema}");
    }
    // A required JSON body is sent as `{}` (a server may insist on a body); a required form
    // that can carry nothing is still no body (it would be sent empty either way).
    let required = |media: &str| {
        spec(media, "{$ref: '#/components/schemas/Empty'}")
            .replace("requestBody:\n", "requestBody:\n        required: true\n")
    };
    let (api, _) = lower_warned(&required("application/json"));
    assert!(api.operations[0].body.is_some(), "a required JSON body");
    let (api, _) = lower_warned(&required("application/x-www-form-urlencoded"));
    assert_eq!(api.operations[0].body, None, "a required empty form");
}
/// `resource.method` of each operation, in spec order, with the signal that named it.
fn calls(api: &Api) -> Vec<String> {
    api.operations
        .iter()
        .map(|o| format!("{}.{} ({})", o.resource.join("."), o.method_name, o.named_by.as_str()))
        .collect()
}

#[test]
fn sdk_naming_extensions_name_operations_and_the_overrides_file_wins() {
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /v1/user_profile/{id}:
    get:
      operationId: getUserProfile
      x-speakeasy-group: users.profiles
      x-speakeasy-name-override: fetch
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
    delete:
      operationId: deleteUserProfile
      x-fern-sdk-group-name: [users, profiles]
      x-fern-sdk-method-name: remove
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
    put:
      operationId: putUserProfile
      x-fern-sdk-method-name: replace
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
    patch:
      operationId: patchUserProfile
      x-speakeasy-name-override: tweak
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
"#;
    assert_eq!(
        calls(&lower_spec(spec)),
        [
            "users.profiles.fetch (extension)",
            // A method name alone keeps the path's resource.
            "v1.user_profile.replace (extension)",
            "users.profiles.remove (extension)",
            "v1.user_profile.tweak (extension)",
        ]
    );
    let overrides = Overrides::parse("[operations.patchUserProfile]\nmethod = \"amend\"\n").unwrap();
    assert_eq!(calls(&lower_with(spec, &overrides))[3], "v1.user_profile.amend (overrides file)");
}

#[test]
fn namespaced_operation_ids_name_resource_and_method_when_most_are() {
    // GitHub's `group/verb-noun`: the group is the resource, the rest the method.
    let spec = |ids: [&str; 3]| {
        format!(
            r#"
openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /repos/{{owner}}/{{repo}}/issues:
    parameters:
      - {{name: owner, in: path, required: true, schema: {{type: string}}}}
      - {{name: repo, in: path, required: true, schema: {{type: string}}}}
    get:
      operationId: {}
      responses: {{'200': {{description: ok}}}}
  /teams:
    get:
      operationId: {}
      responses: {{'200': {{description: ok}}}}
  /chat.postMessage:
    post:
      operationId: {}
      x-fern-sdk-method-name: send
      responses: {{'200': {{description: ok}}}}
"#,
            ids[0], ids[1], ids[2]
        )
    };
    let api = lower_spec(&spec(["issues/list-for-repo", "teams/list", "chat/post-message"]));
    assert_eq!(
        calls(&api),
        ["issues.list_for_repo (operationId)", "teams.list (operationId)", "chat.send (extension)"]
    );
    assert_eq!(api.operations[0].params.iter().map(|p| p.rust.as_str()).collect::<Vec<_>>(), ["owner"]);
    assert_eq!(api.operations[0].positional.as_ref().map(|p| p.rust.as_str()), Some("repo"));
    // Slack's `group.methodName`.
    let api = lower_spec(&spec(["issues.listForRepo", "teams.list", "chat.postMessage"]));
    assert_eq!(calls(&api)[..2], ["issues.list_for_repo (operationId)", "teams.list (operationId)"]);
    // When most operationIds are plain names, the paths name them all.
    let api = lower_spec(&spec(["listIssues", "teams/list", "postMessage"]));
    assert_eq!(calls(&api)[..2], ["issues.list (path)", "teams.list (path)"]);
}

#[test]
fn tags_name_resources_only_where_the_paths_do_not() {
    let spec = |root: &str| {
        format!(
            r#"
openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /{root}/listUsers:
    get: {{tags: [Users], responses: {{'200': {{description: ok}}}}}}
  /{root}/users/{{id}}:
    get:
      tags: [Users]
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses: {{'200': {{description: ok}}}}
  /{root}/orders:
    post: {{tags: [Orders], responses: {{'200': {{description: ok}}}}}}
"#
        )
    };
    // Every path under one resource: the tags tell the resources apart.
    assert_eq!(calls(&lower_spec(&spec("service"))), ["users.list_users (tag)", "users.get (tag)", "orders.new (tag)"]);
    // Paths that start at different resources keep them (`/orders` beside `/users`).
    let api = lower_spec(&spec("service").replace("/service/orders", "/orders"));
    assert_eq!(calls(&api), ["service.list_users (path)", "service.users.get (path)", "orders.new (path)"]);
}

#[test]
fn paths_name_what_no_other_signal_does() {
    // A GET of one object of unknown shape is `get`; a collection's update
    // beside its item's is `bulk_update`; a singular segment stays singular;
    // a clash is told apart by the fewest words of the operationIds.
    let api = lower_spec(
        r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /user:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
  /filters:
    put: {operationId: filters-update-filters, responses: {'200': {description: ok}}}
  /filters/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    put: {operationId: filters-update-a-filter, responses: {'200': {description: ok}}}
  /tokens/{id}/value:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    put: {operationId: token-roll, responses: {'200': {description: ok}}}
  /deployments/{id}/rollback:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post: {responses: {'200': {description: ok}}}
  /builds/{id}/logs:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post: {responses: {'200': {description: ok}}}
  /radar/bgp/timeseries:
    get:
      parameters: [{name: asn, in: query, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: integer}}}}}}}
  /radar/bgp/routes:
    get:
      parameters: [{name: asn, in: query, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /tests/{id}/percentiles:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: from, in: query, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: integer}}}}}}}
  /radar/bgp/profile:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: integer}}}}}}}
"#,
    );
    assert_eq!(
        calls(&api),
        [
            "user.get (path)",
            "filters.bulk_update (path)",
            "filters.update (path)",
            "tokens.value.update (path)",
            // A POST to a word after an item is an action on it, unless the word is a plural.
            "deployments.rollback (path)",
            "builds.logs.new (path)",
            // A GET alone on a leaf is a query of its parent, unless it returns
            // a list (it lists) or takes no query parameters (it reads one).
            "radar.bgp.timeseries (path)",
            "radar.bgp.routes.list (path)",
            "tests.percentiles (path)",
            "radar.bgp.profile.get (path)",
        ]
    );
    // Zones and accounts are scopes here (a fifth of the operations or more each).
    let api = lower_spec(&format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{}", SCOPED_CLASH));
    assert_eq!(
        calls(&api),
        [
            "dns_settings.list_zone (path)",
            "dns_settings.edit_zone (path)",
            "dns_settings.list_account (path)",
            "dns_settings.edit_account (path)",
            // After a scope's item, a word is a resource of the tenant, not an action.
            "advice.new (path)",
        ]
    );
}

const SCOPED_CLASH: &str = r#"  /zones/{zone_id}/dns_settings:
    parameters: [{name: zone_id, in: path, required: true, schema: {type: string}}]
    get: {operationId: dns-settings-for-a-zone-list-dns-settings, responses: {'200': {description: ok}}}
    patch: {operationId: dns-settings-for-a-zone-update-dns-settings, responses: {'200': {description: ok}}}
  /accounts/{account_id}/dns_settings:
    parameters: [{name: account_id, in: path, required: true, schema: {type: string}}]
    get: {operationId: dns-settings-for-an-account-list-dns-settings, responses: {'200': {description: ok}}}
    patch: {operationId: dns-settings-for-an-account-update-dns-settings, responses: {'200': {description: ok}}}
  /zones/{zone_id}/advice:
    parameters: [{name: zone_id, in: path, required: true, schema: {type: string}}]
    post: {operationId: ask, responses: {'200': {description: ok}}}
"#;

#[test]
fn a_get_of_one_scalar_enum_union_or_file_is_get() {
    // Not a list or a page, so not `list`: an enum, a string, a union of
    // objects, a binary file. An array still lists, and so may text (XML).
    let api = lower_spec(
        r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /mode:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {type: string, enum: ['on', 'off']}}}}}
  /status:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {type: string}}}}}
  /config:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}}}}}
  /script:
    get:
      responses: {'200': {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}}
  /names:
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /lines:
    get:
      responses: {'200': {description: ok, content: {application/xml: {schema: {type: string}}}}}
components:
  schemas:
    A: {type: object, required: [a], properties: {a: {type: integer}}}
    B: {type: object, required: [b], properties: {b: {type: string}}}
"#,
    );
    assert_eq!(
        calls(&api),
        [
            "mode.get (path)",
            "status.get (path)",
            "config.get (path)",
            "script.get (path)",
            "names.list (path)",
            "lines.list (path)"
        ]
    );
}

#[test]
fn scopes_bulk_and_method_segments_in_paths() {
    // A scope stays a resource where the operation's tag calls the resource
    // the scope's own (`Account Members`), unless it is under another scope
    // too (`rulesets`) or has resources of its own under it (`snippets`).
    // `bulk` goes into the method; a segment that is the method is no resource.
    let get = |tag: &str, id: &str| {
        format!("    get: {{operationId: {id}, tags: ['{tag}'], responses: {{'200': {{description: ok}}}}}}\n")
    };
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /accounts/{{account_id}}/members:\n{}  /accounts/{{account_id}}/members/{{member_id}}:\n{}  /accounts/{{account_id}}/rulesets:\n{}  /zones/{{zone_id}}/rulesets:\n{}  /zones/{{zone_id}}/snippets:\n{}  /zones/{{zone_id}}/snippets/{{name}}/content:\n{}{}",
        get("Account Members", "members-list"),
        get("Account Members", "members-get"),
        get("Account Rulesets", "account-rulesets-list"),
        get("Zone Rulesets", "zone-rulesets-list"),
        get("Zone Snippets", "snippets-list"),
        get("Zone Snippets", "snippets-content"),
        r#"  /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/bulk:
    put: {operationId: kv-write-bulk, responses: {'204': {description: ok}}}
  /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/bulk/delete:
    post: {operationId: kv-delete-bulk, responses: {'204': {description: ok}}}
  /accounts/{account_id}/requests:
    post: {operationId: request-list, responses: {'204': {description: ok}}}
  /accounts/{account_id}/requests/new:
    post: {operationId: request-new, responses: {'204': {description: ok}}}
"#
    );
    assert_eq!(
        calls(&lower_spec(&spec)),
        [
            "accounts.members.list (path)",
            "accounts.members.get (path)",
            "rulesets.list_account (path)",
            "rulesets.list_zone (path)",
            "snippets.list (path)",
            "snippets.content.get (path)",
            "storage.kv.namespaces.bulk_update (path)",
            "storage.kv.namespaces.bulk_delete (path)",
            "requests.list (path)",
            "requests.new (path)",
        ]
    );
}
