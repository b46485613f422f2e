//! Prints how long each generator phase takes on a model (default: X-Ray).
//! `cargo run --release -p smithy-lite-codegen --example phase_times [MODEL]`

use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../models/xray.json").to_owned());
    let t = Instant::now();
    let model = match smithy_lite_codegen::model::load_files(&[&path]) {
        Ok(m) => m,
        Err(e) => {
            eprint!("{e}");
            std::process::exit(1);
        }
    };
    let load = t.elapsed();
    let t = Instant::now();
    let files = match smithy_lite_codegen::generate(&model, &Default::default()) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{e}");
            std::process::exit(1);
        }
    };
    let generate = t.elapsed();
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    println!(
        "load+validate: {load:?}; plan+emit+format: {generate:?}; {} files, {lines} lines",
        files.len()
    );
}
