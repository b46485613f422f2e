//! Every naming rule in one place: splitting Smithy names into words,
//! snake_case and PascalCase, and escaping Rust keywords.

/// Splits a Smithy name into words.
///
/// A word ends at `_`, `-` or a space; before an uppercase letter that
/// follows a lowercase letter or a digit (`fooBar`, `EC2Instance`); and
/// before the last capital of an acronym that starts a new word
/// (`HTTPCode` -> `HTTP`, `Code`). Digits stay with the letters before
/// them, so `HTTPCode4XXCount` is `HTTP Code4 XX Count`.
pub fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `HTTPCode4XXCount` -> `http_code4_xx_count`.
pub fn snake_case(name: &str) -> String {
    split_words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `ResourceARNDetail` -> `ResourceArnDetail`, `TRACE_ID` -> `TraceId`.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::new();
    for word in split_words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// A Rust identifier for `name`: keywords become raw identifiers
/// (`type` -> `r#type`), or get a `_` suffix where Rust allows no raw form.
pub fn escape_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The part of an identifier after any `r#`, for building other names
/// (`set_type` from `r#type`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A type name for a shape: PascalCase, never a keyword.
pub fn type_name(shape_name: &str) -> String {
    let name = pascal_case(shape_name);
    if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// A field (and accessor) name for a member.
pub fn field_name(member_name: &str) -> String {
    let snake = snake_case(member_name);
    // Names the generated structs and builders already use for methods.
    match snake.as_str() {
        "build" | "builder" => format!("{snake}_value"),
        _ => escape_ident(&snake),
    }
}

/// A module name for an operation.
pub fn module_name(shape_name: &str) -> String {
    escape_ident(&snake_case(shape_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_matches_the_official_sdk() {
        for (input, want) in [
            ("HTTPCode4XXCount", "http_code4_xx_count"),
            ("HTTPCode5XXCount", "http_code5_xx_count"),
            ("EC2InstanceId", "ec2_instance_id"),
            ("ResourceARN", "resource_arn"),
            ("SegmentsReceivedCount", "segments_received_count"),
            ("BatchGetTraces", "batch_get_traces"),
            ("TRACE_ID", "trace_id"),
            ("S3Bucket", "s3_bucket"),
            ("x", "x"),
            ("already_snake", "already_snake"),
        ] {
            assert_eq!(snake_case(input), want, "{input}");
        }
    }

    #[test]
    fn pascal_matches_the_official_sdk() {
        for (input, want) in [
            ("ResourceARNDetail", "ResourceArnDetail"),
            ("EC2InstanceId", "Ec2InstanceId"),
            ("TelemetryRecord", "TelemetryRecord"),
            ("ACTIVE", "Active"),
            ("TRACE_ID", "TraceId"),
            ("PartialScan", "PartialScan"),
            ("2xx", "V2xx"),
        ] {
            assert_eq!(pascal_case(input), want, "{input}");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("Build"), "build_value");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(module_name("Match"), "r#match");
    }
}
