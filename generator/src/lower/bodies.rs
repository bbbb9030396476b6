//! Request bodies: JSON, form, multipart and raw bodies, and which media type
//! of several is used.

use super::*;

impl<'a> Lowering<'a> {
    pub(super) fn body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        hint: &str,
    ) -> Result<Option<Body>> {
        let (body, pointer) =
            local(body, "requestBodies", self.spec.components.as_ref().map(|c| &c.request_bodies), pointer)?;
        let content_pointer = push_pointer(&pointer, "content");
        // A body whose every schema admits only `{}` can carry nothing: no body. But a
        // required JSON body is still sent, as `{}`: a server may insist on one.
        let schemas = || body.content.values().map(|m| m.schema.as_ref());
        let required_json = body.required && pick_media(&body.content).is_some();
        if !body.content.is_empty()
            && !required_json
            && schemas().all(|s| s.is_some_and(|s| admits_only_empty_object(self.spec, s)))
        {
            return Ok(None);
        }
        // JSON when offered (several media types are common); else a
        // URL-encoded form (unless it would carry bytes); else multipart.
        let urlencoded = body.content.iter().find(|(m, _)| m.starts_with("application/x-www-form-urlencoded"));
        if let (None, Some((media, content))) = (pick_media(&body.content), urlencoded) {
            if let Some(fields) = self.form_fields(content, &push_pointer(&content_pointer, media), hint)? {
                if fields.iter().all(|f| !matches!(f.ty, TypeRef::Bytes)) {
                    let styles = fields.iter().map(|f| form_encoding(content, &f.wire)).collect();
                    return Ok(Some(Body::UrlEncoded { fields, styles }));
                }
            }
        }
        let multipart = body.content.iter().find(|(m, _)| m.starts_with("multipart/form-data"));
        if let (None, Some((media, content))) = (pick_media(&body.content), multipart) {
            if let Some(mut fields) = self.form_fields(content, &push_pointer(&content_pointer, media), hint)? {
                // A binary field is a file the caller sends: bytes, a file or a stream.
                for f in &mut fields {
                    if f.ty == TypeRef::Bytes {
                        f.ty = TypeRef::Upload;
                    }
                }
                return Ok(Some(Body::Multipart { fields }));
            }
        }
        let Some((media, content)) = pick_media(&body.content) else {
            let Some(media) = body.content.keys().next() else { return Ok(None) };
            if media.starts_with("multipart/") || media.starts_with("application/x-www-form-urlencoded") {
                self.warn(
                    WarningKind::BodyAsBytes,
                    push_pointer(&content_pointer, media),
                    format!("`{media}` body is taken as ready-encoded bytes"),
                );
            }
            return Ok(Some(Body::Bytes {
                field: "body".into(),
                content_type: media.clone(),
                doc: body.description.clone(),
            }));
        };
        let Some(schema) = &content.schema else {
            return Ok(Some(Body::Json {
                field: "body".into(),
                ty: TypeRef::Value,
                required: body.required,
                schemaless: true,
                doc: body.description.clone(),
            }));
        };
        let norm = Norm::from_ref_or(schema, &push_pointer(&push_pointer(&content_pointer, media), "schema"))?;
        let flat = self.types.resolve(&norm)?;
        if let Kind::Object(obj) = &flat.kind {
            if !obj.properties.is_empty() && obj.additional.is_none() {
                let mut fields = Vec::new();
                for (wire, prop) in &obj.properties {
                    let ty = self.types.type_of(prop, &format!("{hint}{}", naming::pascal(wire)))?;
                    let required = obj.required.iter().any(|r| r == wire);
                    fields.push(crate::ir::Field {
                        rust: String::new(),
                        wire: wire.clone(),
                        ty,
                        presence: presence(required, self.types.nullable(prop)),
                        doc: self.types.description(prop),
                        secret: self.types.secret(prop),
                    });
                }
                return Ok(Some(Body::Fields { fields, extra: String::new() }));
            }
        }
        let ty = self.types.type_of(&norm, &format!("{hint}Body"))?;
        let doc = body.description.clone().or(flat.description);
        Ok(Some(Body::Json { field: "body".into(), ty, required: body.required, schemaless: false, doc }))
    }

    /// The fields of a `multipart/form-data` body: the properties of its
    /// object schema, or of every object in a `oneOf`/`anyOf` (then all
    /// optional: which ones to give is the caller's choice). `None` when the
    /// schema is not object-like.
    pub(super) fn form_fields(
        &mut self,
        content: &MediaType,
        pointer: &str,
        hint: &str,
    ) -> Result<Option<Vec<crate::ir::Field>>> {
        let Some(schema) = &content.schema else { return Ok(None) };
        let norm = Norm::from_ref_or(schema, &push_pointer(pointer, "schema"))?;
        let flat = self.types.resolve(&norm)?;
        let objects = match &flat.kind {
            Kind::Object(_) => vec![(flat.clone(), true)],
            Kind::OneOf(variants) | Kind::AnyOf(variants) => {
                let mut objects = Vec::new();
                for v in variants {
                    objects.push((self.types.resolve(v)?, variants.len() == 1));
                }
                objects
            }
            _ => return Ok(None),
        };
        let mut fields: Vec<crate::ir::Field> = Vec::new();
        for (object, keeps_required) in objects {
            let Kind::Object(obj) = &object.kind else { return Ok(None) };
            for (wire, prop) in &obj.properties {
                if fields.iter().any(|f| &f.wire == wire) {
                    continue;
                }
                let ty = self.types.type_of(prop, &format!("{hint}{}", naming::pascal(wire)))?;
                let required = keeps_required && obj.required.iter().any(|r| r == wire);
                fields.push(crate::ir::Field {
                    rust: String::new(),
                    wire: wire.clone(),
                    ty,
                    presence: if required { Presence::Required } else { Presence::Optional },
                    doc: self.types.description(prop),
                    secret: self.types.secret(prop),
                });
            }
        }
        Ok((!fields.is_empty()).then_some(fields))
    }
}

/// Whether `schema` (through `$ref`s) is an object that can have no
/// property: none declared, no other allowed (`additionalProperties:
/// false` or `maxProperties: 0`), nothing composed.
pub(crate) fn admits_only_empty_object<'s>(spec: &'s OpenAPI, mut schema: &'s ReferenceOr<openapiv3::Schema>) -> bool {
    use openapiv3::{AdditionalProperties, SchemaKind, Type};
    for _ in 0..32 {
        let s = match schema {
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix("#/components/schemas/") else { return false };
                let name = name.replace("~1", "/").replace("~0", "~");
                let Some(next) = spec.components.as_ref().and_then(|c| c.schemas.get(&name)) else {
                    return false;
                };
                schema = next;
                continue;
            }
            ReferenceOr::Item(s) => s,
        };
        let closed = |properties: &IndexMap<String, _>, required: &[String], additional, max: Option<usize>| {
            properties.is_empty()
                && required.is_empty()
                && (matches!(additional, Some(&AdditionalProperties::Any(false))) || max == Some(0))
        };
        return match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                closed(&o.properties, &o.required, o.additional_properties.as_ref(), o.max_properties)
            }
            SchemaKind::Any(a) => {
                matches!(a.typ.as_deref(), None | Some("object"))
                    && a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.enumeration.is_empty()
                    && closed(&a.properties, &a.required, a.additional_properties.as_ref(), a.max_properties)
            }
            _ => false,
        };
    }
    false
}

/// The JSON media type of a body, if it has one (`*/*` counts).
pub(crate) fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(media, _)| {
        let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
    })
}
