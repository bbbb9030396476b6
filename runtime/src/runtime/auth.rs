// Credentials made into the header (or query parameter) each request carries.

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};

use super::error::{header_name, Error};
use super::secrets::Secret;
use super::spec::{ApiSpec, SchemeKind, SecurityScheme};

/// A configured credential, with its header made once (marked sensitive, so that it is
/// never printed or logged).
pub(crate) struct Credential {
    pub(crate) secret: Secret,
    pub(crate) header: Option<(HeaderName, HeaderValue)>,
}

impl Credential {
    pub(crate) fn new(scheme: &SecurityScheme, secret: Secret) -> Result<Credential, Error> {
        let value = match scheme.kind {
            SchemeKind::Bearer => format!("Bearer {}", secret.expose()),
            SchemeKind::Basic => format!("Basic {}", base64(secret.expose().as_bytes())),
            SchemeKind::Header(_) => secret.expose().to_owned(),
            SchemeKind::Query(_) => return Ok(Credential { secret, header: None }),
        };
        let name = match scheme.kind {
            SchemeKind::Header(name) => header_name(name)?,
            _ => AUTHORIZATION,
        };
        let mut value = HeaderValue::from_str(&value)
            .map_err(|_| Error::InvalidRequest(format!("credential `{}` is not a valid header value", scheme.name)))?;
        value.set_sensitive(true);
        Ok(Credential { secret, header: Some((name, value)) })
    }
}

pub(crate) fn scheme_index(spec: &ApiSpec, name: &str) -> Option<usize> {
    spec.schemes.iter().position(|s| s.name == name)
}

/// Standard base64 with padding (RFC 4648), for HTTP Basic credentials.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            let c = if i <= chunk.len() { ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' };
            out.push(c);
        }
    }
    out
}
