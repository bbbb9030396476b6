// Credentials, and the headers that may carry one: never shown by a `Debug`.

use std::borrow::Cow;
use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::spec::{SchemeKind, SecurityScheme};

/// A credential. Its `Debug` and `Display` output is always `[redacted]`, and its memory is
/// overwritten with zeros when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Returns the credential in clear text. Take care not to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Whether the header `name` may carry a secret, so that its value is never shown: by the
/// `Debug` of [`Response`](super::Response) and [`ApiError`](super::ApiError), nor by a request's (a middleware's `Debug` of a
/// `reqwest::Request` shows `Sensitive`). The credential headers (`Authorization`,
/// `Proxy-Authorization`), cookies (`Cookie`, `Set-Cookie`), authentication challenges, and
/// a name with a word of a credential in it (`X-API-Key`, `X-Auth-Token`,
/// `X-Amz-Security-Token`, `X-CSRF-Token`, `X-Shop-Pin`, `X-Session-Id`, `X-Hub-Signature`,
/// `Ocp-Apim-Subscription-Key`; not `Idempotency-Key`). The headers of the API's security
/// schemes are hidden too, whatever their names: the client marks them sensitive in every
/// request and response, with the others.
pub fn secret_header(name: &str) -> bool {
    const SECRET: [&str; 6] =
        ["authorization", "proxy-authorization", "cookie", "set-cookie", "www-authenticate", "proxy-authenticate"];
    /// Words of a header name that say it carries a credential.
    const WORDS: [&str; 17] = [
        "auth",
        "authorization",
        "token",
        "secret",
        "password",
        "passwd",
        "pin",
        "session",
        "sessionid",
        "cookie",
        "credential",
        "credentials",
        "signature",
        "key",
        "apikey",
        "csrf",
        "xsrf",
    ];
    // Header names are lowercase: only another spelling is copied.
    let name: Cow<'_, str> = match name.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(name.to_ascii_lowercase()),
        false => Cow::Borrowed(name),
    };
    if SECRET.contains(&name.as_ref()) {
        return true;
    }
    name != "idempotency-key"
        && name
            .split(['-', '_'])
            .any(|word| WORDS.contains(&word) || word.ends_with("token") || word.ends_with("secret"))
}

/// Marks sensitive the values of the headers that may carry a secret (by [`secret_header`],
/// or those of the API's security schemes), so that no `Debug` shows them.
pub(crate) fn mark_secrets<'a>(
    headers: impl Iterator<Item = (&'a HeaderName, &'a mut HeaderValue)>,
    schemes: &[SecurityScheme],
) {
    for (name, value) in headers {
        let scheme =
            || schemes.iter().any(|s| matches!(s.kind, SchemeKind::Header(h) if h.eq_ignore_ascii_case(name.as_str())));
        if !value.is_sensitive() && (secret_header(name.as_str()) || scheme()) {
            value.set_sensitive(true);
        }
    }
}

/// Headers as `Debug` shows them: secrets (by name, or marked sensitive) `[redacted]`, bytes
/// that are not text `[binary]`.
pub(crate) struct ShownHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.iter().map(|(name, value)| {
            let text = if value.is_sensitive() || secret_header(name.as_str()) {
                "[redacted]"
            } else {
                value.to_str().unwrap_or("[binary]")
            };
            (name.as_str(), text)
        });
        f.debug_list().entries(shown).finish()
    }
}
