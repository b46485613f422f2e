use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Open content (a Smithy `document`): any JSON-like value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Document {
    /// An object of named documents.
    Object(HashMap<String, Document>),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// No value.
    #[default]
    Null,
}

/// A document number: kept as the widest exact kind it was written as.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer of zero or more.
    PosInt(u64),
    /// An integer below zero.
    NegInt(i64),
    /// A floating point number.
    Float(f64),
}

impl Number {
    /// The number as an `f64` (large integers lose precision).
    pub fn to_f64_lossy(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Object(map) => {
                let mut m = serializer.serialize_map(Some(map.len()))?;
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                for (k, v) in entries {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Document::Array(items) => {
                let mut s = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    s.serialize_element(item)?;
                }
                s.end()
            }
            Document::Number(Number::PosInt(v)) => serializer.serialize_u64(*v),
            Document::Number(Number::NegInt(v)) => serializer.serialize_i64(*v),
            Document::Number(Number::Float(v)) => crate::wire::ser_f64(*v, serializer),
            Document::String(v) => serializer.serialize_str(v),
            Document::Bool(v) => serializer.serialize_bool(*v),
            Document::Null => serializer.serialize_unit(),
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Number(if v < 0 {
            Number::NegInt(v)
        } else {
            Number::PosInt(v as u64)
        }))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
        Ok(Document::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        Document::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Document::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut out = HashMap::new();
        while let Some((k, v)) = map.next_entry::<String, Document>()? {
            out.insert(k, v);
        }
        Ok(Document::Object(out))
    }
}
