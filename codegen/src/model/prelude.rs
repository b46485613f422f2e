//! The `smithy.api` prelude: the shapes every model may target without
//! defining them, in the same JSON AST form models use.

pub(crate) const PRELUDE: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "smithy.api#String": { "type": "string" },
    "smithy.api#Blob": { "type": "blob" },
    "smithy.api#BigInteger": { "type": "bigInteger" },
    "smithy.api#BigDecimal": { "type": "bigDecimal" },
    "smithy.api#Timestamp": { "type": "timestamp" },
    "smithy.api#Document": { "type": "document" },
    "smithy.api#Boolean": { "type": "boolean" },
    "smithy.api#PrimitiveBoolean": { "type": "boolean", "traits": { "smithy.api#default": false } },
    "smithy.api#Byte": { "type": "byte" },
    "smithy.api#PrimitiveByte": { "type": "byte", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Short": { "type": "short" },
    "smithy.api#PrimitiveShort": { "type": "short", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Integer": { "type": "integer" },
    "smithy.api#PrimitiveInteger": { "type": "integer", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Long": { "type": "long" },
    "smithy.api#PrimitiveLong": { "type": "long", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Float": { "type": "float" },
    "smithy.api#PrimitiveFloat": { "type": "float", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Double": { "type": "double" },
    "smithy.api#PrimitiveDouble": { "type": "double", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Unit": { "type": "structure", "members": {}, "traits": { "smithy.api#unitType": {} } }
  }
}"#;

/// The file name errors in the prelude would carry.
pub(crate) const PRELUDE_FILE: &str = "<smithy.api prelude>";
