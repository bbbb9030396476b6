//! Which way each type's values travel: sent in requests, received in
//! responses (and error bodies, events, webhooks), or both. Emission derives
//! `Serialize` only for what is sent and `Deserialize` only for what is
//! received, the other one behind the `testing` feature (see the README's
//! "What a type derives").

use crate::ir::{Direction, Operation, TypeDef, TypeRef, Webhook};

/// Sets [`TypeDef::direction`] on every type, from what reaches it: sent is
/// what a caller builds (`TypeDef::built`, marked by `usage`).
pub(crate) fn mark(types: &mut [TypeDef], operations: &[Operation], webhooks: &[Webhook]) {
    let received = super::reached(
        types,
        operations
            .iter()
            .flat_map(|op| {
                let mut refs: Vec<&TypeRef> = op.errors.iter().map(|e| &e.ty).collect();
                if let crate::ir::Response::Json { ty, .. } = &op.response {
                    refs.push(ty);
                }
                refs.extend(op.events.iter().map(|e| &e.ty));
                refs.extend(op.pagination.iter().map(|p| &p.item));
                refs
            })
            .chain(webhooks.iter().map(|w| &w.ty)),
    );
    for (def, received) in types.iter_mut().zip(received) {
        def.direction = match (def.built, received) {
            (true, false) => Direction::Sent,
            (false, true) => Direction::Received,
            _ => Direction::Both,
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::Direction;

    #[test]
    fn each_type_is_sent_received_or_both_by_what_reaches_it() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /pets:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/NewPet'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n        '400':\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}\ncomponents:\n  schemas:\n    Kind: {type: string, enum: [cat, dog]}\n    NewPet: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}, owner: {$ref: '#/components/schemas/Owner'}}}\n    Owner: {type: object, properties: {name: {type: string}}}\n    Pet: {type: object, properties: {kind: {$ref: '#/components/schemas/Kind'}, id: {type: integer}}}\n    Problem: {type: object, properties: {detail: {type: string}}}\n";
        let api = crate::Config::new().lower("t.yaml", spec).unwrap();
        let direction = |name: &str| api.types.iter().find(|t| t.name == name).unwrap().direction;
        // The body's fields are the method's arguments: the type they reach is sent.
        assert_eq!(direction("Owner"), Direction::Sent);
        assert_eq!(direction("Pet"), Direction::Received);
        assert_eq!(direction("Problem"), Direction::Received, "error bodies are received");
        assert_eq!(direction("Kind"), Direction::Both, "reached from both, through fields");
        // What each implements: the trait of its way, the other behind `testing`.
        let code = crate::Config::new().generate("t.yaml", spec).unwrap().code();
        let serde = |name: &str, which: &str| {
            let head = match which {
                "Serialize" => format!("impl serde::Serialize for {name} {{"),
                _ => format!("impl<'de> serde::Deserialize<'de> for {name} {{"),
            };
            let at = code.find(&head).unwrap_or_else(|| panic!("{head} in {code}"));
            if code[..at].trim_end().ends_with("#[cfg(feature = \"testing\")]") {
                "testing"
            } else {
                "always"
            }
        };
        assert_eq!((serde("Owner", "Serialize"), serde("Owner", "Deserialize")), ("always", "testing"));
        assert_eq!((serde("Pet", "Serialize"), serde("Pet", "Deserialize")), ("testing", "always"));
        assert_eq!((serde("Kind", "Serialize"), serde("Kind", "Deserialize")), ("always", "always"));
    }
}
