//! Responses: the success type, server-sent events, documented errors and
//! `Link` headers.

use super::*;

impl<'a> Lowering<'a> {
    pub(super) fn response(&mut self, op: &openapiv3::Operation, pointer: &str, hint: &str) -> Result<Response> {
        let Some((code, response)) = success_response(&op.responses) else { return Ok(Response::Empty) };
        let at = push_pointer(pointer, &code.to_string());
        let (response, at) = local(response, "responses", self.spec.components.as_ref().map(|c| &c.responses), &at)?;
        let content_pointer = push_pointer(&at, "content");
        let Some((media, content)) = pick_media(&response.content) else {
            return Ok(if response.content.is_empty() {
                Response::Empty
            } else {
                Response::Bytes { accept: response.content.keys().cloned().collect::<Vec<_>>().join(", ") }
            });
        };
        let Some(schema) = &content.schema else {
            return Ok(Response::Json { ty: TypeRef::Value, enveloped: false, optional: false });
        };
        let norm = Norm::from_ref_or(schema, &push_pointer(&push_pointer(&content_pointer, media), "schema"))?;
        let flat = self.types.resolve(&norm)?;
        if let Kind::Object(obj) = &flat.kind {
            let has = |k: &str| obj.properties.contains_key(k);
            if has("result") && has("success") && has("errors") {
                let result = &obj.properties["result"];
                let ty = self.types.type_of(result, &format!("{hint}Result"))?;
                let optional = self.types.nullable(result) || !obj.required.iter().any(|r| r == "result");
                return Ok(Response::Json { ty, enveloped: true, optional });
            }
        }
        let ty = self.types.type_of(&norm, &format!("{hint}Response"))?;
        Ok(Response::Json { ty, enveloped: false, optional: flat.nullable })
    }

    /// Whether the success response declares a `Link` header (`rel="next"` pages).
    pub(super) fn declares_link(&self, op: &openapiv3::Operation, pointer: &str) -> Result<bool> {
        let Some((code, response)) = success_response(&op.responses) else { return Ok(false) };
        let at = push_pointer(pointer, &code.to_string());
        let (response, _) = local(response, "responses", self.spec.components.as_ref().map(|c| &c.responses), &at)?;
        Ok(response.headers.keys().any(|name| name.eq_ignore_ascii_case("link")))
    }

    /// The type of the events of a `text/event-stream` success response (an
    /// inline one named `<hint>Event`), when it has one with a schema.
    pub(super) fn events(&mut self, op: &openapiv3::Operation, pointer: &str, hint: &str) -> Result<Option<TypeRef>> {
        let Some((code, response)) = success_response(&op.responses) else { return Ok(None) };
        let at = push_pointer(pointer, &code.to_string());
        let (response, at) = local(response, "responses", self.spec.components.as_ref().map(|c| &c.responses), &at)?;
        let stream = response
            .content
            .iter()
            .find(|(media, _)| media.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("text/event-stream"));
        let Some((media, MediaType { schema: Some(schema), .. })) = stream else { return Ok(None) };
        let pointer = push_pointer(&push_pointer(&push_pointer(&at, "content"), media), "schema");
        let norm = Norm::from_ref_or(schema, &pointer)?;
        Ok(Some(self.types.type_of(&norm, &format!("{hint}Event"))?))
    }

    /// The error responses (`4XX`, `404`, `default`, …) with a JSON body
    /// schema, in spec order, each body a type (an inline one named
    /// `<hint>Error<status>`).
    pub(super) fn errors(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        hint: &str,
    ) -> Result<Vec<ErrorResponse>> {
        let codes = op.responses.responses.iter().filter_map(|(code, r)| match code {
            StatusCode::Code(c @ 400..=599) => Some((c.to_string(), r)),
            StatusCode::Range(n @ 4..=5) => Some((format!("{n}XX"), r)),
            _ => None,
        });
        let mut errors = Vec::new();
        for (status, response) in codes.chain(op.responses.default.iter().map(|r| ("default".to_string(), r))) {
            let at = push_pointer(pointer, &status);
            // An error response is secondary: one that cannot be read is left untyped.
            let responses = self.spec.components.as_ref().map(|c| &c.responses);
            let (response, at) = match local(response, "responses", responses, &at) {
                Ok(found) => found,
                Err(e) => {
                    self.warn(
                        WarningKind::ErrorResponseUnread,
                        e.pointer.clone(),
                        format!("{}: left untyped", e.message),
                    );
                    continue;
                }
            };
            let Some((media, content)) = pick_media(&response.content) else { continue };
            let Some(schema) = &content.schema else { continue };
            let at = push_pointer(&push_pointer(&push_pointer(&at, "content"), media), "schema");
            let norm = Norm::from_ref_or(schema, &at)?;
            let suffix = if status == "default" { String::new() } else { status.to_ascii_lowercase() };
            let ty = self.types.type_of(&norm, &format!("{hint}Error{suffix}"))?;
            let doc = Some(response.description.trim()).filter(|d| !d.is_empty()).map(str::to_string);
            errors.push(ErrorResponse { status, ty, doc });
        }
        Ok(errors)
    }
}

/// The success response a method returns: the lowest exact 2xx code, else `2XX`.
pub(crate) fn success_response(
    responses: &openapiv3::Responses,
) -> Option<(&StatusCode, &ReferenceOr<openapiv3::Response>)> {
    responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c @ 200..=299) => Some((*c, (code, r))),
            StatusCode::Range(2) => Some((299, (code, r))),
            _ => None,
        })
        .min_by_key(|(order, _)| *order)
        .map(|(_, found)| found)
}
