//! Reading JSON with the one check serde_json's `Value` cannot make:
//! duplicate object keys (a duplicate shape or member would otherwise be
//! silently replaced by the last one).

use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::{field, Sink};

/// Parses `text`, reporting syntax errors and every duplicate key (with
/// its JSON path) to `sink`. Returns `None` when the text is not JSON.
pub(crate) fn parse(text: &str, sink: &mut Sink) -> Option<serde_json::Value> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            sink.push("$", None, format!("not valid JSON: {e}"));
            return None;
        }
    };
    let mut duplicates = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    // The text already parsed, so this second pass cannot fail on syntax.
    let _ = Scan {
        path: "$".to_owned(),
        duplicates: &mut duplicates,
    }
    .deserialize(&mut de);
    for path in duplicates {
        sink.push(
            path,
            None,
            "duplicate key: a later definition would replace an earlier one",
        );
    }
    Some(value)
}

struct Scan<'a> {
    path: String,
    duplicates: &'a mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let seed = Scan {
                path: format!("{}[{i}]", self.path),
                duplicates: &mut *self.duplicates,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = field(&self.path, &key);
            if !seen.insert(key) {
                self.duplicates.push(path);
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            map.next_value_seed(Scan {
                path,
                duplicates: &mut *self.duplicates,
            })?;
        }
        Ok(())
    }
}
