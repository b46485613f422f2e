use std::fmt;

/// One problem in a model: where it is (shape id and JSON path) and what.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModelError {
    /// The file the problem is in.
    pub file: String,
    /// The JSON path of the offending value, e.g.
    /// `$.shapes["ns#Foo"].members.bar.target`.
    pub path: String,
    /// The shape (or member) the problem belongs to, when there is one.
    pub shape: Option<String>,
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.path)?;
        if let Some(shape) = &self.shape {
            write!(f, " (shape {shape})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a model, reported together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelErrors(pub Vec<ModelError>);

impl ModelErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ModelError> {
        self.0.iter()
    }
}

impl fmt::Display for ModelErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "the model has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ModelErrors {}

/// Collects problems for one file while loading.
#[derive(Debug)]
pub(crate) struct Sink {
    pub file: String,
    pub errors: Vec<ModelError>,
}

impl Sink {
    pub fn new(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            errors: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        path: impl Into<String>,
        shape: Option<&str>,
        message: impl Into<String>,
    ) {
        self.errors.push(ModelError {
            file: self.file.clone(),
            path: path.into(),
            shape: shape.map(str::to_owned),
            message: message.into(),
        });
    }
}

/// `base["key"]` with the key quoted as JSON.
pub(crate) fn index(base: &str, key: &str) -> String {
    format!("{base}[{}]", serde_json::Value::from(key))
}

/// `base.key` for plain keys, `base["key"]` otherwise.
pub(crate) fn field(base: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{base}.{key}")
    } else {
        index(base, key)
    }
}
