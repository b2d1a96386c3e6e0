//! What build.rs reads off the spec for the hooks, beyond progenitor's client: which
//! body fields are secret (`format: password`), which operations send them, and which
//! take no `Authorization` header (`security: []`). Generated, like the client.

include!(concat!(env!("OUT_DIR"), "/security.rs"));
