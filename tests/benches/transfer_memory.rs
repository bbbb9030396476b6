//! Transfer memory: the peak memory of 100 MB uploads and downloads through a generated client
//! (`kitchen-sink`), against the body's size.
//!
//! Each case runs in a process of its own (this binary, run again), so that its peak resident
//! memory (`VmHWM` of `/proc/self/status`) is its own; the server (wiremock, not recording
//! requests) is a third process. A case reads its resident memory (`VmRSS`) once the client
//! and runtime are made and before the body exists, then does the transfer, and reports the
//! peak above that: what the transfer cost, the body itself included when it is in memory.
//!
//! Cases: a `PUT` of the body from a `Vec<u8>` (moved into the upload, shared by attempts), from
//! a file (`Upload::file`, read in chunks), and as a multipart file field from a file; a `GET`
//! of the body into a `Vec<u8>`, and read as a stream of chunks (`.stream()`).
//!
//! Run with `cargo bench -p sdkgen-tests --bench transfer_memory`; `SDKGEN_BENCH_MB` sets the
//! body size (default 100). Linux only (`/proc`).

use std::io::{BufRead, BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::Instant;

use futures_util::StreamExt;
use kitchen_sink::pets::{DocumentsNewParams, PhotoGetParams, PhotoUpdateParams};
use kitchen_sink::runtime::Upload;
use kitchen_sink::Client;

const CASES: [&str; 5] = ["upload-vec", "upload-file", "upload-multipart-file", "download-vec", "download-stream"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mb: usize = std::env::var("SDKGEN_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let size = mb << 20;
    match args.iter().position(|a| a == "--serve" || a == "--case") {
        Some(i) if args[i] == "--serve" => serve(size),
        Some(i) => run_case(&args[i + 1], &args[i + 2], size, args.get(i + 3).map(String::as_str)),
        None => orchestrate(mb, size),
    }
}

fn orchestrate(mb: usize, size: usize) {
    let exe = std::env::current_exe().expect("the bench binary");
    let mut server = Command::new(&exe).arg("--serve").stdout(Stdio::piped()).spawn().expect("server process");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).expect("the server's address");
    let uri = line.trim().to_string();
    let file = std::env::temp_dir().join(format!("sdkgen-transfer-{}.bin", std::process::id()));
    let mut out = std::fs::File::create(&file).expect("temp file");
    let chunk = vec![7u8; 1 << 20];
    for _ in 0..mb {
        out.write_all(&chunk).unwrap();
    }
    drop(out);

    println!("transfer memory: {mb} MB bodies through the generated kitchen-sink client, one process per case\n");
    println!("| case | body MB | peak above baseline MB | × body | seconds |");
    println!("|---|---:|---:|---:|---:|");
    for case in CASES {
        let output =
            Command::new(&exe).args(["--case", case, &uri, file.to_str().unwrap()]).output().expect("case process");
        assert!(output.status.success(), "{case}: {}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8_lossy(&output.stdout);
        let mut fields = text.split_whitespace().map(|v| v.parse::<f64>().unwrap());
        let (peak_kb, secs) = (fields.next().unwrap(), fields.next().unwrap());
        let peak_mb = peak_kb / 1024.0;
        println!("| {case} | {mb} | {peak_mb:.1} | {:.2} | {secs:.2} |", peak_mb / (size as f64 / (1 << 20) as f64));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_file(&file);
}

/// A line of `/proc/self/status`, in kB.
fn status_kb(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status.lines().find(|l| l.starts_with(key)).expect("the key");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Runs one case; prints the peak above the baseline (kB) and the seconds.
fn run_case(case: &str, uri: &str, size: usize, file: Option<&str>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::builder().base_url(uri).basic_auth("ann:s3cret").max_retries(0).build().unwrap();
    let photos = client.pets().photo();
    let file = file.expect("the body file");
    let baseline = status_kb("VmRSS:");
    let start = Instant::now();
    runtime.block_on(async {
        match case {
            "upload-vec" => {
                let body = vec![7u8; size];
                photos.update(3, PhotoUpdateParams::new("s").body(body)).await.unwrap();
            }
            "upload-file" => {
                photos.update(3, PhotoUpdateParams::new("s").body(Upload::file(file))).await.unwrap();
            }
            "upload-multipart-file" => {
                let params = DocumentsNewParams::new("s").file(Upload::file(file)).private(true);
                client.pets().documents().new(3, params).await.unwrap();
            }
            "download-vec" => {
                let body = photos.get(3, PhotoGetParams::new("s")).await.unwrap();
                assert_eq!(body.len(), size);
            }
            "download-stream" => {
                let mut body = photos.get(3, PhotoGetParams::new("s")).stream().await.unwrap();
                let mut read = 0;
                while let Some(chunk) = body.next().await {
                    read += chunk.unwrap().len();
                }
                assert_eq!(read, size);
            }
            other => panic!("no case {other}"),
        }
    });
    println!("{} {}", status_kb("VmHWM:") - baseline, start.elapsed().as_secs_f64());
}

/// The server: accepts the uploads and serves the download; prints its address.
fn serve(size: usize) {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(vec![7u8; size], "image/png"))
            .mount(&server)
            .await;
        Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        println!("{}", server.uri());
        std::future::pending::<()>().await;
    });
}
