//! Contract tests on other vendors' specs: the SDKs generated from Twilio's
//! (form bodies under an account scope), Slack's (RPC methods with form
//! bodies) and Spotify's (JSON bodies, array query parameters, path scopes)
//! published specs, calling Prism mocks of those specs. Prism checks every
//! request against the spec and answers from its examples, which the SDK
//! must decode.
//!
//! The SDKs are generated into `target/contract-vendors/` with a small
//! driver program (below) and built in `target/outside` (the outer `cargo
//! test` holds the workspace's target directory; the SDKs built outside the
//! workspace share this one and its dependencies), without debug info: under
//! a minute the first time, seconds after. The specs are read from `../shared/specs/corpus`.
//! Heavy, so not part of the README's test command: `.ci/run` runs it
//! (`cargo test -p sdkgen-tests --test contract_vendors -- --ignored`).

#[path = "contract/prism.rs"]
mod prism;

use prism::Prism;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The specs, the crate each becomes, and the environment variable that
/// gives the driver its Prism URL.
const SPECS: [(&str, &str, &str); 3] = [
    ("twilio-api-v2010.json", "twilio", "TWILIO_URL"),
    ("slack-web.json", "slack", "SLACK_URL"),
    ("spotify.yaml", "spotify", "SPOTIFY_URL"),
];

/// The driver: each call must get a 2xx from Prism and decode it. Prints
/// one line per call; exits non-zero on the first failure.
const DRIVER: &str = r#"
use std::env::var;

fn check<T: std::fmt::Debug>(name: &str, result: Result<T, impl std::fmt::Display>) {
    match result {
        Ok(value) => println!("ok {name}: {}", format!("{value:?}").chars().take(120).collect::<String>()),
        Err(e) => {
            println!("FAIL {name}: {e}");
            std::process::exit(1);
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let account = "AC00000000000000000000000000000000";
    let twilio = twilio::Client::builder()
        .base_url(var("TWILIO_URL").unwrap())
        .account_sid_auth_token(format!("{account}:token"))
        .max_retries(0)
        .build()
        .unwrap();
    // Send an SMS: a form body with required and optional fields. (No list: Prism 5 reads a
    // repeated form key as one value, stoplightio/prism#2473; lists go as OpenAPI's exploded
    // `form` says, checked in kitchen_sink.rs.)
    let sms = twilio::messages::MessagesNewParams::new(account, "+15558675310")
        .set_from("+15017122661")
        .body("Hi there & welcome, 100% = ok?")
        .send_as_mms(false);
    check("twilio messages().new (CreateMessage)", twilio.messages().new(sms).await);
    let list = twilio::messages::MessagesListParams::new(account).page_size(20);
    check("twilio messages().list (ListMessage)", twilio.messages().list(list).await);
    let call = twilio::calls::CallsNewParams::new(account, "+15558675310", "+15017122661")
        .url("http://demo.twilio.com/docs/voice.xml");
    check("twilio calls().new (CreateCall)", twilio.calls().new(call).await);

    let slack = slack::Client::builder().base_url(var("SLACK_URL").unwrap()).slack_auth("xoxb-1").max_retries(0).build().unwrap();
    let post = slack::chat::ChatPostMessageParams::new("xoxb-1", "C0123456")
        .text("Hello from sdkgen: <https://example.com|a link> & more")
        .unfurl_links(false);
    check("slack chat().post_message (chat.postMessage)", slack.chat().post_message(post).await);
    let info = slack::users::UsersInfoParams::new("xoxb-1").user("U0123456");
    check("slack users().info (users.info)", slack.users().info(info).await);

    let spotify = spotify::Client::builder().base_url(var("SPOTIFY_URL").unwrap()).oauth_2_0("token").max_retries(0).build().unwrap();
    check("spotify me().get (get-current-users-profile)", spotify.me().get().await);
    let search = spotify::search::SearchGetParams::new("remaster track:Doxy artist:Miles Davis").r#type(vec![spotify::types::SearchListTypeItem::Track, spotify::types::SearchListTypeItem::Album]).limit(10);
    check("spotify search().get (search)", spotify.search().get(search).await);
    let add = spotify::playlists::TracksNewParams::default()
        .uris_2(vec!["spotify:track:4iV5W9uYEdYUVa79Axb7Rh".to_string()])
        .position_2(0);
    let playlists = spotify.playlists();
    check("spotify playlists().tracks().new (add-tracks-to-playlist)", playlists.tracks().new("3cEYpjA9oz9GiPac4AsH4n", add).await);
}
"#;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Generates the three SDKs and the driver under `work`.
fn write_crates(work: &Path) {
    let root = repo_root();
    let mut deps = String::new();
    for (spec, name, _) in SPECS {
        let path = root.join("../shared/specs/corpus").join(spec);
        let (generated, _) = sdkgen::Config::new()
            .crate_name(name)
            .runtime(sdkgen::Runtime::Crate { path: Some(root.join("runtime").display().to_string()) })
            .input_name(format!("shared/specs/corpus/{spec}"))
            .generate_file(&path)
            .unwrap_or_else(|e| panic!("{e}"));
        generated.write_to(&work.join(name)).unwrap();
        deps.push_str(&format!("{name} = {{ path = \"../{name}\", features = [\"full\"] }}\n"));
    }
    let manifest = format!(
        "[package]\nname = \"driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n"
    );
    let driver = work.join("driver");
    std::fs::create_dir_all(driver.join("src")).unwrap();
    // Written only when changed, so that cargo does not rebuild the driver.
    for (file, text) in [("Cargo.toml", manifest.as_str()), ("src/main.rs", DRIVER.trim_start())] {
        if std::fs::read_to_string(driver.join(file)).ok().as_deref() != Some(text) {
            std::fs::write(driver.join(file), text).unwrap();
        }
    }
    std::fs::copy(root.join("Cargo.lock"), driver.join("Cargo.lock")).unwrap();
}

#[test]
#[ignore = "builds three vendor SDKs (about a minute on two cores): .ci/run runs it with --ignored"]
fn twilio_slack_and_spotify_sdks_send_what_their_specs_accept() {
    let work = repo_root().join("target/contract-vendors");
    write_crates(&work);
    let build = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet"])
        .current_dir(work.join("driver"))
        // The target directory of the outside-the-workspace builds (generator/tests/outside.rs):
        // the same dependencies, built once, without debug info or incremental cache.
        .env("CARGO_TARGET_DIR", repo_root().join("target/outside"))
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(build.status.success(), "the driver does not build:\n{}", String::from_utf8_lossy(&build.stderr));

    let root = repo_root();
    let mocks: Vec<(&str, Prism)> = SPECS
        .iter()
        .map(|(spec, _, env)| (*env, Prism::start(&root.join("../shared/specs/corpus").join(spec))))
        .collect();
    let mut run = Command::new(root.join("target/outside/debug/driver"));
    for (env, prism) in &mocks {
        run.env(env, &prism.base_url);
    }
    let out = run.output().expect("the driver runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    let logs: Vec<String> = mocks.iter().map(|(_, prism)| prism.log()).collect();
    assert!(out.status.success(), "{stdout}\n{}\n{}", String::from_utf8_lossy(&out.stderr), logs.join("\n"));
    assert_eq!(stdout.lines().filter(|l| l.starts_with("ok ")).count(), 8, "{stdout}");
    // Prism logs each request it refused; there must be none.
    for log in &logs {
        assert!(!log.contains("Request body property") && !log.contains("Request query parameter"), "{log}");
    }
}
