//! Security: the spec's `securitySchemes` as the SDK's credentials, and what
//! each operation requires.

use super::*;

impl<'a> Lowering<'a> {
    pub(super) fn schemes(&mut self, overrides: &Overrides) -> Result<Vec<Scheme>> {
        let prefix = overrides
            .env_prefix
            .clone()
            .unwrap_or_else(|| naming::screaming(self.spec.info.title.split_whitespace().next().unwrap_or("API")));
        let mut setters = Scope::with_reserved(crate::contract::BUILDER_METHODS);
        let mut schemes = Vec::new();
        let all: BTreeMap<_, _> = self.spec.components.iter().flat_map(|c| &c.security_schemes).collect();
        for (name, scheme) in all {
            let pointer = push_pointer("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                return Err(Error::new(ErrorKind::Unsupported, pointer, "$ref security schemes are not supported"));
            };
            let (kind, doc) = match scheme {
                SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer, description)
                }
                SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description)
                }
                SecurityScheme::APIKey { location: APIKeyLocation::Header, name, description, .. } => {
                    (SchemeKind::Header(name.clone()), description)
                }
                SecurityScheme::APIKey { location: APIKeyLocation::Query, name, description, .. } => {
                    (SchemeKind::Query(name.clone()), description)
                }
                SecurityScheme::OAuth2 { description, .. } | SecurityScheme::OpenIDConnect { description, .. } => {
                    self.warn(
                        WarningKind::AuthAsBearer,
                        pointer,
                        "OAuth2/OpenID Connect: the client takes a ready access token",
                    );
                    (SchemeKind::Bearer, description)
                }
                _ => {
                    self.warn(
                        WarningKind::AuthUnsupported,
                        pointer,
                        "this security scheme is not supported and is ignored",
                    );
                    continue;
                }
            };
            schemes.push(Scheme {
                name: name.clone(),
                setter: setters.claim(naming::snake(name)),
                kind,
                env: overrides
                    .env
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| format!("{prefix}_{}", naming::screaming(name))),
                doc: doc.clone(),
            });
        }
        Ok(schemes)
    }

    /// The operation's alternatives of schemes. A scheme the document does
    /// not define gives no credential (a warning): it leaves its
    /// requirement, and a requirement left with no scheme is dropped (it
    /// did not say "no credential").
    pub(super) fn security(&mut self, op: &openapiv3::Operation, pointer: &str) -> Result<Vec<Vec<String>>> {
        // The operation's own requirements, else the document's.
        let (reqs, base) = match &op.security {
            Some(own) => (Some(own), push_pointer(pointer, "security")),
            None => (self.spec.security.as_ref(), "/security".to_string()),
        };
        let known = self.spec.components.as_ref().map(|c| &c.security_schemes);
        let mut out = Vec::new();
        for (i, req) in reqs.into_iter().flatten().enumerate() {
            let mut names = Vec::new();
            for name in req.keys() {
                if known.is_some_and(|k| k.contains_key(name)) {
                    names.push(name.clone());
                } else {
                    let at = push_pointer(&push_pointer(&base, &i.to_string()), name);
                    let message = format!("security scheme `{name}` is not defined in components.securitySchemes: no credential is sent for it");
                    self.warn(WarningKind::UndefinedScheme, at, message);
                }
            }
            if !names.is_empty() || req.is_empty() {
                out.push(names);
            }
        }
        Ok(out)
    }
}
