//! Selection (`select` in the overrides file, `--select`, `Config::select`):
//! a selected SDK has exactly the operations its patterns match and the
//! types they reach, under the names the whole SDK gives them; a pattern
//! that matches nothing is an error naming it and where it was given;
//! without a selection nothing changes; `diff` compares within selections;
//! and a selected SDK builds warning-free.

use sdkgen::diff::{diff, ChangeKind, Level};
use sdkgen::ir::Api;
use sdkgen::{Config, Overrides};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{cargo, repo_root};

#[path = "support/outside.rs"]
mod support;

/// Four operations under two resources; `Pet` reaches `Toy`, the owners'
/// items reach `Pet` and `Address`; `Lonely` is reached by nothing.
const ZOO: &str = r#"
openapi: 3.0.3
info: {title: Zoo, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: createPet
      tags: [Pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201':
          description: made
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{pet_id}:
    delete:
      operationId: deletePet
      tags: [Pets]
      parameters:
      - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
  /owners:
    get:
      operationId: listOwners
      tags: [Owners]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    name: {type: string}
                    pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
                    address: {$ref: '#/components/schemas/Address'}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        toy: {$ref: '#/components/schemas/Toy'}
    Toy:
      type: object
      properties:
        name: {type: string}
    NewPet:
      type: object
      properties:
        name: {type: string}
        toy: {$ref: '#/components/schemas/Toy'}
    Address:
      type: object
      properties:
        city: {type: string}
    Lonely:
      type: object
      properties:
        x: {type: integer}
"#;

fn lower(config: Config, yaml: &str) -> Api {
    config.lower("zoo.yaml", yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn selected(patterns: &[&str]) -> Api {
    lower(Config::new().select(patterns.iter().copied()), ZOO)
}

fn ids(api: &Api) -> Vec<&str> {
    let mut ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    ids.sort();
    ids
}

fn type_names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|t| t.name.as_str()).collect()
}

#[test]
fn a_selection_keeps_its_operations_and_the_types_they_reach_and_no_more() {
    let full = lower(Config::new(), ZOO);
    assert_eq!(type_names(&full), ["Address", "OwnersListResponseItem", "Pet", "Toy"]);
    assert_eq!(full.selection, None);
    let api = selected(&["pets/list"]);
    assert_eq!(ids(&api), ["listPets"]);
    assert_eq!(type_names(&api), ["Pet", "Toy"]);
    assert_eq!(api.selection, Some(vec!["pets/list".to_string()]));
    // The same items as the whole SDK's, under the same names.
    for def in &api.types {
        let whole = full.types.iter().find(|t| t.name == def.name).unwrap();
        assert_eq!((&def.body, &def.component, &def.origin), (&whole.body, &whole.component, &whole.origin));
    }
    let whole = |id: &str| full.operations.iter().find(|op| op.id == id).unwrap();
    for op in &api.operations {
        assert_eq!(op, whole(&op.id), "an operation is as the whole SDK has it");
    }
    // What depends on use follows the selection: `Toy`, sent by `createPet`, is built by
    // callers in the whole SDK, and only decoded in one without that operation.
    let built = |api: &Api, name: &str| api.types.iter().find(|t| t.name == name).unwrap().built;
    assert!(built(&full, "Toy") && !built(&api, "Toy"));
    assert!(built(&selected(&["pets/*"]), "Toy"));
    let api = selected(&["owners/*"]);
    assert_eq!(type_names(&api), ["Address", "OwnersListResponseItem", "Pet", "Toy"]);
    let api = selected(&["pets/delete"]);
    assert!(api.types.is_empty(), "{:?}", type_names(&api));
}

#[test]
fn each_kind_of_pattern_selects_what_it_says() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["pets/*"], &["createPet", "deletePet", "listPets"]),
        (&["pets"], &["createPet", "deletePet", "listPets"]),
        (&["pets().delete()"], &["deletePet"]),
        (&["pets.list"], &["listPets"]),
        (&["*/list"], &["listOwners", "listPets"]),
        (&["GET /pets"], &["listPets"]),
        (&["get /pets"], &["listPets"]),
        (&["* /pets/{id}"], &["deletePet"]),
        (&["/pets*"], &["createPet", "deletePet", "listPets"]),
        (&["GET *"], &["listOwners", "listPets"]),
        (&["tag:Own*"], &["listOwners"]),
        (&["id:list*"], &["listOwners", "listPets"]),
        (&["id:deletePet", "tag:Owners"], &["deletePet", "listOwners"]),
        (&["!tag:Pets"], &["listOwners"]),
        (&["pets/*", "!DELETE /*"], &["createPet", "listPets"]),
    ];
    for (patterns, want) in cases {
        assert_eq!(ids(&selected(patterns)), *want, "{patterns:?}");
    }
}

fn error(config: Config) -> String {
    config.lower("zoo.yaml", ZOO).map(|api| format!("no error: {:?}", ids(&api))).unwrap_or_else(|e| e.to_string())
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error_naming_it_and_where_it_was_given() {
    let err = error(Config::new().select(["pets/*", "cats/*"]));
    assert!(err.contains("--select `cats/*` matches no operation"), "{err}");
    let err = error(Config::new().select(["pets/*", "!tag:Cats"]));
    assert!(err.contains("`!tag:Cats` matches no operation"), "an exclusion too: {err}");
    let err = error(Config::new().select(["webhook:*"]));
    assert!(err.contains("`webhook:*` matches no webhook"), "{err}");
    let overrides = Overrides::parse("select = [\"tag:Cats\"]\n").unwrap();
    let err = error(Config::new().overrides(overrides));
    assert!(err.contains("`select` of the overrides: `tag:Cats` matches no operation"), "{err}");
    let err = error(Config::new().select(["FETCH /pets"]));
    assert!(err.contains("`FETCH` is not an HTTP method"), "{err}");
    let err = error(Config::new().select(["pets/*", "!pets"]));
    assert!(err.contains("the selection leaves no operation"), "{err}");
    let err = error(Config::new().select(["id:"]));
    assert!(err.contains("is empty"), "{err}");
    // An unknown key next to it is still refused.
    assert!(Overrides::parse("selection = []\n").is_err());
}

#[test]
fn the_command_line_replaces_the_overrides_file() {
    let overrides = Overrides::parse("select = [\"owners/*\"]\n").unwrap();
    assert_eq!(ids(&lower(Config::new().overrides(overrides.clone()), ZOO)), ["listOwners"]);
    assert_eq!(ids(&lower(Config::new().overrides(overrides).select(["id:deletePet"]), ZOO)), ["deletePet"]);
}

#[test]
fn without_a_selection_nothing_changes() {
    let full = Config::new().generate("zoo.yaml", ZOO).unwrap();
    let overrides = Overrides::parse("crate_name = \"zoo\"\n").unwrap();
    assert_eq!(Config::new().overrides(overrides).generate("zoo.yaml", ZOO).unwrap().code(), full.code());
    // Selecting everything is the whole SDK, but for the IR's record of it.
    let all = Config::new().select(["*"]).generate("zoo.yaml", ZOO).unwrap();
    assert_eq!(all.code(), full.code());
    assert_eq!(all.api_md, full.api_md);
    assert!(!full.api_json.contains("\"selection\""));
    assert!(all.api_json.contains("\"selection\": [\n    \"*\"\n  ]"), "{}", all.api_json);
    assert_eq!(all.api_json.replace(",\n  \"selection\": [\n    \"*\"\n  ]", ""), full.api_json);
    // An IR written before selections existed still reads.
    let old: Api = serde_json::from_str(&full.api_json).unwrap();
    assert_eq!(old.selection, None);
}

#[test]
fn a_selected_sdk_has_only_its_methods_and_types() {
    let sdk = Config::new().select(["pets/list", "pets/delete"]).generate("zoo.yaml", ZOO).unwrap();
    let code = sdk.code();
    assert!(code.contains("pub struct Pet ") && code.contains("pub struct Toy "), "{code}");
    assert!(!code.contains("Owner") && !code.contains("Address"), "{code}");
    assert!(!code.contains("PetsNewParams"), "{code}");
    assert_eq!(sdk.stats.operations, 2);
    assert_eq!(sdk.stats.operations_in_spec, 4);
}

const HOOKS: &str = r#"
openapi: 3.1.0
info: {title: Hooks, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '204': {description: none}
  /owners:
    get:
      operationId: listOwners
      responses:
        '204': {description: none}
webhooks:
  petBorn:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Birth'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Birth:
      type: object
      properties:
        name: {type: string}
"#;

#[test]
fn webhooks_stay_unless_the_selection_says() {
    let api = lower(Config::new().select(["pets/*"]), HOOKS);
    assert_eq!(api.webhooks.len(), 1);
    assert_eq!(type_names(&api), ["Birth"]);
    let api = lower(Config::new().select(["pets/*", "!webhook:*"]), HOOKS);
    assert!(api.webhooks.is_empty() && api.types.is_empty(), "{:?}", type_names(&api));
    let api = lower(Config::new().select(["webhook:petBorn"]), HOOKS);
    assert_eq!((api.operations.len(), api.webhooks.len()), (2, 1), "webhook patterns leave operations alone");
    let err = lower_err(Config::new().select(["webhook:petDied"]), HOOKS);
    assert!(err.contains("`webhook:petDied` matches no webhook"), "{err}");
}

fn lower_err(config: Config, yaml: &str) -> String {
    config.lower("hooks.yaml", yaml).map(|_| "no error".to_string()).unwrap_or_else(|e| e.to_string())
}

#[test]
fn features_are_decided_for_the_resources_left() {
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n");
    for r in ["a", "b", "c", "d", "e", "f", "g", "h", "i"] {
        spec += &format!("  /{r}s:\n    delete:\n      responses:\n        '204': {{description: gone}}\n");
    }
    assert!(lower(Config::new(), &spec).features, "nine resources are features");
    assert!(!lower(Config::new().select(["as"]), &spec).features, "one left is not");
    let overrides = Overrides::parse("features = true\n").unwrap();
    assert!(lower(Config::new().overrides(overrides).select(["as"]), &spec).features, "unless the file says");
}

#[test]
fn diff_compares_within_the_selections_and_says_so() {
    let full = lower(Config::new(), ZOO);
    let pets = selected(&["pets/*"]);
    let narrowed = diff(&full, &pets);
    let kinds: Vec<ChangeKind> = narrowed.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::SelectionChanged], "{}", narrowed.text(None));
    assert_eq!(narrowed.verdict(), Level::Major, "the crate lost methods");
    assert!(narrowed.changes[0].detail.contains("every operation → `pets/*`: 0 "), "{:?}", narrowed.changes[0]);
    assert!(narrowed.changes[0].detail.contains("1 left out"), "{:?}", narrowed.changes[0]);
    assert!(narrowed.text(None).contains("selection changed"));
    let widened = diff(&pets, &full);
    assert_eq!(widened.changes.len(), 1, "{}", widened.text(None));
    assert_eq!(widened.verdict(), Level::Minor);
    // The same selection on both sides: as without one.
    assert!(diff(&pets, &pets).changes.is_empty());
    // A real change within the selection is still reported beside it.
    let renamed = ZOO.replacen("toy: {$ref", "plaything: {$ref", 1); // `Pet`'s
    let changed = diff(&full, &lower(Config::new().select(["pets/*"]), &renamed));
    let mut kinds: Vec<ChangeKind> = changed.changes.iter().map(|c| c.kind).collect();
    kinds.sort();
    assert_eq!(kinds, [ChangeKind::FieldAdded, ChangeKind::FieldRemoved, ChangeKind::SelectionChanged]);
    // A `tag:` pattern cannot be judged from the IR: an operation it might take counts as
    // outside the selection, even one the new spec removed.
    let without_delete =
        ZOO.replace("    delete:\n      operationId: deletePet", "    x-gone:\n      operationId: deletePet");
    assert_ne!(without_delete, ZOO);
    let tagged = lower(Config::new().select(["tag:Pets"]), &without_delete);
    assert_eq!(ids(&tagged), ["createPet", "listPets"]);
    let changes = diff(&full, &tagged);
    let kinds: Vec<ChangeKind> = changes.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::SelectionChanged], "{}", changes.text(None));
    assert!(changes.changes[0].detail.contains("2 left out"), "{:?}", changes.changes[0]);
    // With a pattern the IR can judge, the removal is one.
    let routed = lower(Config::new().select(["/pets*"]), &without_delete);
    let mut kinds: Vec<ChangeKind> = diff(&full, &routed).changes.iter().map(|c| c.kind).collect();
    kinds.sort();
    assert_eq!(kinds, [ChangeKind::MethodRemoved, ChangeKind::SelectionChanged]);
}

// The command line.

fn sdkgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdkgen")).args(args).current_dir(dir).output().expect("sdkgen runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sdkgen-select-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_select_flag_and_the_overrides_key_on_the_command_line() {
    let dir = scratch("cli");
    std::fs::write(dir.join("zoo.yaml"), ZOO).unwrap();
    let o =
        sdkgen(&dir, &["generate", "zoo.yaml", "--out", "pets", "--select", "pets/list", "--select", "GET /owners"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("2/4 operations"), "{}", stderr(&o));
    let map = std::fs::read_to_string(dir.join("pets/API.md")).unwrap();
    assert!(map.contains("client.pets().list()") && map.contains("client.owners().list()"), "{map}");
    assert!(!map.contains("delete"), "{map}");
    // `check` with the same selection is up to date; without it, stale, and it says how to update.
    let o = sdkgen(&dir, &["check", "zoo.yaml", "--out", "pets", "--select", "pets/list", "--select", "GET /owners"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = sdkgen(&dir, &["check", "zoo.yaml", "--out", "pets", "--select", "pets/list"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--out pets --select 'pets/list'"), "{}", stderr(&o));
    // `diff` of the selected crate with the spec: the selection changed, nothing else.
    let o = sdkgen(&dir, &["diff", "pets", "zoo.yaml"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("minor release") && out.contains("selection changed"), "{out}");
    assert!(!out.contains("method added"), "{out}");
    // `api` maps the selected SDK.
    let o = sdkgen(&dir, &["api", "zoo.yaml", "--select", "id:deletePet"]);
    let map = String::from_utf8_lossy(&o.stdout);
    assert!(map.contains("client.pets().delete(pet_id)") && !map.contains("list()"), "{map}");
    // The overrides file's `select`, which `--select` replaces.
    std::fs::write(dir.join("zoo.sdkgen.toml"), "select = [\"owners/*\"]\n").unwrap();
    let o = sdkgen(&dir, &["generate", "zoo.yaml", "--out", "owners"]);
    assert!(o.status.success() && stderr(&o).contains("1/4 operations"), "{}", stderr(&o));
    let o = sdkgen(&dir, &["check", "zoo.yaml", "--out", "owners"]);
    assert_eq!(o.status.code(), Some(0), "a selection from the file checks as it was generated: {}", stderr(&o));
    let o = sdkgen(&dir, &["generate", "zoo.yaml", "--out", "deleted", "--select", "DELETE /*"]);
    assert!(o.status.success() && stderr(&o).contains("1/4 operations"), "{}", stderr(&o));
    // Errors: exit 2, the pattern and where it was given named, nothing written.
    let o = sdkgen(&dir, &["generate", "zoo.yaml", "--out", "bad", "--select", "cats/*"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--select `cats/*` matches no operation"), "{}", stderr(&o));
    assert!(!dir.join("bad").exists());
    std::fs::write(dir.join("zoo.sdkgen.toml"), "crate_name = \"zoo\"\nselect = [\n  \"pets/*\",\n  'cats/*',\n]\n")
        .unwrap();
    let o = sdkgen(&dir, &["generate", "zoo.yaml", "--out", "bad"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("zoo.sdkgen.toml:4:3: at (document root): `select` of the overrides: `cats/*`"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("bad").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two operations of the images spec: a crate that `cargo check` passes warning-free
/// (offline, with the lock file and target directory `outside.rs` uses).
#[test]
fn a_selected_sdk_checks_warning_free() {
    let dir = scratch("build");
    // The spec alone: the repository's overrides file points at its runtime crate.
    std::fs::copy(repo_root().join("openapi/images.yaml"), dir.join("images.yaml")).unwrap();
    let select = ["--select", "images/v1/edit", "--select", "GET /accounts/{account_id}/images/v1/{image_id}"];
    let o = sdkgen(&dir, &[&["generate", "images.yaml", "--out", "two"][..], &select].concat());
    assert!(o.status.success() && stderr(&o).contains("2/17 operations"), "{}", stderr(&o));
    let crate_dir = dir.join("two");
    let code = sources(&crate_dir.join("src"));
    assert!(code.contains("pub fn edit(") && code.contains("pub fn get("), "{code}");
    assert!(!code.contains("pub fn delete(") && !code.contains("pub fn list("), "{code}");
    cargo(&crate_dir, &["check"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The text of every `.rs` file under `dir` but the runtime's.
fn sources(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.ends_with("runtime") {
            text += &sources(&path);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("runtime.rs") {
            text += &std::fs::read_to_string(&path).unwrap();
        }
    }
    text
}
