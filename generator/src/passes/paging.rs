//! Pagination: how a list operation's pages are walked, found from the shape
//! the spec gives it (its query parameters, response fields and headers), or
//! as the overrides file says.
//!
//! Styles are tried from the one that says most surely where the end is:
//! the `Link` header, a last id with `has_more`, a token the response gives,
//! a next page's URL in the response, an offset, a page number.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{
    resolve, Field, FieldPath, Location, Operation, PageKind, Pagination, Param, Response, TypeBody, TypeDef, TypeRef,
};
use crate::overrides::{PageStyle, PaginationOverride};

/// How deep nested response objects are searched for a page's fields (`links.pages.next`).
const DEPTH: usize = 3;

/// Query parameters (normalised: lower case, letters and digits) that take the last item's id.
const AFTER: &[&str] = &["after", "startingafter", "afterid"];
/// Response booleans saying there are more pages.
const HAS_MORE: &[&str] = &["hasmore", "hasnext", "hasnextpage", "moreavailable"];
/// Response fields holding the last item's id.
const LAST_ID: &[&str] = &["lastid"];
/// What the name of a page's token parameter has in it (`pageToken`,
/// `next_page_token`, `continuation`...); a lone `token` or an `access_token`
/// is a credential.
const TOKEN_PARTS: &[&str] =
    &["cursor", "marker", "continuation", "pagetoken", "nexttoken", "pagingtoken", "paginationtoken", "starttoken"];
/// Names of a token parameter that are other words when they are numbers.
const TOKENS: &[&str] = &["page", "offset", "after", "next"];
/// Response fields holding the next token, whatever the parameter is named.
const NEXT_TOKEN: &[&str] = &["nextcursor", "nextpagetoken", "nexttoken", "nextmarker", "nextpagecursor"];
/// Response fields holding the next page's URL.
const NEXT_URL: &[&str] =
    &["next", "nexturl", "nexturi", "nextlink", "nexthref", "nextpage", "nextpageurl", "nextpageuri", "odatanextlink"];
/// Query parameters of an offset, and of the page size that goes with one.
const OFFSET: &[&str] = &["offset", "startat", "start", "skip", "startindex"];
const LIMIT: &[&str] = &["limit", "maxresults", "count", "pagesize", "perpage", "size", "top", "max", "take", "rows"];
/// Response fields holding the total item count.
const TOTAL: &[&str] =
    &["total", "totalcount", "totalresults", "totalsize", "totalitems", "totalrecords", "totalentries", "totalhits"];

/// How a GET operation pages, if it does: its response is a list or has one
/// list field (or the one `items` the override names), and its parameters,
/// response fields or `Link` header say how the next page is asked for.
pub(crate) fn pagination(
    op: &Operation,
    types: &[TypeDef],
    link_header: bool,
    over: Option<&PaginationOverride>,
) -> Result<Option<Pagination>> {
    let err = |message: String| {
        let message = format!("[operations.{}.pagination]: {message}", op.id);
        Err(Error::new(ErrorKind::Overrides, "", message))
    };
    if over.is_some_and(|o| o.style == PageStyle::None) {
        return Ok(None);
    }
    let list = match &op.response {
        Response::Json { ty, optional: false, .. } if op.method == "GET" => Some(ty),
        _ => None,
    };
    let Some(ty) = list else {
        return match over {
            Some(_) => err("only a GET operation with a JSON response pages".into()),
            None => Ok(None),
        };
    };
    let fields = struct_fields(types, ty).unwrap_or_default();
    let lists = |f: &&Field| matches!(f.ty, TypeRef::Vec(_));
    let list_field = match over.and_then(|o| o.items.as_deref()) {
        Some(wire) => match fields.iter().filter(lists).find(|f| f.wire == wire) {
            Some(field) => Some(field),
            None => return err(format!("the response has no array field `{wire}`")),
        },
        None => {
            let mut found = fields.iter().filter(lists);
            match (found.next(), found.next()) {
                (Some(field), None) => Some(field),
                _ => None,
            }
        }
    };
    let (items, item) = match (ty, list_field) {
        (TypeRef::Vec(inner), _) => (None, (**inner).clone()),
        (_, Some(f)) => {
            let TypeRef::Vec(inner) = &f.ty else { unreachable!("a list field") };
            (Some((f.rust.clone(), f.presence != crate::ir::Presence::Required)), (**inner).clone())
        }
        _ => {
            return match over {
                Some(_) => err("the response is not a list and has not one array field: name it with `items`".into()),
                None => Ok(None),
            }
        }
    };
    let shape = Shape { op, reach: reachable(types, fields), item: struct_fields(types, &item).unwrap_or_default() };
    let kind = match over {
        Some(o) => match shape.overridden(o) {
            Ok(kind) => kind,
            Err(message) => return err(message),
        },
        None if link_header => PageKind::LinkHeader,
        None => match shape.detect() {
            Some(kind) => kind,
            None => return Ok(None),
        },
    };
    Ok(Some(Pagination { kind, items, item }))
}

/// The fields of a struct type (through aliases and boxes).
fn struct_fields<'a>(types: &'a [TypeDef], ty: &TypeRef) -> Option<&'a [Field]> {
    match ty {
        TypeRef::Named(name) => match &resolve(types, name)?.body {
            TypeBody::Struct { fields, .. } => Some(fields),
            _ => None,
        },
        TypeRef::Boxed(inner) => struct_fields(types, inner),
        _ => None,
    }
}

/// A response field reachable from a page: its wire names and Rust path.
struct Reach<'a> {
    wire: Vec<&'a str>,
    path: FieldPath,
    ty: &'a TypeRef,
}

impl Reach<'_> {
    /// The normalised wire name of the field itself.
    fn name(&self) -> String {
        norm(self.wire.last().copied().unwrap_or_default())
    }
}

/// Every field reachable from `fields` through nested objects, shallower first.
fn reachable<'a>(types: &'a [TypeDef], fields: &'a [Field]) -> Vec<Reach<'a>> {
    let mut found = Vec::new();
    let mut level: Vec<(Vec<&str>, FieldPath, &[Field])> = vec![(Vec::new(), Vec::new(), fields)];
    for _ in 0..DEPTH {
        let mut deeper = Vec::new();
        for (wire, path, fields) in level {
            for f in fields {
                let mut wire = wire.clone();
                wire.push(f.wire.as_str());
                let mut path = path.clone();
                path.push((f.rust.clone(), f.presence));
                if let Some(inner) = struct_fields(types, &f.ty) {
                    deeper.push((wire.clone(), path.clone(), inner));
                }
                found.push(Reach { wire, path, ty: &f.ty });
            }
        }
        level = deeper;
    }
    found
}

/// A name lower-cased, with only its letters and digits: `next_page-token` and
/// `nextPageToken` are both `nextpagetoken`.
fn norm(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

fn numeric(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64)
}

/// What a list operation offers to walk its pages by.
struct Shape<'a> {
    op: &'a Operation,
    /// The response's fields, nested ones too.
    reach: Vec<Reach<'a>>,
    /// The item's fields, when it is a struct.
    item: &'a [Field],
}

impl Shape<'_> {
    /// The optional query parameters: the ones a stream may set.
    fn query(&self) -> impl Iterator<Item = &Param> {
        self.op.params.iter().filter(|p| p.location == Location::Query && !p.required)
    }

    fn field(&self, ty: fn(&TypeRef) -> bool, names: &[&str], depth: usize) -> Option<FieldPath> {
        let found = self.reach.iter().find(|r| r.wire.len() <= depth && ty(r.ty) && names.contains(&r.name().as_str()));
        found.map(|r| r.path.clone())
    }

    fn item_id(&self) -> Option<FieldPath> {
        let id = self.item.iter().find(|f| f.wire == "id" && f.ty == TypeRef::String)?;
        Some(vec![(id.rust.clone(), id.presence)])
    }

    fn detect(&self) -> Option<PageKind> {
        let string = |ty: &TypeRef| *ty == TypeRef::String;
        let named = |p: &&Param, names: &[&str]| names.contains(&norm(&p.wire).as_str());
        // The last item's id while `has_more`.
        if let Some(p) = self.query().filter(|p| p.ty == TypeRef::String).find(|p| named(p, AFTER)) {
            if let Some(has_more) = self.field(|t| *t == TypeRef::Bool, HAS_MORE, 2) {
                let (last, id) = (self.field(string, LAST_ID, 1), self.item_id());
                if last.is_some() || id.is_some() {
                    return Some(PageKind::AfterLast { param: p.rust.clone(), has_more, last, id });
                }
            }
        }
        // A token the response gives back: under the parameter's own name (a token's
        // name), or `next_` and its name, or a usual name of a next token.
        for p in self.query().filter(|p| p.ty == TypeRef::String) {
            let name = norm(&p.wire);
            let token = TOKEN_PARTS.iter().any(|t| name.contains(t)) || TOKENS.contains(&name.as_str());
            let next_name = format!("next{name}");
            let found = self.reach.iter().find(|r| {
                let field = r.name();
                string(r.ty)
                    && (field == next_name || (token && (field == name || NEXT_TOKEN.contains(&field.as_str()))))
            });
            if let Some(r) = found {
                return Some(PageKind::Cursor { param: p.rust.clone(), next: r.path.clone(), number: false });
            }
        }
        // The next page's URL: `next`, `links.next`, `_links.next.href`...
        let url = self.reach.iter().find(|r| {
            let href = r.name() == "href" && r.wire.len() >= 2 && norm(r.wire[r.wire.len() - 2]) == "next";
            string(r.ty) && (NEXT_URL.contains(&r.name().as_str()) || href)
        });
        if let Some(r) = url {
            return Some(PageKind::NextUrl { next: r.path.clone() });
        }
        // An offset beside a page size.
        let numbers = || self.query().filter(|p| numeric(&p.ty));
        if let Some(p) = numbers().find(|p| named(p, OFFSET)) {
            if numbers().any(|p| named(&p, LIMIT)) {
                let total = self.field(numeric, TOTAL, 2);
                return Some(PageKind::Offset { param: p.rust.clone(), float: p.ty == TypeRef::F64, total });
            }
        }
        let page = numbers().find(|p| norm(&p.wire) == "page")?;
        Some(PageKind::Number { page: page.rust.clone(), float: page.ty == TypeRef::F64 })
    }

    /// The style the overrides file gives, or why it does not fit.
    fn overridden(&self, o: &PaginationOverride) -> std::result::Result<PageKind, String> {
        let param = |ty: fn(&TypeRef) -> bool, what: &str| -> std::result::Result<&Param, String> {
            let wire = o.param.as_deref().ok_or_else(|| "`param` is required for this style".to_string())?;
            let Some(p) = self.op.params.iter().find(|p| p.wire == wire && p.location == Location::Query) else {
                return Err(format!("the operation has no query parameter `{wire}`"));
            };
            if p.required {
                return Err(format!("`{wire}` is required, so a stream cannot set it"));
            }
            if !ty(&p.ty) {
                return Err(format!("`{wire}` is not {what}"));
            }
            Ok(p)
        };
        let field = |path: &str, ty: fn(&TypeRef) -> bool, what: &str| -> std::result::Result<FieldPath, String> {
            let found = self.reach.iter().find(|r| r.wire.join(".") == path);
            match found {
                Some(r) if ty(r.ty) => Ok(r.path.clone()),
                Some(_) => Err(format!("the response field `{path}` is not {what}")),
                None => Err(format!("the response has no field `{path}` (nested at most {DEPTH} deep)")),
            }
        };
        let string = |ty: &TypeRef| *ty == TypeRef::String;
        let next = || o.next.as_deref().ok_or_else(|| "`next` is required for this style".to_string());
        Ok(match o.style {
            PageStyle::Page => {
                let p = param(numeric, "a number")?;
                PageKind::Number { page: p.rust.clone(), float: p.ty == TypeRef::F64 }
            }
            PageStyle::Cursor => {
                // A token, or a number passed back (a timestamp, an id).
                let p = param(|t| *t == TypeRef::String || numeric(t), "a string or a number")?;
                let path = next()?;
                let found = self.reach.iter().find(|r| r.wire.join(".") == path).map(|r| r.ty);
                if found.is_some_and(|ty| *ty != p.ty) {
                    return Err(format!("the response field `{path}` is not of the type of `{}`", p.wire));
                }
                let next = field(path, |_| true, "")?;
                PageKind::Cursor { param: p.rust.clone(), next, number: p.ty != TypeRef::String }
            }
            PageStyle::AfterLast => {
                let p = param(string, "a string")?;
                let has_more =
                    field(o.has_more.as_deref().unwrap_or("has_more"), |t| *t == TypeRef::Bool, "a boolean")?;
                let last = o.next.as_deref().map(|path| field(path, string, "a string")).transpose()?;
                let id = self.item_id();
                if last.is_none() && id.is_none() {
                    return Err("the items have no string `id`: name the response's last id with `next`".into());
                }
                PageKind::AfterLast { param: p.rust.clone(), has_more, last, id }
            }
            PageStyle::Offset => {
                let p = param(numeric, "a number")?;
                let total = o.total.as_deref().map(|path| field(path, numeric, "a number")).transpose()?;
                PageKind::Offset { param: p.rust.clone(), float: p.ty == TypeRef::F64, total }
            }
            PageStyle::NextUrl => PageKind::NextUrl { next: field(next()?, string, "a string")? },
            PageStyle::LinkHeader => PageKind::LinkHeader,
            PageStyle::None => unreachable!("filtered out"),
        })
    }
}
