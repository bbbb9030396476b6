//! Parameters: path, query, header and cookie parameters of an operation, and
//! how a form field is encoded.

use super::*;

impl<'a> Lowering<'a> {
    /// Path parameters in path order, then query and header parameters in spec order.
    pub(super) fn parameters(
        &mut self,
        path: &str,
        op: &'a openapiv3::Operation,
        shared: &'a [ReferenceOr<Parameter>],
        pointer: &str,
        (resource_hint, op_hint): (&str, &str),
    ) -> Result<Vec<Param>> {
        // Operation parameters override path-item ones with the same name and location.
        // Each with the name its inline type is named after (see `param`).
        let mut declared: IndexMap<(String, &'static str), (&Parameter, String, &str)> = IndexMap::new();
        let item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p);
        let lists = [
            (shared, push_pointer(item_pointer, "parameters"), resource_hint),
            (&op.parameters[..], push_pointer(pointer, "parameters"), op_hint),
        ];
        for (list, base, hint) in &lists {
            for (i, r) in list.iter().enumerate() {
                let components = self.spec.components.as_ref().map(|c| &c.parameters);
                let (param, at) = local(r, "parameters", components, &push_pointer(base, &i.to_string()))?;
                let loc = match param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                let hint = if at.starts_with("/components/") { "" } else { *hint };
                declared.insert((param.parameter_data_ref().name.clone(), loc), (param, at, hint));
            }
        }
        let mut out = Vec::new();
        for name in path_template_names(path) {
            match declared.get(&(name.to_string(), "path")) {
                Some((param, at, hint)) => out.push(self.param(param, Location::Path, at, hint)?),
                None => {
                    self.warn(
                        WarningKind::UndeclaredPathParam,
                        pointer.to_string(),
                        format!("path parameter `{name}` is not declared; taken as a string"),
                    );
                    out.push(Param {
                        rust: String::new(),
                        wire: name.to_string(),
                        location: Location::Path,
                        ty: TypeRef::String,
                        required: true,
                        doc: None,
                        style: Style::Simple,
                        explode: false,
                        secret: false,
                    });
                }
            }
        }
        for ((_, loc), (param, at, hint)) in &declared {
            let location = match *loc {
                "query" => Location::Query,
                "header" => Location::Header,
                "cookie" => Location::Cookie,
                _ => continue, // path parameters were taken in path order above
            };
            out.push(self.param(param, location, at, hint)?);
        }
        Ok(out)
    }

    /// One parameter. An inline type of its schema is named `context` + its
    /// name, the context being where the parameter is declared, so that no
    /// other operation's parameter of the same name can take the name first:
    /// none for a shared parameter (`components/parameters`), the resource
    /// for one of a path item, the operation for one of an operation
    /// (`RadarHttpTopGetFormat`).
    pub(super) fn param(
        &mut self,
        param: &Parameter,
        location: Location,
        pointer: &str,
        context: &str,
    ) -> Result<Param> {
        let data = param.parameter_data_ref();
        let mut secret = false;
        let (ty, doc) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let norm = Norm::from_ref_or(schema, &push_pointer(pointer, "schema"))?;
                let hint = format!("{context}{}", naming::pascal(&data.name));
                secret = self.types.secret(&norm);
                (self.types.type_of(&norm, &hint)?, data.description.clone().or_else(|| self.types.description(&norm)))
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warn(
                    WarningKind::ParamContent,
                    pointer.to_string(),
                    "parameter with `content` is sent as a JSON string",
                );
                (TypeRef::String, data.description.clone())
            }
        };
        use openapiv3::{PathStyle, QueryStyle};
        let style = match param {
            Parameter::Query { style: QueryStyle::Form, .. } | Parameter::Cookie { .. } => Style::Form,
            Parameter::Query { style: QueryStyle::SpaceDelimited, .. } => Style::SpaceDelimited,
            Parameter::Query { style: QueryStyle::PipeDelimited, .. } => Style::PipeDelimited,
            Parameter::Query { style: QueryStyle::DeepObject, .. } => Style::DeepObject,
            Parameter::Path { style: PathStyle::Label, .. } => Style::Label,
            Parameter::Path { style: PathStyle::Matrix, .. } => Style::Matrix,
            Parameter::Path { .. } | Parameter::Header { .. } => Style::Simple,
        };
        Ok(Param {
            rust: String::new(),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == Location::Path,
            doc,
            style,
            // OpenAPI's default: `form` explodes, the other styles do not.
            explode: data.explode.unwrap_or(style == Style::Form),
            secret,
        })
    }
}

/// How a URL-encoded form field is written: its `encoding` entry's style
/// and explode, else OpenAPI's default (`form`, exploded).
pub(crate) fn form_encoding(content: &MediaType, field: &str) -> (Style, bool) {
    use openapiv3::QueryStyle;
    let Some(encoding) = content.encoding.get(field) else { return (Style::Form, true) };
    let style = match encoding.style {
        Some(QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
        Some(QueryStyle::PipeDelimited) => Style::PipeDelimited,
        Some(QueryStyle::DeepObject) => Style::DeepObject,
        Some(QueryStyle::Form) | None => Style::Form,
    };
    // `openapiv3` reads an absent `explode` as false, so a `form` field
    // (whose default is true) explodes whatever it says.
    (style, encoding.explode || style == Style::Form)
}

/// The `{names}` of a path template, in order.
pub(crate) fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(path_template_names("/a/{x}/b/{y}").collect::<Vec<_>>(), ["x", "y"]);
    }
}
