/// Binary data (a Smithy `blob`). On the JSON wire it travels as base64.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Wraps the bytes.
    pub fn new(inner: impl Into<Vec<u8>>) -> Self {
        Self {
            inner: inner.into(),
        }
    }

    /// The bytes, returned to the caller.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(inner: Vec<u8>) -> Self {
        Self { inner }
    }
}

impl From<&[u8]> for Blob {
    fn from(inner: &[u8]) -> Self {
        Self::new(inner)
    }
}

impl From<&str> for Blob {
    fn from(inner: &str) -> Self {
        Self::new(inner.as_bytes())
    }
}
