//! `aws.parseArn`.

/// The parts of an Amazon Resource Name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    /// `aws`, `aws-cn`, ...; never empty.
    pub partition: String,
    /// The service namespace; never empty.
    pub service: String,
    /// The region; empty for global resources.
    pub region: String,
    /// The account; empty when the resource has none.
    pub account_id: String,
    /// The resource part, split at every `:` and `/`; never empty.
    pub resource_id: Vec<String>,
}

/// `aws.parseArn`: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, with a
/// non-empty partition, service and resource. `None` otherwise.
pub fn parse_arn(s: &str) -> Option<Arn> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(s: &str) -> Option<(String, String, String, String, Vec<String>)> {
        parse_arn(s).map(|a| {
            (
                a.partition,
                a.service,
                a.region,
                a.account_id,
                a.resource_id,
            )
        })
    }

    fn parts(
        p: &str,
        s: &str,
        r: &str,
        a: &str,
        res: &[&str],
    ) -> Option<(String, String, String, String, Vec<String>)> {
        Some((
            p.into(),
            s.into(),
            r.into(),
            a.into(),
            res.iter().map(|x| (*x).to_owned()).collect(),
        ))
    }

    #[test]
    fn valid_arns() {
        assert_eq!(
            arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name"),
            parts(
                "aws",
                "sns",
                "us-west-2",
                "012345678910",
                &["example-sns-topic-name"]
            )
        );
        assert_eq!(
            arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE"),
            parts(
                "aws",
                "ec2",
                "us-east-1",
                "012345678910",
                &["vpc", "vpc-0e9801d129EXAMPLE"]
            )
        );
        assert_eq!(
            arn("arn:aws:iam::012345678910:user/johndoe"),
            parts("aws", "iam", "", "012345678910", &["user", "johndoe"])
        );
        assert_eq!(
            arn("arn:aws:s3:::bucket_name"),
            parts("aws", "s3", "", "", &["bucket_name"])
        );
        assert_eq!(
            arn("arn:aws:s3:us-east-1:123456789012:resource-id/resource-1:resource-2"),
            parts(
                "aws",
                "s3",
                "us-east-1",
                "123456789012",
                &["resource-id", "resource-1", "resource-2"]
            )
        );
        // Trailing separators give empty resource parts.
        assert_eq!(
            arn("arn:aws:s3:us-east-2:012345678:outpost:"),
            parts("aws", "s3", "us-east-2", "012345678", &["outpost", ""])
        );
        assert_eq!(
            arn("arn:aws:s3:us-east-2:012345678:outpost::"),
            parts("aws", "s3", "us-east-2", "012345678", &["outpost", "", ""])
        );
        assert_eq!(
            arn("arn:aws:s3:us-east-1:abcd:resource-id"),
            parts("aws", "s3", "us-east-1", "abcd", &["resource-id"])
        );
    }

    #[test]
    fn invalid_arns() {
        for s in [
            "11111111-2222-3333-4444-555555555555",
            "asdf",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn:aws::us-west-2:123456789012:resource-id",
            "arn::s3:us-west-2:123456789012:resource-id",
            "arn:aws:s3:us-west-2",
            "urn:aws:s3:us-west-2:123456789012:x",
        ] {
            assert_eq!(parse_arn(s), None, "{s}");
        }
    }
}
