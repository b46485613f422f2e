//! Integration tests of the smithy-lite workspace live beside this file; see the `[[test]]` targets.
