//! JSON wire codecs used by generated `Serialize`/`Deserialize` impls.
//!
//! A Smithy member's wire form depends on more than its Rust type: a
//! `DateTime` may be epoch seconds, RFC 3339 or an HTTP date; a `Vec` may be
//! dense (nulls dropped) or sparse (nulls kept); an `f64` may be `"NaN"`.
//! Each [`Codec`] is a zero-sized marker naming one such form, and codecs
//! nest (`Dense<Epoch>` is a list of epoch-seconds timestamps). Generated
//! code wraps values in [`Ser`] to write them and uses [`De`] / [`OptDe`] as
//! `DeserializeSeed`s to read them, so every form is decided at compile time
//! and costs nothing at run time.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use base64::Engine as _;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::{BigDecimal, BigInteger, Blob, DateTime, Format};

/// One wire form for values of type `T`.
pub trait Codec<T> {
    /// Writes `value` in this form.
    fn ser<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value in this form.
    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// The value's own serde impl (strings, booleans, integers, generated types).
pub struct Plain;
/// `f32`/`f64` with NaN and the infinities as `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub struct Float;
/// A timestamp as epoch seconds: a JSON number, fractional when needed.
pub struct Epoch;
/// A timestamp as an RFC 3339 `date-time` string.
pub struct Rfc3339;
/// A timestamp as an RFC 7231 HTTP-date string.
pub struct HttpDate;
/// A blob as a base64 string.
pub struct Base64;
/// A big number as a JSON number.
pub struct Big;
/// A list whose nulls are dropped on read.
pub struct Dense<C>(PhantomData<C>);
/// A list that keeps nulls (`@sparse`).
pub struct Sparse<C>(PhantomData<C>);
/// A map whose null values are dropped on read.
pub struct DenseMap<C>(PhantomData<C>);
/// A map that keeps null values (`@sparse`).
pub struct SparseMap<C>(PhantomData<C>);

/// Serializes `&T` with codec `C`.
pub struct Ser<'a, C, T: ?Sized>(&'a T, PhantomData<C>);

impl<'a, C, T: ?Sized> Ser<'a, C, T> {
    /// Wraps a value for writing.
    pub fn new(value: &'a T) -> Self {
        Self(value, PhantomData)
    }
}

impl<C: Codec<T>, T> Serialize for Ser<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::ser(self.0, serializer)
    }
}

/// Reads a `T` with codec `C` (a `DeserializeSeed`).
pub struct De<C, T>(PhantomData<(C, T)>);

impl<C, T> Default for De<C, T> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for De<C, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        C::de(deserializer)
    }
}

/// Reads an optional `T` with codec `C`: JSON `null` reads as `None`.
pub struct OptDe<C, T>(PhantomData<(C, T)>);

impl<C, T> Default for OptDe<C, T> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for OptDe<C, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(OptVisitor::<C, T>(PhantomData))
    }
}

struct OptVisitor<C, T>(PhantomData<(C, T)>);

impl<'de, C: Codec<T>, T> Visitor<'de> for OptVisitor<C, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        C::de(deserializer).map(Some)
    }
}

impl<T: Serialize + DeserializeOwned> Codec<T> for Plain {
    fn ser<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// Writes an `f64`, spelling NaN and the infinities as Smithy strings.
pub fn ser_f64<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        serializer.serialize_str("NaN")
    } else if value.is_infinite() {
        serializer.serialize_str(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serializer.serialize_f64(value)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or one of \"NaN\", \"Infinity\", \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl Codec<f64> for Float {
    fn ser<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        ser_f64(*value, serializer)
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl Codec<f32> for Float {
    fn ser<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_f32(*value)
        } else {
            ser_f64(f64::from(*value), serializer)
        }
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        deserializer.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

impl Codec<DateTime> for Epoch {
    fn ser<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if value.has_subsec_nanos() {
            serializer.serialize_f64(value.as_secs_f64())
        } else {
            serializer.serialize_i64(value.secs())
        }
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp in epoch seconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                if v.is_finite() {
                    Ok(DateTime::from_wire_f64(v))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

fn ser_formatted<S: Serializer>(
    value: &DateTime,
    format: Format,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = value.fmt(format).map_err(ser::Error::custom)?;
    serializer.serialize_str(&text)
}

struct FormattedVisitor(Format);

impl Visitor<'_> for FormattedVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a timestamp string in {:?} format", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        DateTime::from_str(v, self.0).map_err(E::custom)
    }
}

impl Codec<DateTime> for Rfc3339 {
    fn ser<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        ser_formatted(value, Format::DateTime, serializer)
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_str(FormattedVisitor(Format::DateTime))
    }
}

impl Codec<DateTime> for HttpDate {
    fn ser<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        ser_formatted(value, Format::HttpDate, serializer)
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_str(FormattedVisitor(Format::HttpDate))
    }
}

impl Codec<Blob> for Base64 {
    fn ser<S: Serializer>(value: &Blob, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(value))
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Blob, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map(Blob::from)
                    .map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }
        }
        deserializer.deserialize_str(V)
    }
}

struct BigVisitor;

impl Visitor<'_> for BigVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

fn ser_big<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if let Ok(v) = text.parse::<i64>() {
        serializer.serialize_i64(v)
    } else if let Ok(v) = text.parse::<u64>() {
        serializer.serialize_u64(v)
    } else if let Ok(v) = text.parse::<f64>() {
        serializer.serialize_f64(v)
    } else {
        Err(ser::Error::custom(format_args!("{text:?} is not a number")))
    }
}

impl Codec<BigInteger> for Big {
    fn ser<S: Serializer>(value: &BigInteger, serializer: S) -> Result<S::Ok, S::Error> {
        ser_big(value.as_str(), serializer)
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BigInteger, D::Error> {
        deserializer
            .deserialize_any(BigVisitor)
            .map(BigInteger::new)
    }
}

impl Codec<BigDecimal> for Big {
    fn ser<S: Serializer>(value: &BigDecimal, serializer: S) -> Result<S::Ok, S::Error> {
        ser_big(value.as_str(), serializer)
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BigDecimal, D::Error> {
        deserializer
            .deserialize_any(BigVisitor)
            .map(BigDecimal::new)
    }
}

/// Caps preallocation from untrusted size hints.
fn capacity(hint: Option<usize>) -> usize {
    hint.unwrap_or(0).min(4096)
}

struct SeqVisitor<C, T, const SPARSE: bool>(PhantomData<(C, T)>);

impl<'de, C: Codec<T>, T> Visitor<'de> for SeqVisitor<C, T, false> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(capacity(seq.size_hint()));
        while let Some(item) = seq.next_element_seed(OptDe::<C, T>::default())? {
            if let Some(item) = item {
                out.push(item);
            }
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        empty_object_as_list(map)
    }
}

/// An empty JSON object where a list belongs reads as an empty list: some
/// implementations (moto's X-Ray) send `{}` for empty lists, and the
/// reference SDKs read it so. A non-empty object is still an error.
fn empty_object_as_list<'de, A: MapAccess<'de>, T>(mut map: A) -> Result<Vec<T>, A::Error> {
    match map.next_key::<de::IgnoredAny>()? {
        None => Ok(Vec::new()),
        Some(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &"a list")),
    }
}

impl<'de, C: Codec<T>, T> Visitor<'de> for SeqVisitor<C, T, true> {
    type Value = Vec<Option<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Option<T>>, A::Error> {
        let mut out = Vec::with_capacity(capacity(seq.size_hint()));
        while let Some(item) = seq.next_element_seed(OptDe::<C, T>::default())? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<Option<T>>, A::Error> {
        empty_object_as_list(map)
    }
}

impl<C: Codec<T>, T> Codec<Vec<T>> for Dense<C> {
    fn ser<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&Ser::<C, T>::new(item))?;
        }
        seq.end()
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(SeqVisitor::<C, T, false>(PhantomData))
    }
}

/// Writes `None` as JSON `null`.
struct SerOpt<'a, C, T>(&'a Option<T>, PhantomData<C>);

impl<C: Codec<T>, T> Serialize for SerOpt<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(v) => C::ser(v, serializer),
            None => serializer.serialize_unit(),
        }
    }
}

impl<C: Codec<T>, T> Codec<Vec<Option<T>>> for Sparse<C> {
    fn ser<S: Serializer>(value: &Vec<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&SerOpt::<C, T>(item, PhantomData))?;
        }
        seq.end()
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Option<T>>, D::Error> {
        deserializer.deserialize_any(SeqVisitor::<C, T, true>(PhantomData))
    }
}

struct MapVisitor<C, T, const SPARSE: bool>(PhantomData<(C, T)>);

impl<'de, C: Codec<T>, T> Visitor<'de> for MapVisitor<C, T, false> {
    type Value = HashMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = HashMap::with_capacity(capacity(map.size_hint()));
        while let Some(key) = map.next_key::<String>()? {
            if let Some(value) = map.next_value_seed(OptDe::<C, T>::default())? {
                out.insert(key, value);
            }
        }
        Ok(out)
    }
}

impl<'de, C: Codec<T>, T> Visitor<'de> for MapVisitor<C, T, true> {
    type Value = HashMap<String, Option<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = HashMap::with_capacity(capacity(map.size_hint()));
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(OptDe::<C, T>::default())?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// Writes map entries sorted by key, so output is deterministic.
fn ser_map<'a, S, K, V, F>(value: &'a HashMap<K, V>, serializer: S, f: F) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    K: AsRef<str> + Eq + Hash,
    F: Fn(&mut S::SerializeMap, &'a str, &'a V) -> Result<(), S::Error>,
{
    let mut entries: Vec<(&str, &V)> = value.iter().map(|(k, v)| (k.as_ref(), v)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        f(&mut map, k, v)?;
    }
    map.end()
}

impl<C: Codec<T>, T> Codec<HashMap<String, T>> for DenseMap<C> {
    fn ser<S: Serializer>(value: &HashMap<String, T>, serializer: S) -> Result<S::Ok, S::Error> {
        ser_map(value, serializer, |m, k, v| {
            m.serialize_entry(k, &Ser::<C, T>::new(v))
        })
    }

    fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<HashMap<String, T>, D::Error> {
        deserializer.deserialize_map(MapVisitor::<C, T, false>(PhantomData))
    }
}

impl<C: Codec<T>, T> Codec<HashMap<String, Option<T>>> for SparseMap<C> {
    fn ser<S: Serializer>(
        value: &HashMap<String, Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        ser_map(value, serializer, |m, k, v| {
            m.serialize_entry(k, &SerOpt::<C, T>(v, PhantomData))
        })
    }

    fn de<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<HashMap<String, Option<T>>, D::Error> {
        deserializer.deserialize_map(MapVisitor::<C, T, true>(PhantomData))
    }
}

/// Reads an object key and returns its index in a list of known member
/// names (`None` for a key the model does not know).
pub struct FieldKey(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|name| *name == v))
    }
}

/// A generated builder that can be filled from a JSON object, one member
/// at a time. [`de_struct`] drives it.
pub trait StructDe: Default {
    /// The shape's name, for error messages.
    const NAME: &'static str;
    /// The wire names of the members read from the body, by index.
    const FIELDS: &'static [&'static str];
    /// Reads the value of member `index` from `map`.
    fn field<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
}

/// Reads a JSON object into builder `B`, ignoring unknown members.
pub fn de_struct<'de, D: Deserializer<'de>, B: StructDe>(deserializer: D) -> Result<B, D::Error> {
    deserializer.deserialize_map(StructVisitor::<B>(PhantomData))
}

struct StructVisitor<B>(PhantomData<B>);

impl<'de, B: StructDe> Visitor<'de> for StructVisitor<B> {
    type Value = B;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", B::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<B, A::Error> {
        let mut builder = B::default();
        while let Some(index) = map.next_key_seed(FieldKey(B::FIELDS))? {
            match index {
                Some(index) => builder.field(index, &mut map)?,
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(builder)
    }
}

/// A generated union that can be read from a JSON object with one member set.
pub trait UnionDe: Sized {
    /// The shape's name, for error messages.
    const NAME: &'static str;
    /// The wire names of the variants, by index.
    const VARIANTS: &'static [&'static str];
    /// Reads variant `index`; `Ok(None)` when its value is null.
    fn variant<'de, A: MapAccess<'de>>(index: usize, map: &mut A)
        -> Result<Option<Self>, A::Error>;
    /// The value for a variant this model does not know.
    fn unknown(name: String) -> Self;
}

/// Reads a union: exactly one non-null member; `__type` and nulls are
/// ignored; an unknown member becomes the union's unknown variant.
pub fn de_union<'de, D: Deserializer<'de>, U: UnionDe>(deserializer: D) -> Result<U, D::Error> {
    deserializer.deserialize_map(UnionVisitor::<U>(PhantomData))
}

struct UnionVisitor<U>(PhantomData<U>);

impl<'de, U: UnionDe> Visitor<'de> for UnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} union object with one member set", U::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        let mut found: Option<U> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = match U::VARIANTS.iter().position(|v| *v == key) {
                Some(index) => U::variant(index, &mut map)?,
                None => {
                    let ignored = map.next_value::<Option<de::IgnoredAny>>()?;
                    match (key.as_ref(), ignored) {
                        ("__type", _) | (_, None) => None,
                        (_, Some(_)) => Some(U::unknown(key.into_owned())),
                    }
                }
            };
            if let Some(value) = value {
                if found.is_some() {
                    return Err(de::Error::custom(format_args!(
                        "{} union has more than one member set",
                        U::NAME
                    )));
                }
                found = Some(value);
            }
        }
        found.ok_or_else(|| de::Error::custom(format_args!("{} union has no member set", U::NAME)))
    }
}

/// Reads a string enum; values the model does not know are kept by `E`.
pub fn de_str_enum<'de, D, E>(deserializer: D) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
    E: for<'a> From<&'a str>,
{
    struct V<E>(PhantomData<E>);
    impl<E: for<'a> From<&'a str>> Visitor<'_> for V<E> {
        type Value = E;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> Result<E, Er> {
            Ok(E::from(v))
        }
    }
    deserializer.deserialize_str(V(PhantomData))
}

/// Writes `{}`: the value of a union member that targets `smithy.api#Unit`.
pub struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// The error returned when serializing a union's unknown variant, which
/// only exists to carry data received from a newer service.
pub fn unknown_variant<S: Serializer>(shape: &str) -> Result<S::Ok, S::Error> {
    Err(ser::Error::custom(format_args!(
        "cannot serialize the unknown variant of union {shape}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_json<C: Codec<T>, T>(v: &T) -> String {
        serde_json::to_string(&Ser::<C, T>::new(v)).unwrap()
    }

    fn from_json<C: Codec<T>, T>(s: &str) -> Result<T, serde_json::Error> {
        let mut d = serde_json::Deserializer::from_str(s);
        De::<C, T>::default().deserialize(&mut d)
    }

    #[test]
    fn floats() {
        assert_eq!(to_json::<Float, f64>(&f64::NAN), "\"NaN\"");
        assert_eq!(to_json::<Float, f64>(&f64::NEG_INFINITY), "\"-Infinity\"");
        assert_eq!(to_json::<Float, f32>(&1.5), "1.5");
        assert!(from_json::<Float, f64>("\"NaN\"").unwrap().is_nan());
        assert_eq!(from_json::<Float, f64>("3").unwrap(), 3.0);
        assert!(from_json::<Float, f64>("\"nan\"").is_err());
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(to_json::<Epoch, _>(&DateTime::from_secs(5)), "5");
        assert_eq!(to_json::<Epoch, _>(&DateTime::from_millis(-1500)), "-1.5");
        assert_eq!(
            from_json::<Epoch, DateTime>("1515531081.123").unwrap(),
            DateTime::from_millis(1_515_531_081_123)
        );
        assert!(from_json::<Epoch, DateTime>("\"5\"").is_err());
    }

    #[test]
    fn dense_and_sparse() {
        let dense = from_json::<Dense<Plain>, Vec<String>>(r#"["a",null,"b"]"#).unwrap();
        assert_eq!(dense, ["a", "b"]);
        let sparse = from_json::<Sparse<Plain>, Vec<Option<String>>>(r#"["a",null]"#).unwrap();
        assert_eq!(sparse, [Some("a".to_owned()), None]);
        assert_eq!(to_json::<Sparse<Plain>, _>(&sparse), r#"["a",null]"#);
        let map = from_json::<DenseMap<Float>, HashMap<String, f64>>(
            r#"{"b":1,"a":null,"c":"Infinity"}"#,
        )
        .unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(
            to_json::<DenseMap<Float>, _>(&map),
            r#"{"b":1.0,"c":"Infinity"}"#
        );
    }

    #[test]
    fn empty_objects_read_as_empty_lists() {
        assert!(from_json::<Dense<Plain>, Vec<String>>("{}")
            .unwrap()
            .is_empty());
        assert!(from_json::<Dense<Plain>, Vec<String>>(r#"{"a": 1}"#).is_err());
    }

    #[test]
    fn blobs() {
        assert_eq!(to_json::<Base64, _>(&Blob::from("hi")), "\"aGk=\"");
        assert_eq!(
            from_json::<Base64, Blob>("\"aGk=\"").unwrap(),
            Blob::from("hi")
        );
        assert!(from_json::<Base64, Blob>("\"*\"").is_err());
    }
}
