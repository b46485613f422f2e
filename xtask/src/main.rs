//! `cargo xtask codegen [--check] [--model PATH]... [--out DIR] [--service ID] [--crate-base NAME]`
//!
//! Regenerates the checked-in crates from the model. Everything is
//! generated in memory first; only when that succeeds are files written,
//! each through a temporary file and a rename, and only when changed. With
//! `--check`, nothing is written and every stale file is named.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use smithy_lite_codegen::emit::PREAMBLE;
use smithy_lite_codegen::{GeneratedFile, Options};

mod protocol_tests;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--model PATH]... [--out DIR] [--service ID] [--crate-base NAME]\n       cargo xtask protocol-tests";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => match codegen(&args[1..]) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some("protocol-tests") => match protocol_tests::run(&args[1..]) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

struct Args {
    check: bool,
    models: Vec<PathBuf>,
    out: PathBuf,
    service: Option<String>,
    crate_base: Option<String>,
}

fn parse_args(args: &[String], root: &Path) -> Result<Args, String> {
    let mut parsed = Args {
        check: false,
        models: Vec::new(),
        out: root.join("crates"),
        service: None,
        crate_base: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--model" => parsed.models.push(absolute(&value("--model")?)),
            "--out" => parsed.out = absolute(&value("--out")?),
            "--service" => parsed.service = Some(value("--service")?),
            "--crate-base" => parsed.crate_base = Some(value("--crate-base")?),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if parsed.models.is_empty() {
        parsed.models.push(root.join("models/xray.json"));
    }
    Ok(parsed)
}

fn absolute(p: &str) -> PathBuf {
    let p = PathBuf::from(p);
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

fn codegen(args: &[String]) -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = workspace_root();
    let args = parse_args(args, &root)?;

    let model = match smithy_lite_codegen::model::load_files(&args.models) {
        Ok(m) => m,
        Err(e) => {
            eprint!("error: {e}");
            eprintln!("nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    // Generated crates sit one level below the output directory.
    let crate_dir = args.out.join("generated-crate");
    let options = Options {
        service: args.service.clone(),
        crate_base: args.crate_base.clone(),
        types_path: relative(&crate_dir, &root.join("crates/types")),
        runtime_path: relative(&crate_dir, &root.join("crates/runtime")),
    };
    let mut files = match smithy_lite_codegen::generate_unformatted(&model, &options) {
        Ok(f) => f,
        Err(e) => {
            eprint!("error: {e}");
            eprintln!("nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Err(e) = rustfmt_cached(&mut files, &root.join("target/codegen-rustfmt")) {
        eprintln!("error: {e}");
        eprintln!("nothing was written");
        return Ok(ExitCode::FAILURE);
    }

    let stale = stale_files(&args.out, &files);
    let leftovers = leftover_files(&args.out, &files);
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    if args.check {
        if stale.is_empty() && leftovers.is_empty() {
            println!(
                "codegen --check: {} generated files are up to date ({} ms)",
                files.len(),
                started.elapsed().as_millis()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for f in &stale {
            eprintln!("stale: {}", shown(&args.out.join(&f.path)));
        }
        for p in &leftovers {
            eprintln!("not generated any more: {}", shown(p));
        }
        eprintln!("run `cargo xtask codegen` to regenerate");
        return Ok(ExitCode::FAILURE);
    }
    for f in &stale {
        write_atomically(&args.out.join(&f.path), &f.contents)
            .map_err(|e| format!("writing {}: {e}", f.path))?;
    }
    for p in &leftovers {
        std::fs::remove_file(p).map_err(|e| format!("removing {}: {e}", p.display()))?;
    }
    println!(
        "codegen: {} files generated, {} changed, {} removed ({} ms)",
        files.len(),
        stale.len(),
        leftovers.len(),
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

/// Formatting (prettyplease, then rustfmt) with a cache: the final text is
/// kept under `dir/cache`, keyed by a 128-bit hash of the rustfmt version
/// and the generator's unformatted token text, so a regeneration that changes
/// nothing (and `--check`) neither parses nor spawns rustfmt for the files
/// it already formatted. The cache only saves time: a miss formats
/// the file as usual, and the output is the same either way.
fn rustfmt_cached(files: &mut [GeneratedFile], dir: &Path) -> Result<(), String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let version = std::process::Command::new(&rustfmt)
        .arg("--version")
        .output()
        .map_err(|e| {
            format!("cannot run {rustfmt} (install it with `rustup component add rustfmt`): {e}")
        })?
        .stdout;
    let cache = dir.join("cache");
    let key = |text: &str| {
        let mut bytes = version.clone();
        bytes.push(0);
        bytes.extend_from_slice(text.as_bytes());
        cache.join(format!("{:032x}.rs", fnv1a_128(&bytes)))
    };
    let mut misses = Vec::new();
    for (i, f) in files.iter_mut().enumerate() {
        if !f.raw {
            continue;
        }
        match std::fs::read_to_string(key(&f.contents)) {
            Ok(formatted) => {
                f.contents = formatted;
                f.raw = false;
            }
            Err(_) => misses.push(i),
        }
    }
    if misses.is_empty() {
        return Ok(());
    }
    let mut todo: Vec<GeneratedFile> = misses.iter().map(|&i| files[i].clone()).collect();
    let keys: Vec<PathBuf> = todo.iter().map(|f| key(&f.contents)).collect();
    smithy_lite_codegen::emit::format_files(&mut todo)?;
    rustfmt_all(&mut todo, &dir.join(std::process::id().to_string()))?;
    let _ = std::fs::create_dir_all(&cache);
    for ((i, formatted), path) in misses.into_iter().zip(todo).zip(keys) {
        // A cache that cannot be written only costs time next run.
        let _ = write_atomically(&path, &formatted.contents);
        files[i].contents = formatted.contents;
    }
    Ok(())
}

/// FNV-1a, 128 bits.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u128::from(*b)).wrapping_mul(PRIME))
}

/// Passes every generated Rust file through rustfmt: prettyplease's layout
/// is close to, but not exactly, rustfmt's, and the checked-in code must pass
/// `cargo fmt --check`. The files are written to a scratch folder under
/// `target/` and formatted there by one rustfmt process per core (process
/// start-up, not formatting, dominates with one process per file); files
/// that declare out-of-line modules are formatted through stdin, so that no
/// file is formatted twice.
fn rustfmt_all(files: &mut [GeneratedFile], scratch: &Path) -> Result<(), String> {
    use std::io::Write as _;

    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let cannot_run = |e: std::io::Error| {
        format!("cannot run {rustfmt} (install it with `rustup component add rustfmt`): {e}")
    };
    let _ = std::fs::remove_dir_all(scratch);
    let mut leaves: Vec<(usize, PathBuf)> = Vec::new();
    let mut piped = Vec::new();
    for (i, f) in files.iter_mut().enumerate() {
        if !f.path.ends_with(".rs") {
            continue;
        }
        let declares_modules = f.contents.lines().any(|l| {
            let l = l.trim_start();
            (l.starts_with("mod ") || l.starts_with("pub mod ")) && l.ends_with(';')
        });
        if declares_modules {
            // Formatted through stdin (so rustfmt does not follow the
            // module declarations), concurrently with everything else.
            let mut child = std::process::Command::new(&rustfmt)
                .args(["--edition", "2021"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .map_err(cannot_run)?;
            let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
            let text = f.contents.clone();
            let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
            piped.push((i, child, writer));
        } else {
            let path = scratch.join(format!("{i}.rs"));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, &f.contents).map_err(|e| format!("{}: {e}", path.display()))?;
            leaves.push((i, path));
        }
    }
    // Balance the batches by size, largest first.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, leaves.len().max(1));
    leaves.sort_by_key(|(i, _)| std::cmp::Reverse(files[*i].contents.len()));
    let mut batches: Vec<(usize, Vec<&PathBuf>)> = vec![(0, Vec::new()); workers];
    for (i, path) in &leaves {
        let lightest = batches
            .iter_mut()
            .min_by_key(|(size, _)| *size)
            .expect("one batch");
        lightest.0 += files[*i].contents.len();
        lightest.1.push(path);
    }
    let children: Vec<_> = batches
        .into_iter()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(_, paths)| {
            std::process::Command::new(&rustfmt)
                .args(["--edition", "2021"])
                .args(paths)
                .stderr(std::process::Stdio::piped())
                .spawn()
        })
        .collect::<Result<_, _>>()
        .map_err(cannot_run)?;
    for (i, child, writer) in piped {
        let out = child
            .wait_with_output()
            .map_err(|e| format!("rustfmt: {e}"))?;
        writer
            .join()
            .map_err(|_| "rustfmt stdin writer panicked".to_owned())?
            .map_err(|e| format!("rustfmt: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "rustfmt failed on {}: {}",
                files[i].path,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        files[i].contents = String::from_utf8(out.stdout)
            .map_err(|e| format!("rustfmt output for {}: {e}", files[i].path))?;
    }
    for child in children {
        let out = child
            .wait_with_output()
            .map_err(|e| format!("rustfmt: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "rustfmt failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    for (i, path) in leaves {
        files[i].contents =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let _ = std::fs::remove_dir_all(scratch);
    Ok(())
}

/// Generated files whose contents on disk differ (or are missing).
fn stale_files<'a>(out: &Path, files: &'a [GeneratedFile]) -> Vec<&'a GeneratedFile> {
    files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(out.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .collect()
}

/// Files in the generated crates' `src/` folders that an earlier run made
/// (they start with the preamble) but this run did not.
fn leftover_files(out: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let wanted: std::collections::BTreeSet<PathBuf> =
        files.iter().map(|f| out.join(&f.path)).collect();
    let crates: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.split('/').next())
        .collect();
    let mut out_files = Vec::new();
    for krate in crates {
        collect_files(&out.join(krate).join("src"), &mut out_files);
    }
    out_files.retain(|p| {
        !wanted.contains(p)
            && std::fs::read_to_string(p).is_ok_and(|text| text.starts_with(PREAMBLE))
    });
    out_files.sort();
    out_files
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{file_name}.codegen-tmp"));
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path)
}

/// The relative path from directory `from` to `to` (both absolute).
fn relative(from: &Path, to: &Path) -> String {
    let norm = |p: &Path| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        parts
    };
    let (from, to) = (norm(from), norm(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(to[common..].iter().cloned());
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}
