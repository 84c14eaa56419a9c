//! `GET /openapi.json`: the API described for city web teams. Kept beside `ROUTES`;
//! a test checks that every served route is documented and nothing else is.

use serde_json::{json, Value};

fn param(name: &str, desc: &str, required: bool, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": required, "description": desc, "schema": schema })
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({
        "200": { "description": desc, "content": { "application/json": { "schema": schema } } },
        "400": { "$ref": "#/components/responses/BadRequest" }
    })
}

/// The document for content holding `places` (their slugs are the `city` values).
pub fn document(places: &[crate::content::City]) -> Value {
    let all: Vec<&str> = places.iter().map(|c| c.as_str()).collect();
    let municipalities: Vec<&str> = all.iter().copied().filter(|c| *c != "national").collect();
    let city = json!({ "type": "string", "enum": all });
    let q = param(
        "q",
        "質問 (up to 500 characters)",
        true,
        json!({ "type": "string", "maxLength": 500 }),
    );
    let limit = param(
        "limit",
        "1–50",
        false,
        json!({ "type": "integer", "minimum": 1, "maximum": 50 }),
    );
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Tsunagu API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "福祉の相談窓口案内。Answers name only contacts from the bundled content, each with its source." },
        "paths": {
            "/api/answer": { "get": { "summary": "Answer a resident's question",
                "parameters": [q, param("city", "city scope (plus national lines)", false, city.clone()), limit.clone(),
                    param("form", "full (default): the answer contract. compact: every contact once in `contacts`, referenced by position from results, route steps and the crisis block", false, json!({ "type": "string", "enum": ["full", "compact"] }))],
                "responses": ok("The answer contract (or its compact form when form=compact)", json!({ "$ref": "#/components/schemas/Answer" })) } },
            "/api/search": { "get": { "summary": "Staff search with filters and facet counts",
                "parameters": [
                    param("q", "free text; may be empty to browse", false, json!({ "type": "string", "maxLength": 500 })),
                    param("city", "city", false, city.clone()),
                    param("kind", "record kind", false, json!({ "type": "string", "enum": ["window","service","activity","hotline","plan"] })),
                    param("topic", "topic", false, json!({ "type": "string" })),
                    param("audience", "audience", false, json!({ "type": "string" })),
                    param("function", "重層的支援 function", false, json!({ "type": "string" })),
                    limit.clone(),
                    param("offset", "paging offset", false, json!({ "type": "integer", "minimum": 0 }))],
                "responses": ok("Results with facet counts", json!({ "type": "object" })) } },
            "/api/resources/{id}": { "get": { "summary": "One record with contacts, routes, sources and plan references",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "The record" }, "404": { "$ref": "#/components/responses/NotFound" } } } },
            "/api/cities": { "get": { "summary": "Cities the content covers", "responses": ok("Cities", json!({ "type": "object" })) } },
            "/api/topics": { "get": { "summary": "Topics, audiences, functions, kinds and needs", "responses": ok("Filter values", json!({ "type": "object" })) } },
            "/api/export/hsds": { "get": { "summary": "Open Referral HSDS 3.0 export",
                "parameters": [param("city", "city", false, city)],
                "responses": ok("HSDS JSON", json!({ "type": "object" })) } },
            "/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI 3" } } } },
            "/healthz": { "get": { "summary": "Process is up", "responses": { "200": { "description": "ok" } } } },
            "/readyz": { "get": { "summary": "Index loaded", "responses": { "200": { "description": "ready" }, "503": { "description": "no index" } } } },
            "/metrics": { "get": { "summary": "Prometheus metrics", "responses": { "200": { "description": "text/plain" } } } },
            "/admin/reload": { "post": { "summary": "Re-read content and swap the index (Bearer TSUNAGU_ADMIN_TOKEN)",
                "security": [{ "bearer": [] }],
                "responses": { "200": { "description": "reloaded" }, "401": { "$ref": "#/components/responses/Unauthorized" },
                               "422": { "description": "content errors; the previous index keeps serving" } } } },
            "/admin/insights": { "get": { "summary": "Top needs and redacted zero-hit questions from the opt-in insights store (Bearer TSUNAGU_ADMIN_TOKEN)",
                "security": [{ "bearer": [] }],
                "parameters": [{ "name": "days", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 3650, "default": 30 } }],
                "responses": { "200": { "description": "summary, or {\"enabled\": false} without TSUNAGU_INSIGHTS_DIR" },
                               "401": { "$ref": "#/components/responses/Unauthorized" },
                               "429": { "description": "too many wrong tokens from this client" } } } },
            "/line/{city}/webhook": { "post": { "summary": "LINE Messaging API webhook of one city's official account (see README: LINE)",
                "parameters": [{ "name": "city", "in": "path", "required": true, "schema": { "type": "string", "enum": municipalities } },
                               { "name": "x-line-signature", "in": "header", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object" } } } },
                "responses": { "200": { "description": "accepted; events are answered through the reply API afterwards" },
                               "401": { "description": "signature missing or wrong", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                               "404": { "$ref": "#/components/responses/NotFound" },
                               "503": { "description": "event queue full; LINE may redeliver" } } } }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "responses": {
                "BadRequest": { "description": "Invalid parameter", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                "NotFound": { "description": "Unknown id or route", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                "Unauthorized": { "description": "Missing or wrong admin token", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object",
                    "required": ["code", "message"], "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } } },
                "Source": { "type": "object", "properties": { "title": { "type": "string" }, "url": { "type": "string", "nullable": true }, "date": { "type": "string", "nullable": true } } },
                "Contact": { "type": "object", "required": ["name", "source"], "properties": {
                    "name": { "type": "string" }, "phone": { "type": "string", "nullable": true }, "fax": { "type": "string", "nullable": true },
                    "email": { "type": "string", "nullable": true }, "hours": { "type": "string", "nullable": true },
                    "address": { "type": "string", "nullable": true }, "url": { "type": "string", "nullable": true },
                    "source": { "$ref": "#/components/schemas/Source" } } },
                "Answer": { "type": "object", "required": ["query", "results", "suggestions"], "properties": {
                    "query": { "type": "string" }, "city": { "type": "string", "nullable": true },
                    "emergency": { "type": "object", "nullable": true, "properties": { "message": { "type": "string" },
                        "contacts": { "type": "array", "items": { "$ref": "#/components/schemas/Contact" } } } },
                    "support": { "type": "object", "nullable": true,
                        "description": "Despair with no clear danger: lines that listen, shown where the crisis block would be. Never set together with emergency.",
                        "properties": { "title": { "type": "string" }, "title_en": { "type": "string", "nullable": true },
                        "message": { "type": "string" }, "message_en": { "type": "string", "nullable": true },
                        "contacts": { "type": "array", "items": { "$ref": "#/components/schemas/Contact" } },
                        "signs": { "type": "array", "items": { "type": "string" } } } },
                    "results": { "type": "array", "items": { "type": "object" } },
                    "suggestions": { "type": "array", "items": { "type": "string" } } } }
            }
        }
    })
}
