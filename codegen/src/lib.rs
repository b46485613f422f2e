//! smithy-lite-codegen: Smithy 2.0 JSON AST models in, Rust crates out.
//!
//! The pipeline is [`model`] (load, resolve, validate) -> [`rust`] (names
//! and types decided once, by the symbol provider) -> [`emit`] (tokens per
//! concern, formatted by prettyplease). Nothing here writes files: the
//! result is a list of [`GeneratedFile`]s, which the xtask compares with or
//! writes to disk.

pub mod emit;
pub mod model;
pub mod rust;

use std::fmt;

pub use emit::GeneratedFile;
use model::{Model, Shape};
use rust::naming;
use rust::symbols::{PlanError, Symbols};

/// What to generate and where the hand-written crates are.
#[derive(Clone, Debug)]
pub struct Options {
    /// The service to generate; may be omitted when the model has one.
    pub service: Option<String>,
    /// The base name of the generated packages (`xray` gives `xray` and
    /// `xray-types`); by default the service's `sdkId`, lowercased.
    pub crate_base: Option<String>,
    /// The path from a generated crate's directory to `crates/types`.
    pub types_path: String,
    /// The path from a generated crate's directory to `crates/runtime`.
    pub runtime_path: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            service: None,
            crate_base: None,
            types_path: "../types".into(),
            runtime_path: "../runtime".into(),
        }
    }
}

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The model is invalid.
    Model(model::ModelErrors),
    /// The model is valid but cannot be turned into Rust as it is.
    Plan(Vec<PlanError>),
    /// Anything else (no service, a generator bug).
    Other(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(e) => write!(f, "{e}"),
            Error::Plan(errors) => {
                writeln!(f, "the model cannot be generated as it is:")?;
                for e in errors {
                    writeln!(f, "  {e}")?;
                }
                Ok(())
            }
            Error::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Picks the service to generate.
pub fn select_service<'m>(model: &'m Model, wanted: Option<&str>) -> Result<&'m Shape, Error> {
    let services: Vec<&Shape> = model.services().collect();
    match wanted {
        Some(id) => services
            .into_iter()
            .find(|s| s.id == id || s.name() == id)
            .ok_or_else(|| Error::Other(format!("the model has no service {id}"))),
        None => match services.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::Other("the model defines no service".into())),
            many => Err(Error::Other(format!(
                "the model defines {} services; choose one with --service ({})",
                many.len(),
                many.iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

/// The package base name for a service: its `sdkId` (`XRay` -> `xray`) or
/// its shape name, kebab-cased.
pub fn crate_base(service: &Shape) -> String {
    match &service.traits.aws_service {
        Some(aws) => aws
            .sdk_id
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-"),
        None => naming::snake_case(service.name()).replace('_', "-"),
    }
}

/// Generates every crate for one service. Paths in the result are
/// relative to the output directory (`xray-types/src/lib.rs`).
pub fn generate(model: &Model, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = generate_unformatted(model, options)?;
    emit::format_files(&mut files).map_err(Error::Other)?;
    Ok(files)
}

/// Like [`generate`], but Rust files are left as unformatted token text
/// (`raw`), for a caller that formats them itself or reuses a cached
/// formatting; [`emit::format_files`] finishes them.
pub fn generate_unformatted(model: &Model, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    let service = select_service(model, options.service.as_deref())?;
    // Each operation gets input and output structures of its own.
    let normalized = model.with_unshared_operation_io(service);
    let service = normalized.shape(&service.id).unwrap_or(service);
    let model = &normalized;
    let symbols = Symbols::plan(model, service).map_err(Error::Plan)?;
    let base = options
        .crate_base
        .clone()
        .unwrap_or_else(|| crate_base(service));
    let types_package = format!("{base}-types");
    let files = emit::shapes::generate(
        &symbols,
        &emit::shapes::ShapeCrateSettings {
            package: &types_package,
            types_path: &options.types_path,
        },
    )
    .map_err(Error::Other)?;
    let op_files = emit::operations::generate(
        &symbols,
        &emit::operations::OperationCrateSettings {
            package: &base,
            types_package: &types_package,
            types_path: &options.types_path,
            runtime_path: &options.runtime_path,
        },
    )
    .map_err(Error::Other)?;
    let mut out = Vec::with_capacity(files.len() + op_files.len());
    for (dir, group) in [(&types_package, files), (&base, op_files)] {
        out.extend(group.into_iter().map(|f| GeneratedFile {
            path: format!("{dir}/{}", f.path),
            contents: f.contents,
            raw: f.raw,
        }));
    }
    Ok(out)
}
