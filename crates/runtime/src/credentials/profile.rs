//! Static keys (and the region) from the shared `config` and `credentials`
//! files.
//!
//! The profile is `AWS_PROFILE` or `default`. The files are
//! `AWS_CONFIG_FILE` (default `~/.aws/config`) and
//! `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`). In the
//! config file a profile is `[profile name]`, except `[default]`; in the
//! credentials file it is `[name]`. Values in the credentials file win over
//! the config file's. Only static keys are supported: a profile that assumes
//! a role, runs a process or uses SSO is reported as such.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Credentials, CredentialsError, Env, ProvideCredentials, ProvideFuture};

const PROVIDER: &str = "profile";

/// Profile settings that name a credential source this provider does not
/// implement.
const UNSUPPORTED: &[&str] = &[
    "role_arn",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
    "credential_source",
];

/// Static keys from a profile of the shared files.
#[derive(Clone, Debug, Default)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    config_file: Option<PathBuf>,
    credentials_file: Option<PathBuf>,
}

impl ProfileProvider {
    /// Reads the process environment for the profile name and file paths.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead (tests).
    pub fn with_env(env: Env) -> Self {
        Self {
            env,
            ..Self::default()
        }
    }

    /// Uses this profile whatever `AWS_PROFILE` says.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Reads this config file whatever `AWS_CONFIG_FILE` says.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// Reads this credentials file whatever `AWS_SHARED_CREDENTIALS_FILE`
    /// says.
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// The profile's credentials, read from the files now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let profile = self.load_profile()?;
        let name = &profile.name;
        let id = profile.get("aws_access_key_id");
        let secret = profile.get("aws_secret_access_key");
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(Credentials::new(
                id,
                secret,
                profile.get("aws_session_token").map(str::to_owned),
                None,
            )),
            (Some(_), None) => Err(CredentialsError::invalid_configuration(
                PROVIDER,
                format!("profile `{name}` has aws_access_key_id but no aws_secret_access_key"),
            )),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration(
                PROVIDER,
                format!("profile `{name}` has aws_secret_access_key but no aws_access_key_id"),
            )),
            (None, None) => match UNSUPPORTED.iter().find(|k| profile.get(k).is_some()) {
                Some(key) => Err(CredentialsError::invalid_configuration(
                    PROVIDER,
                    format!(
                        "profile `{name}` uses `{key}`, which is not supported \
                         (static keys only)"
                    ),
                )),
                None => Err(CredentialsError::not_loaded(
                    PROVIDER,
                    format!("profile `{name}` has no aws_access_key_id"),
                )),
            },
        }
    }

    /// The region the profile names, if any.
    pub fn region(&self) -> Option<String> {
        self.load_profile()
            .ok()
            .and_then(|p| p.get("region").map(str::to_owned))
    }

    fn load_profile(&self) -> Result<Profile, CredentialsError> {
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.get("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let config_path = self
            .config_file
            .clone()
            .or_else(|| file_path(&self.env, "AWS_CONFIG_FILE", "config"));
        let credentials_path = self
            .credentials_file
            .clone()
            .or_else(|| file_path(&self.env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"));

        let config = read_optional(config_path.as_deref())?;
        let credentials = read_optional(credentials_path.as_deref())?;
        let shown = |p: &Option<PathBuf>| match p {
            Some(p) => p.display().to_string(),
            None => "(no home directory)".to_owned(),
        };
        if config.is_none() && credentials.is_none() {
            return Err(CredentialsError::not_loaded(
                PROVIDER,
                format!(
                    "no shared config file ({}) or credentials file ({})",
                    shown(&config_path),
                    shown(&credentials_path)
                ),
            ));
        }
        let mut properties: Option<HashMap<String, String>> = None;
        if let Some(text) = config {
            if let Some(props) = parse(&text, FileKind::Config).remove(&name) {
                properties.get_or_insert_with(HashMap::new).extend(props);
            }
        }
        if let Some(text) = credentials {
            if let Some(props) = parse(&text, FileKind::Credentials).remove(&name) {
                properties.get_or_insert_with(HashMap::new).extend(props);
            }
        }
        match properties {
            Some(properties) => Ok(Profile { name, properties }),
            None => Err(CredentialsError::not_loaded(
                PROVIDER,
                format!(
                    "profile `{name}` is in neither {} nor {}",
                    shown(&config_path),
                    shown(&credentials_path)
                ),
            )),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// The `region` of the profile `AWS_PROFILE` names (or `default`) in the
/// shared files `env` points to; `None` when unset or unreadable.
pub fn profile_region(env: &Env) -> Option<String> {
    ProfileProvider::with_env(env.clone()).region()
}

struct Profile {
    name: String,
    properties: HashMap<String, String>,
}

impl Profile {
    fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The variable's path, else `~/.aws/<default_name>`; a leading `~` is the
/// home directory.
fn file_path(env: &Env, variable: &str, default_name: &str) -> Option<PathBuf> {
    match env.get(variable) {
        Some(path) => {
            if path == "~" {
                return env.home().map(PathBuf::from);
            }
            match path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
                Some(rest) => env.home().map(|home| Path::new(&home).join(rest)),
                None => Some(PathBuf::from(path)),
            }
        }
        None => env
            .home()
            .map(|home| Path::new(&home).join(".aws").join(default_name)),
    }
}

/// The file's text; `None` when there is no path or no file.
fn read_optional(path: Option<&Path>) -> Result<Option<String>, CredentialsError> {
    let Some(path) = path else {
        return Ok(None);
    };
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::invalid_configuration(
            PROVIDER,
            format!("cannot read {}: {e}", path.display()),
        )),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

/// Profiles of one file: name to properties (keys lowercase). Sections that
/// are not profiles of this kind of file are skipped, and so are indented
/// sub-properties and continuation lines.
fn parse(text: &str, kind: FileKind) -> HashMap<String, HashMap<String, String>> {
    let mut profiles: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            current = rest
                .split_once(']')
                .and_then(|(section, _)| profile_name(section.trim(), kind));
            if let Some(name) = &current {
                profiles.entry(name.clone()).or_default();
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue; // a sub-property or a continuation line
        }
        let (Some(name), Some((key, value))) = (&current, trimmed.split_once('=')) else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            continue;
        }
        profiles
            .entry(name.clone())
            .or_default()
            .insert(key, strip_comment(value.trim()).to_owned());
    }
    profiles
}

fn profile_name(section: &str, kind: FileKind) -> Option<String> {
    match kind {
        FileKind::Credentials => {
            (!section.is_empty() && !section.starts_with("profile ")).then(|| section.to_owned())
        }
        FileKind::Config => {
            if section == "default" {
                return Some("default".to_owned());
            }
            let rest = section.strip_prefix("profile")?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then(|| name.to_owned())
        }
    }
}

/// Drops an inline comment: `#` or `;` after whitespace.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if matches!(bytes[i], b'#' | b';') && matches!(bytes[i - 1], b' ' | b'\t') {
            return value[..i].trim_end();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_sections_need_the_profile_prefix() {
        let text = "\
# comment
[default]
region = us-west-2
aws_access_key_id = AKID_DEFAULT ; inline comment
[profile dev]
Region=eu-west-1
s3 =
  max_concurrent_requests = 10
aws_secret_access_key = a/b+c#d
[prod]
region = ap-south-1
[profile   spaced  ]
region = x
[sso-session corp]
sso_region = us-east-1
";
        let p = parse(text, FileKind::Config);
        assert_eq!(p["default"]["region"], "us-west-2");
        assert_eq!(p["default"]["aws_access_key_id"], "AKID_DEFAULT");
        assert_eq!(p["dev"]["region"], "eu-west-1");
        assert_eq!(p["dev"]["s3"], "");
        assert!(!p["dev"].contains_key("max_concurrent_requests"));
        assert_eq!(p["dev"]["aws_secret_access_key"], "a/b+c#d");
        assert!(!p.contains_key("prod"));
        assert_eq!(p["spaced"]["region"], "x");
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn credentials_sections_have_no_prefix() {
        let text = "[default]\naws_access_key_id=A\n[profile dev]\naws_access_key_id=B\n[dev]\naws_access_key_id=C\n";
        let p = parse(text, FileKind::Credentials);
        assert_eq!(p["default"]["aws_access_key_id"], "A");
        assert_eq!(p["dev"]["aws_access_key_id"], "C");
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn paths_expand_the_home_directory() {
        let env = Env::from_vars([("HOME", "/home/me"), ("AWS_CONFIG_FILE", "~/cfg")]);
        assert_eq!(
            file_path(&env, "AWS_CONFIG_FILE", "config"),
            Some(PathBuf::from("/home/me/cfg"))
        );
        assert_eq!(
            file_path(&env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            Some(PathBuf::from("/home/me/.aws/credentials"))
        );
        assert_eq!(
            file_path(&Env::from_vars([("A", "b")]), "X", "config"),
            None
        );
    }
}
