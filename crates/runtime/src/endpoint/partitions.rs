//! `aws.partition` and the AWS partitions table.
//!
//! The table holds the facts of the Smithy `partitions.json` that the
//! X-Ray model's endpoint tests were generated with (version 1.1): each
//! partition's outputs, its region pattern and its explicitly listed
//! regions (none of which overrides an output today).

/// What `aws.partition` gives rules about a region's partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub name: &'static str,
    /// The DNS suffix of regional endpoints.
    pub dns_suffix: &'static str,
    /// The DNS suffix of dual-stack (IPv4 and IPv6) endpoints.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    /// The region that global endpoints of the partition live in.
    pub implicit_global_region: &'static str,
}

/// A region whose outputs differ from its partition's.
struct RegionOverride {
    region: &'static str,
    dns_suffix: Option<&'static str>,
    dual_stack_dns_suffix: Option<&'static str>,
    supports_fips: Option<bool>,
    supports_dual_stack: Option<bool>,
    implicit_global_region: Option<&'static str>,
}

struct PartitionEntry {
    outputs: Partition,
    /// Matches the partition's region names (a small regex subset: see
    /// [`regex_matches`]).
    region_regex: &'static str,
    /// Regions listed by name; they belong to this partition whatever the
    /// patterns say.
    regions: &'static [&'static str],
    overrides: &'static [RegionOverride],
}

const fn outputs(
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    supports_dual_stack: bool,
    implicit_global_region: &'static str,
) -> Partition {
    Partition {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
        supports_fips: true,
        supports_dual_stack,
        implicit_global_region,
    }
}

/// In lookup order; the first one is the fallback for unknown regions.
const PARTITIONS: &[PartitionEntry] = &[
    PartitionEntry {
        outputs: outputs("aws", "amazonaws.com", "api.aws", true, "us-east-1"),
        region_regex: r"^(us|eu|ap|sa|ca|me|af)-\w+-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ca-central-1",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "me-central-1",
            "me-south-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "aws-global",
        ],
        overrides: &[],
    },
    PartitionEntry {
        outputs: outputs(
            "aws-us-gov",
            "amazonaws.com",
            "api.aws",
            true,
            "us-gov-west-1",
        ),
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["us-gov-west-1", "us-gov-east-1", "aws-us-gov-global"],
        overrides: &[],
    },
    PartitionEntry {
        outputs: outputs(
            "aws-cn",
            "amazonaws.com.cn",
            "api.amazonwebservices.com.cn",
            true,
            "cn-northwest-1",
        ),
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["cn-north-1", "cn-northwest-1", "aws-cn-global"],
        overrides: &[],
    },
    PartitionEntry {
        outputs: outputs(
            "aws-iso",
            "c2s.ic.gov",
            "c2s.ic.gov",
            false,
            "us-iso-east-1",
        ),
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["us-iso-east-1", "us-iso-west-1", "aws-iso-global"],
        overrides: &[],
    },
    PartitionEntry {
        outputs: outputs(
            "aws-iso-b",
            "sc2s.sgov.gov",
            "sc2s.sgov.gov",
            false,
            "us-isob-east-1",
        ),
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["us-isob-east-1", "aws-iso-b-global"],
        overrides: &[],
    },
    PartitionEntry {
        outputs: outputs(
            "aws-iso-e",
            "cloud.adc-e.uk",
            "cloud.adc-e.uk",
            false,
            "eu-isoe-west-1",
        ),
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &[],
        overrides: &[],
    },
    PartitionEntry {
        outputs: outputs(
            "aws-iso-f",
            "csp.hci.ic.gov",
            "csp.hci.ic.gov",
            false,
            "us-isof-south-1",
        ),
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &[],
        overrides: &[],
    },
];

/// `aws.partition`: the partition of `region`.
///
/// A region listed by name wins (with its overrides, if any); then the
/// first partition whose region pattern matches; otherwise, as in the
/// reference implementation, the `aws` partition (so a region this table
/// does not know yet still resolves).
pub fn partition(region: &str) -> Option<Partition> {
    for p in PARTITIONS {
        if let Some(o) = p.overrides.iter().find(|o| o.region == region) {
            let base = p.outputs;
            return Some(Partition {
                dns_suffix: o.dns_suffix.unwrap_or(base.dns_suffix),
                dual_stack_dns_suffix: o
                    .dual_stack_dns_suffix
                    .unwrap_or(base.dual_stack_dns_suffix),
                supports_fips: o.supports_fips.unwrap_or(base.supports_fips),
                supports_dual_stack: o.supports_dual_stack.unwrap_or(base.supports_dual_stack),
                implicit_global_region: o
                    .implicit_global_region
                    .unwrap_or(base.implicit_global_region),
                ..base
            });
        }
        if p.regions.contains(&region) {
            return Some(p.outputs);
        }
    }
    PARTITIONS
        .iter()
        .find(|p| regex_matches(p.region_regex, region))
        .or(PARTITIONS.first())
        .map(|p| p.outputs)
}

/// Matches `s` against a regex of the subset the partitions table uses:
/// `^` and `$` anchors, literal characters, `\`-escapes, the classes `\w`
/// and `\d`, `+` after a character or class, and groups of alternatives
/// `(a|b)` (not repeated, not nested). ASCII only, like the table.
fn regex_matches(re: &str, s: &str) -> bool {
    let (re, s) = (re.as_bytes(), s.as_bytes());
    match re.strip_prefix(b"^") {
        Some(re) => match_here(re, s),
        None => (0..=s.len()).any(|i| match_here(re, &s[i..])),
    }
}

fn match_here(re: &[u8], s: &[u8]) -> bool {
    match re {
        [] => true,
        [b'$'] => s.is_empty(),
        [b'(', body @ ..] => {
            let Some(close) = body.iter().position(|&c| c == b')') else {
                return false;
            };
            let rest = &body[close + 1..];
            body[..close].split(|&c| c == b'|').any(|alt| {
                let mut seq = alt.to_vec();
                seq.extend_from_slice(rest);
                match_here(&seq, s)
            })
        }
        _ => {
            let len = if re[0] == b'\\' && re.len() > 1 { 2 } else { 1 };
            let (atom, rest) = re.split_at(len);
            if let [b'+', rest @ ..] = rest {
                let max = s.iter().take_while(|&&c| atom_matches(atom, c)).count();
                (1..=max).rev().any(|n| match_here(rest, &s[n..]))
            } else {
                s.first().is_some_and(|&c| atom_matches(atom, c)) && match_here(rest, &s[1..])
            }
        }
    }
}

fn atom_matches(atom: &[u8], c: u8) -> bool {
    match atom {
        [b'\\', b'w'] => c.is_ascii_alphanumeric() || c == b'_',
        [b'\\', b'd'] => c.is_ascii_digit(),
        [b'\\', lit] | [lit] => c == *lit,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(region: &str) -> &'static str {
        partition(region).map_or("none", |p| p.name)
    }

    #[test]
    fn regions_resolve_to_their_partition() {
        for (region, want) in [
            ("us-east-1", "aws"),
            ("us-east-10", "aws"),
            ("eu-central-2", "aws"),
            ("aws-global", "aws"),
            ("mars-global", "aws"),
            ("", "aws"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-gov-east-7", "aws-us-gov"),
            ("aws-us-gov-global", "aws-us-gov"),
            ("cn-north-1", "aws-cn"),
            ("cn-north-5", "aws-cn"),
            ("aws-cn-global", "aws-cn"),
            ("us-iso-east-1", "aws-iso"),
            ("us-iso-south-2", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("us-isob-west-3", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
        ] {
            assert_eq!(name(region), want, "{region}");
        }
        let cn = partition("cn-north-1").unwrap();
        assert_eq!(cn.dns_suffix, "amazonaws.com.cn");
        assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
        assert_eq!(cn.implicit_global_region, "cn-northwest-1");
        let iso = partition("us-iso-east-1").unwrap();
        assert!(iso.supports_fips && !iso.supports_dual_stack);
    }

    #[test]
    fn the_regex_subset() {
        let aws = r"^(us|eu|ap|sa|ca|me|af)-\w+-\d+$";
        assert!(regex_matches(aws, "us-east-1"));
        assert!(regex_matches(aws, "af-south_x-12"));
        assert!(!regex_matches(aws, "us-gov-west-1"));
        assert!(!regex_matches(aws, "us-east-1a"));
        assert!(!regex_matches(aws, "xus-east-1"));
        assert!(!regex_matches(aws, "us-east-"));
        assert!(!regex_matches(aws, "us--1"));
        assert!(regex_matches(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1"));
        assert!(!regex_matches(r"^us\-gov\-\w+\-\d+$", "us-gov-west-x"));
        assert!(regex_matches(r"b\d+", "ab12c"));
        assert!(!regex_matches(r"^a(b|c)$", "ad"));
        assert!(regex_matches(r"^a(b|c)d+$", "acdd"));
    }

    /// Checks the table against the official `partitions.json`, when the
    /// shared conformance material sits next to the workspace.
    #[test]
    fn matches_the_official_table() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/partitions/partitions.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {} is absent", path.display());
            return;
        };
        let json: serde_json::Value = serde_json::from_str(&text).expect("partitions.json is JSON");
        let official = json["partitions"].as_array().expect("a partitions array");
        assert_eq!(official.len(), PARTITIONS.len());
        for (theirs, ours) in official.iter().zip(PARTITIONS) {
            let o = &theirs["outputs"];
            let p = ours.outputs;
            assert_eq!(theirs["id"], p.name);
            assert_eq!(o["name"], p.name);
            assert_eq!(o["dnsSuffix"], p.dns_suffix);
            assert_eq!(o["dualStackDnsSuffix"], p.dual_stack_dns_suffix);
            assert_eq!(o["supportsFIPS"], p.supports_fips);
            assert_eq!(o["supportsDualStack"], p.supports_dual_stack);
            assert_eq!(o["implicitGlobalRegion"], p.implicit_global_region);
            assert_eq!(theirs["regionRegex"], ours.region_regex);
            let regions = theirs["regions"].as_object().expect("a regions object");
            let mut names: Vec<&str> = regions.keys().map(String::as_str).collect();
            let mut our_names = ours.regions.to_vec();
            names.sort_unstable();
            our_names.sort_unstable();
            assert_eq!(names, our_names, "regions of {}", p.name);
            for (region, overrides) in regions {
                assert!(
                    overrides.as_object().is_some_and(|m| m.is_empty()),
                    "{region} overrides outputs; add it to `overrides`"
                );
                assert_eq!(partition(region), Some(p), "{region}");
            }
        }
    }
}
