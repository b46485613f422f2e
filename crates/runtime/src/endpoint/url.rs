//! `parseURL`.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The parts of a URL, as `parseURL` gives them to rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, without `://`.
    pub scheme: String,
    /// Host and port as written (no user info).
    pub authority: String,
    /// The path as written: empty, or starting with `/`.
    pub path: String,
    /// The path, starting and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// `parseURL`: splits an `http` or `https` URL into its parts.
///
/// `None` for other schemes, an empty host, a port that is not a number,
/// a malformed IPv6 literal, and (as the specification requires) any URL
/// with a query string; also for a URL with a fragment, which cannot be an
/// endpoint either.
pub fn parse_url(s: &str) -> Option<Url> {
    let (scheme, rest) = s.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6.split_once(']')?;
        addr.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (authority, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty()
        || host
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        port.parse::<u16>().ok()?;
    }
    let is_ip = host.starts_with('[') || host.parse::<Ipv4Addr>().is_ok();
    let normalized_path = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Option<(String, String, String, String, bool)> {
        parse_url(s).map(|u| (u.scheme, u.authority, u.path, u.normalized_path, u.is_ip))
    }

    fn want(
        scheme: &str,
        authority: &str,
        path: &str,
        normalized: &str,
        is_ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((
            scheme.into(),
            authority.into(),
            path.into(),
            normalized.into(),
            is_ip,
        ))
    }

    #[test]
    fn valid_urls() {
        assert_eq!(
            parts("https://example.com"),
            want("https", "example.com", "", "/", false)
        );
        assert_eq!(
            parts("https://example.com/"),
            want("https", "example.com", "/", "/", false)
        );
        assert_eq!(
            parts("http://example.com:80/foo/bar"),
            want("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            parts("https://authority.com/custom-path"),
            want(
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        assert_eq!(
            parts("https://127.0.0.1"),
            want("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            parts("http://192.168.1.1:1234/foo/"),
            want("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            parts("https://[fe80::1]"),
            want("https", "[fe80::1]", "", "/", true)
        );
        assert_eq!(
            parts("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            want(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        // Host names are not validated, and dotted names are not IPs.
        assert_eq!(
            parts("http://99_ab-.com"),
            want("http", "99_ab-.com", "", "/", false)
        );
        assert_eq!(
            parts("https://999.999.abc.blah"),
            want("https", "999.999.abc.blah", "", "/", false)
        );
        assert_eq!(
            parts("https://user:pw@example.com/x"),
            want("https", "example.com", "/x", "/x/", false)
        );
    }

    #[test]
    fn invalid_urls() {
        for s in [
            "https://example.com:8443?foo=bar&faz=baz",
            "https://example.com/path?query1=foo",
            "https://example.com/#frag",
            "acbd://example.com",
            "example.com",
            "http://abc.com:a/foo",
            "http://abc.com:/foo",
            "http://abc.com:99999",
            "https://",
            "https://:443",
            "https://[fe80::1",
            "https://[not-an-ip]",
            "https://[fe80::1]x",
            "https://exa mple.com",
        ] {
            assert_eq!(parse_url(s), None, "{s}");
        }
    }
}
